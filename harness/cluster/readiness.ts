import type { KubeGateway } from '../kube/gateway.js';
import type { KubeObject } from '../model/kube-object.js';
import { pollUntil } from '../util/poll.js';

type Status = Record<string, number | undefined>;

function rolloutState(object: KubeObject | undefined): string | undefined {
  if (!object) return 'not found';
  const status = (object['status'] ?? {}) as Status;
  const meta = object.metadata as { generation?: number };
  if ((status['observedGeneration'] ?? 0) < (meta.generation ?? 0)) return 'rollout not observed yet';
  if (object.kind === 'DaemonSet') {
    const want = status['desiredNumberScheduled'] ?? 0;
    const ready = status['numberReady'] ?? 0;
    const updated = status['updatedNumberScheduled'] ?? 0;
    return want > 0 && ready === want && updated === want ? undefined : `${ready}/${want} ready, ${updated} updated`;
  }
  const want = (object['spec'] as Status | undefined)?.['replicas'] ?? 1;
  const ready = status['readyReplicas'] ?? 0;
  const updated = status['updatedReplicas'] ?? 0;
  return ready >= want && updated >= want && (status['replicas'] ?? 0) === want
    ? undefined
    : `${ready}/${want} ready, ${updated} updated`;
}

/** Wait until a DaemonSet or Deployment has rolled out everywhere: what `kubectl rollout status` checks. */
export function waitRolledOut(
  gw: KubeGateway,
  kind: 'DaemonSet' | 'Deployment',
  namespace: string,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<true> {
  return pollUntil<true>(
    `${kind} ${namespace}/${name} to roll out`,
    async () => {
      const state = rolloutState(await gw.read({ apiVersion: 'apps/v1', kind, namespace, name }));
      return state === undefined ? { done: true as const } : { waiting: state };
    },
    { timeoutMs, intervalMs: 1000, ...(signal ? { signal } : {}) },
  );
}

export function waitNodesReady(gw: KubeGateway, timeoutMs: number, signal?: AbortSignal): Promise<true> {
  return pollUntil<true>(
    'nodes to be Ready',
    async () => {
      const nodes = await gw.list('v1', 'Node');
      const notReady = nodes.filter(
        (n) =>
          !(
            (n['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
          ).some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return nodes.length > 0 && notReady.length === 0
        ? { done: true as const }
        : { waiting: `${notReady.map((n) => n.metadata.name).join(', ') || 'no nodes'} not Ready` };
    },
    { timeoutMs, intervalMs: 1000, ...(signal ? { signal } : {}) },
  );
}
