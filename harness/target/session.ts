/**
 * A cluster the run works on, as the runner sees it: shared by the cluster layer, which makes
 * targets, and the run layer, which uses them, so it lives below both.
 */
import type { ExecResult, KubeGateway } from '../kube/gateway.js';
import type { TargetInfo } from '../model/run-report.js';
import type { ClusterScopedSupport } from './cluster-scoped-support.js';

export interface TargetSession {
  readonly name: string;
  readonly cni?: string;
  /** The CNI agent's image tag, when readable: version-ranged known deviations are judged against it. */
  readonly cniVersion?: string;
  readonly context: string;
  readonly gw: KubeGateway;
  readonly sctp: boolean;
  /** A cluster the harness created (kind): pods may go on the control plane too. */
  readonly ownCluster: boolean;
  /** The kind cluster's name, when the target is one (its nodes are docker containers). */
  readonly kindCluster?: string;
  /** External address -> its server's identity, for externals running beside this target. */
  readonly externals?: ReadonlyMap<string, string>;
  /** External address -> why it has no server here. */
  readonly externalsUnavailable?: ReadonlyMap<string, string>;
  /**
   * External address -> its container and each node's address on its network: externals as clients
   * through NodePorts (kind only, where they are containers we started).
   */
  readonly externalClients?: ReadonlyMap<string, ExternalClient>;
  /** Runs a probe script in an external's container (docker exec), for `nodeport` cells. */
  readonly execInExternal?: (container: string, script: string, timeoutMs: number) => Promise<ExecResult>;
  /** Probe externals at their declared addresses as real servers of the user's (existing clusters, opted in). */
  readonly probeForeignExternals?: boolean;
  readonly dnsIp?: string;
  /** Kind of cluster-scoped policy -> why it cannot be enforced here (absent: every kind can, or unchecked). */
  readonly clusterScoped?: ClusterScopedSupport;
}

/** A target ready to run on, with how to give it back when the run ends. */
export interface PreparedTarget {
  readonly session: TargetSession;
  readonly info: Omit<TargetInfo, 'enforcement'>;
  release(): Promise<void>;
}

/** An external we started, as a client: its container, and node name -> that node's address on its network. */
export interface ExternalClient {
  readonly container: string;
  readonly nodeAddresses: ReadonlyMap<string, string>;
}
