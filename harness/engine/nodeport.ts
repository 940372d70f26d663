/**
 * Cells from outside the cluster through a NodePort: each external (a server on the kind network) as
 * a client of each NodePort Service port, connecting to the node where the backend pod runs. Pure.
 *
 * NetworkPolicy sees the connection at the backend pod, after translation. With
 * `externalTrafficPolicy: Local` the client's own address is kept ("preserves the client source IP",
 * https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip),
 * so ipBlock rules decide it as they would the external. With `Cluster` (the default) kube-proxy may
 * SNAT it to a node address: the prediction is the client's own address, and where reading it as a
 * node IP or a tunnel address would decide otherwise the cell is unspecified.
 */
import type { CellRef } from '../model/expectations.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import type { Scenario } from '../model/scenario.js';
import { resolveTargetPort } from '../model/service.js';
import type { Endpoint, World } from '../model/world.js';
import { SYNTHETIC_NODE_IP, tunnelAddress, underReadings, type Reading } from './node-sources.js';

export function nodePortCells(
  scenario: Scenario,
  world: World,
  policies: readonly NetworkPolicy[],
  nodeIp: string = SYNTHETIC_NODE_IP,
): CellRef[] {
  const byKey = new Map(world.endpoints.map((e) => [e.key, e]));
  const cells: CellRef[] = [];
  for (const from of world.endpoints) {
    if (from.kind !== 'external') continue;
    for (const w of scenario.workloads) {
      const to = byKey.get(`${w.namespace}/${w.name}`);
      if (w.service?.type !== 'NodePort' || !to) continue;
      const readings = nodePortReadings(from, w.service.externalTrafficPolicy, nodeIp, scenario.podCIDR);
      for (const servicePort of w.service.ports) {
        const port = resolveTargetPort(servicePort, to.ports);
        if (!port) continue;
        const judged = underReadings(world, policies, to, port, readings);
        cells.push({
          from,
          to,
          port,
          predicted: judged.predicted,
          via: 'nodeport',
          service: { name: w.service.name, port: servicePort.port },
          ...(judged.differ ? { unspecified: `${CLUSTER_SNAT}: ${judged.differ}` } : {}),
        });
      }
    }
  }
  return cells;
}

export const CLUSTER_SNAT = 'externalTrafficPolicy: Cluster lets kube-proxy SNAT the client';

/** How the backend may see an external client through a NodePort: itself (Local), or also as a node (Cluster). */
export function nodePortReadings(
  from: Endpoint,
  policy: 'Cluster' | 'Local' | undefined,
  nodeIp: string,
  podCIDR: string,
): Reading[] {
  const as = (what: string, ip: string): Reading => ({ what, endpoint: { ...from, ip } });
  return policy === 'Local'
    ? [as('as the client', from.ip)]
    : [as('as the client', from.ip), as('as a node IP', nodeIp), as('as a tunnel address', tunnelAddress(podCIDR))];
}
