/**
 * Host-network probe pods for `node:local` and `node:remote` cells: one on each node where a workload
 * pod of the scenario runs (its nodes are read from those pods, so no cluster-scoped read is needed).
 * On kind always; on a --context target only with --allow-host-network, since a pod in a node's
 * network namespace shares a real node's network. They serve nothing and are never Ready (their
 * readiness check always fails), so nothing can route traffic to them; they live in a namespace of
 * the lane, labelled for Pod Security Admission's privileged level (hostNetwork needs it), and go
 * with it.
 */
import type { KubeGateway } from '../kube/gateway.js';
import { hostKey, type Placement, type Unavailable } from '../probe/plan.js';
import { hostProbePod, namespaceObject, type WorkloadImage } from '../probe/workload-spec.js';
import { pollUntil } from '../util/poll.js';

export interface HostProbes {
  /** Nodes with a probe pod, or why there are none. */
  readonly nodes: readonly string[] | Unavailable;
  /** hostKey(node) -> the probe pod there. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** A node's address (a host-network pod's IP is its node's): the engine reads `node:remote` as it. */
  readonly nodeIp?: string;
}

export const NOT_ON_CONTEXTS: Unavailable = {
  unavailable:
    'node sources need host-network probe pods, which share a real node network: on an existing cluster ' +
    'they are started only with run --allow-host-network',
};

/** Pod Security Admission: hostNetwork is allowed only at the privileged level. */
const PSA_PRIVILEGED = { 'pod-security.kubernetes.io/enforce': 'privileged' };

export async function deployHostProbes(
  gw: KubeGateway,
  options: {
    readonly namespace: string;
    /** The nodes the scenario's workload pods run on. */
    readonly nodes: readonly string[];
    readonly runId: string;
    readonly owner: string;
    readonly lane: number;
    readonly scenario: string;
    readonly image: WorkloadImage;
    readonly kept: boolean;
    readonly timeoutMs: number;
    readonly signal?: AbortSignal;
  },
): Promise<HostProbes> {
  const nodes = [...new Set(options.nodes)].sort();
  if (!nodes.length) return { nodes: { unavailable: 'no workload pod reported its node' }, placements: new Map() };
  const { namespace } = options;
  await gw.apply(
    namespaceObject(
      namespace,
      PSA_PRIVILEGED,
      options.runId,
      options.scenario,
      options.lane,
      options.owner,
      options.kept,
    ),
  );
  const podOf = new Map(nodes.map((node, i) => [`host-${i}`, node]));
  for (const [pod, node] of podOf)
    await gw.apply(
      hostProbePod({
        name: pod,
        namespace,
        node,
        runId: options.runId,
        scenario: options.scenario,
        lane: options.lane,
        image: options.image,
      }),
    );
  const placements = new Map<string, Placement>();
  // Running with an IP is enough to exec probes: the pods are never Ready, by design.
  await pollUntil(
    'host-network probe pods to run',
    async () => {
      for (const p of await gw.podStatuses(namespace)) {
        const node = podOf.get(p.name);
        if (node && p.phase === 'Running' && p.ip)
          placements.set(hostKey(node), { namespace, pod: p.name, ip: p.ip, node });
      }
      return placements.size === podOf.size
        ? { done: true }
        : { waiting: `${podOf.size - placements.size} of ${podOf.size} host probe pods not running` };
    },
    { timeoutMs: options.timeoutMs, intervalMs: 500, ...(options.signal ? { signal: options.signal } : {}) },
  );
  const first = placements.get(hostKey(nodes[0]!))?.ip;
  return { nodes, placements, ...(first ? { nodeIp: first } : {}) };
}
