/**
 * A cluster the run works on, as the runner sees it: shared by the cluster layer, which makes
 * targets, and the run layer, which uses them, so it lives below both.
 */
import type { KubeGateway } from '../kube/gateway.js';
import type { TargetInfo } from '../model/run-report.js';

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
  /** Probe externals at their declared addresses as real servers of the user's (existing clusters, opted in). */
  readonly probeForeignExternals?: boolean;
  readonly dnsIp?: string;
}

/** A target ready to run on, with how to give it back when the run ends. */
export interface PreparedTarget {
  readonly session: TargetSession;
  readonly info: Omit<TargetInfo, 'enforcement'>;
  release(): Promise<void>;
}
