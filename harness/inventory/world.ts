/**
 * Workload classes as the engine's world: one endpoint per class, so the engine predicts per class
 * pair instead of per pod pair. Exact, because a class's pods agree on every label a policy selects
 * on, on ports, and on every ipBlock (the representative IP stands for all of them).
 */
import { NAMESPACE_NAME_LABEL, type Endpoint, type World } from '../model/world.js';
import type { WorkloadClass } from './classes.js';
import type { ClusterSnapshot } from './snapshot.js';

/** Host-network classes appear as `host:ns/name`, pods as `ns/name`. */
export const HOST_PREFIX = 'host:';

export function classesToWorld(snapshot: ClusterSnapshot, classes: readonly WorkloadClass[]): World {
  const endpoints = classes.map((c): Endpoint => {
    const ip = c.pods.find((p) => p.ip)?.ip ?? '';
    const ports = c.ports.map((p) => ({ port: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) }));
    // podSelector and namespaceSelector cannot select a host-network pod: to the engine it is like an
    // endpoint outside the cluster, which only an ipBlock (of its node's IP) matches.
    if (c.hostNetwork) return { key: `${HOST_PREFIX}${c.key}`, kind: 'external', name: c.key, labels: {}, ip, ports };
    return { key: c.key, kind: 'workload', namespace: c.namespace, name: c.name, labels: c.labels, ip, ports };
  });
  const namespaces = snapshot.allNamespaces.map((n) => ({
    name: n.name,
    labels: { ...n.labels, [NAMESPACE_NAME_LABEL]: n.name },
  }));
  return { namespaces, endpoints };
}
