/**
 * What a read of a live cluster yields, as plain data: the namespaces, pods, Services and
 * NetworkPolicies of a namespace set. Built from the API objects by the pure functions of
 * objects.ts; read by harness/target/read-cluster.ts.
 */
import type { Labels, NetworkPolicy } from '../model/network-policy.js';
import type { Protocol } from '../model/protocol.js';

export interface LiveNamespace {
  readonly name: string;
  /** As the API server stores them, `kubernetes.io/metadata.name` included. */
  readonly labels: Labels;
}

/** A declared container port (`containers[].ports[]`): what named ports in policies resolve against. */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/**
 * The controller a pod belongs to, followed up the ownerReferences: a ReplicaSet's Deployment, a
 * Job's CronJob. A pod nobody owns has no owner.
 */
export interface PodOwner {
  readonly kind: string;
  readonly name: string;
}

export interface LivePod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** status.podIP; undefined before the pod has one (Pending) or after it released it. */
  readonly ip?: string;
  /** status.podIPs: one per family on dual-stack clusters. */
  readonly ips: readonly string[];
  readonly node?: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly owner?: PodOwner;
  /** Shares its node's network namespace: its IP is the node's, and podSelector cannot select it. */
  readonly hostNetwork: boolean;
  /** Every container's declared ports (sidecar init containers included), sorted. */
  readonly ports: readonly ContainerPort[];
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** A number, or a container port name resolved per endpoint pod. */
  readonly targetPort: number | string;
}

export interface LiveService {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIPs: readonly string[];
  /** undefined: no selector (endpoints managed by hand); the Service selects no pods by label. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  /** NodePort and LoadBalancer Services: whether a node keeps the client's address (`Local`) or SNATs it. */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** `Local`: a pod's connection to the cluster IP goes only to endpoints on its own node (or is dropped). */
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
}

export interface ClusterSnapshot {
  /** Every namespace of the cluster with its labels: namespaceSelectors may select outside the set read. */
  readonly allNamespaces: readonly LiveNamespace[];
  /** The namespace set read, in order. */
  readonly namespaces: readonly string[];
  readonly pods: readonly LivePod[];
  readonly services: readonly LiveService[];
  readonly policies: readonly NetworkPolicy[];
  /**
   * Pods netpol-harness created (they carry its run label: probe pods of a check, in progress or
   * left by one that was killed): never real workloads, so in no class. The check removes those of
   * runs whose process is gone.
   */
  readonly harnessPods: readonly HarnessPod[];
}

export interface HarnessPod {
  readonly namespace: string;
  readonly name: string;
  readonly runId: string;
  /** The `netpol-harness/owner` annotation: `host:pid` of the process that made it. */
  readonly owner?: string;
}
