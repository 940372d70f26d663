/**
 * Host-network probe pods, one per node, for `node:local` and `node:remote` cells (kind targets
 * only: on a cluster we do not own, a pod in the node's network namespace is not ours to start).
 * They live in a namespace of the lane, so they go with it.
 */
import type { KubeGateway } from '../kube/gateway.js';
import type { KubeObject } from '../model/kube-object.js';
import { hostKey, type Placement, type Unavailable } from '../probe/plan.js';
import { hostProbePod, namespaceObject, type WorkloadImage } from '../probe/workload-spec.js';
import { pollUntil } from '../util/poll.js';

export interface HostProbes {
  /** Nodes with a probe pod, or why there are none. */
  readonly nodes: readonly string[] | Unavailable;
  /** hostKey(node) -> the probe pod there. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** A node's InternalIP: the engine reads `node:remote` as this address. */
  readonly nodeIp?: string;
}

export const NOT_ON_CONTEXTS: Unavailable = {
  unavailable:
    'node sources run on kind targets only: on an existing cluster a host-network pod would share a real ' +
    "node's network, and is not started",
};

interface NodeObject extends KubeObject {
  readonly status?: { readonly addresses?: ReadonlyArray<{ readonly type: string; readonly address: string }> };
}

export async function deployHostProbes(
  gw: KubeGateway,
  options: {
    readonly namespace: string;
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
  const nodes = ((await gw.list('v1', 'Node')) as NodeObject[]).map((n) => ({
    name: n.metadata.name,
    ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  }));
  if (!nodes.length) return { nodes: { unavailable: 'the cluster lists no nodes' }, placements: new Map() };
  const { namespace } = options;
  await gw.apply(
    namespaceObject(namespace, {}, options.runId, options.scenario, options.lane, options.owner, options.kept),
  );
  const podOf = new Map(nodes.map((n, i) => [`host-${i}`, n.name]));
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
  await pollUntil(
    'host-network probe pods to run',
    async () => {
      for (const p of await gw.podStatuses(namespace)) {
        const node = podOf.get(p.name);
        if (node && p.ready && p.ip) placements.set(hostKey(node), { namespace, pod: p.name, ip: p.ip, node });
      }
      return placements.size === podOf.size
        ? { done: true }
        : { waiting: `${podOf.size - placements.size} of ${podOf.size} host probe pods not running` };
    },
    { timeoutMs: options.timeoutMs, intervalMs: 500, ...(options.signal ? { signal: options.signal } : {}) },
  );
  const remote = nodes.find((n) => n.ip)?.ip;
  return { nodes: nodes.map((n) => n.name), placements, ...(remote ? { nodeIp: remote } : {}) };
}
