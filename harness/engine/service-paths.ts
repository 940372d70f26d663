/**
 * Cells through Services. NetworkPolicy is defined in terms of pods and their ports, not Services
 * ("NetworkPolicies apply to a connection with a pod on one or both ends",
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/): a connection to a
 * Service is translated (kube-proxy, or the CNI's own load balancer) to a backend pod and its
 * targetPort, and in-cluster ClusterIP traffic keeps the client pod's IP (projectcalico/calico#2088).
 * So a `service` cell is predicted as the pod cell on the resolved targetPort, and a `dns` cell also
 * needs its lookup: the source must reach cluster DNS first.
 *
 * One case the spec leaves open: a pod reaching itself through its own Service (hairpin). The docs
 * say a pod cannot block access to itself, but kube-proxy masquerades hairpin traffic, so the
 * source a policy sees is implementation-defined: "unspecified", not asserted by default.
 */
import type { ClusterPolicy } from '../model/admin-policy.js';
import type { CellRef } from '../model/expectations.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import type { Scenario } from '../model/scenario.js';
import { DEFAULT_PROBE_PATHS, resolveTargetPort, type ServicePortSpec } from '../model/service.js';
import type { Endpoint, World } from '../model/world.js';
import { explainCell, type Explanation } from './explain.js';
import { dnsLookupTarget, type Prediction } from './predict.js';

export const HAIRPIN =
  'a pod reaching itself through its own Service (hairpin): kube-proxy masquerades it, so the source ' +
  'a policy sees is implementation-defined';

export function serviceCells(scenario: Scenario, world: World, prediction: Prediction): CellRef[] {
  const vias = (scenario.probe ?? DEFAULT_PROBE_PATHS).via.filter((v) => v === 'service' || v === 'dns');
  if (!vias.length) return [];
  const index = new Map(world.endpoints.map((e, i) => [e.key, i]));
  const cells: CellRef[] = [];
  for (const via of vias)
    for (const [i, from] of world.endpoints.entries()) {
      if (from.kind !== 'workload') continue;
      const resolves = via === 'dns' ? prediction.dnsReachable(i) : true;
      for (const w of scenario.workloads) {
        if (!w.service) continue;
        const j = index.get(`${w.namespace}/${w.name}`);
        const to = j === undefined ? undefined : world.endpoints[j];
        if (j === undefined || !to) continue;
        for (const servicePort of w.service.ports) {
          const port = resolveTargetPort(servicePort, to.ports);
          if (!port) continue; // refused when the scenario was loaded
          const cell = resolves ? prediction.cell(i, j, port) : { allowed: false };
          const unspecified = from.key === to.key ? HAIRPIN : cell.unspecified;
          cells.push({
            from,
            to,
            port,
            predicted: cell.allowed,
            via,
            service: { name: w.service.name, port: servicePort.port },
            ...(unspecified ? { unspecified } : {}),
          });
        }
      }
    }
  return cells;
}

/** A cell through a Service, explained: the translation, the lookup (by name), then the pod cell. */
export interface PathExplanation extends Explanation {
  readonly path: {
    readonly via: 'service' | 'dns';
    readonly service: string;
    readonly servicePort: ServicePortSpec;
    /** `dns`: the source's lookup, the 53/UDP path to cluster DNS (it must be allowed first). */
    readonly lookup?: Explanation;
    readonly unspecified?: string;
  };
}

/**
 * Why a connection through a Service is allowed or blocked: the Service port translated to the
 * backend's targetPort, then the pod cell there (the engine's reference path), and by name the lookup
 * before it. Undefined when the Service port forwards to no port the backend serves.
 */
export function explainServiceCell(
  world: World,
  policies: readonly NetworkPolicy[],
  from: Endpoint,
  to: Endpoint,
  service: { readonly name: string; readonly port: ServicePortSpec },
  via: 'service' | 'dns',
  clusterPolicies: readonly ClusterPolicy[] = [],
): PathExplanation | undefined {
  const target = resolveTargetPort(service.port, to.ports);
  if (!target) return undefined;
  const cell = explainCell(world, policies, from, to, target, clusterPolicies);
  const dns = via === 'dns' ? dnsLookupTarget(world) : undefined;
  const lookup = dns ? explainCell(world, policies, from, dns.endpoint, dns.port, clusterPolicies) : undefined;
  return {
    ...cell,
    allowed: cell.allowed && (via !== 'dns' || (lookup?.allowed ?? false)),
    path: {
      via,
      service: service.name,
      servicePort: service.port,
      ...(lookup ? { lookup } : {}),
      ...(from.key === to.key ? { unspecified: HAIRPIN } : {}),
    },
  };
}
