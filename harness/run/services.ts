/**
 * Where each declared Service is on the target: its cluster IP and DNS name, once it has a ready
 * endpoint. A Service without one after a bounded wait is unavailable, with why: its cells are
 * errors (the infrastructure did not deliver), never "blocked".
 */
import type { KubeGateway } from '../kube/gateway.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { Scenario } from '../model/scenario.js';
import { serviceDnsName } from '../model/service.js';
import type { ServicePlacement, Unavailable } from '../probe/plan.js';
import { pollUntil, WaitTimeout } from '../util/poll.js';

export type ServicePlacements = ReadonlyMap<string, ServicePlacement | Unavailable>;

export const hasServices = (scenario: Pick<Scenario, 'workloads'>): boolean =>
  scenario.workloads.some((w) => w.service);

interface ServiceSpecLike {
  clusterIP?: string;
  ports?: Array<{ port: number; protocol?: string; nodePort?: number }>;
}

interface EndpointSliceLike {
  metadata?: { labels?: Record<string, string> };
  endpoints?: Array<{ addresses?: string[]; conditions?: { ready?: boolean } }>;
}

const readyEndpoints = (slices: readonly EndpointSliceLike[], service: string): number =>
  slices
    .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready === true && (e.addresses?.length ?? 0) > 0).length;

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

export async function placeServices(
  gw: KubeGateway,
  scenario: Pick<Scenario, 'workloads'>,
  namespaces: ReadonlyMap<string, string>,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<ServicePlacements> {
  const placements = new Map<string, ServicePlacement | Unavailable>();
  const pending = new Map<
    string,
    { namespace: string; name: string; clusterIP: string; nodePorts: ReadonlyMap<string, number> }
  >();
  for (const w of scenario.workloads) {
    if (!w.service) continue;
    const namespace = namespaces.get(w.namespace)!;
    const key = workloadKey(w.namespace, w.name);
    const object = await gw.read({ apiVersion: 'v1', kind: 'Service', name: w.service.name, namespace });
    const spec = object?.['spec'] as ServiceSpecLike | undefined;
    const nodePorts = new Map(
      (spec?.ports ?? []).flatMap((p) =>
        p.nodePort ? [[`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort] as const] : [],
      ),
    );
    if (!spec?.clusterIP || spec.clusterIP === 'None')
      placements.set(key, { unavailable: `Service ${namespace}/${w.service.name} has no cluster IP` });
    else pending.set(key, { namespace, name: w.service.name, clusterIP: spec.clusterIP, nodePorts });
  }
  if (!pending.size) return placements;
  const ready = new Set<string>();
  await pollUntil(
    'Services to have a ready endpoint',
    async () => {
      const slices = new Map<string, EndpointSliceLike[]>();
      for (const [key, s] of pending) {
        if (ready.has(key)) continue;
        if (!slices.has(s.namespace))
          slices.set(
            s.namespace,
            (await gw.list('discovery.k8s.io/v1', 'EndpointSlice', s.namespace)) as EndpointSliceLike[],
          );
        if (readyEndpoints(slices.get(s.namespace)!, s.name) > 0) ready.add(key);
      }
      return ready.size === pending.size
        ? { done: true }
        : { waiting: `${pending.size - ready.size} Service(s) without a ready endpoint` };
    },
    { timeoutMs: options.timeoutMs, intervalMs: 500, ...(options.signal ? { signal: options.signal } : {}) },
  ).catch((err: unknown) => {
    // Out of time: the Services still waiting are unavailable (below). Anything else is a real failure.
    if (!(err instanceof WaitTimeout) || options.signal?.aborted) throw err;
  });
  for (const [key, s] of pending)
    placements.set(
      key,
      ready.has(key)
        ? {
            clusterIP: s.clusterIP,
            dnsName: serviceDnsName(s.name, s.namespace),
            ...(s.nodePorts.size ? { nodePorts: s.nodePorts } : {}),
          }
        : {
            unavailable:
              `Service ${s.namespace}/${s.name} had no ready endpoint after ${seconds(options.timeoutMs)} s ` +
              '(its pod is Ready: the endpoint controller did not publish it), so its cells could not be probed',
          },
    );
  return placements;
}
