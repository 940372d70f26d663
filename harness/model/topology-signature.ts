import type { Labels } from './network-policy.js';
import type { Scenario, Step } from './scenario.js';

/**
 * What pods a scenario starts with, as a key: its namespaces and workloads with their ports and Services
 * (numbers, protocols, names: a pod's container ports cannot change once it runs) and the labels
 * of its first step. Two scenarios with the same signature can run on the same pods, one after the
 * other, which saves every pod start and stop after the first (the upstream suite's 48 cases, say,
 * all start from the same 3 namespaces x 3 pods). Labels are in the key although they could be
 * changed in place: a label change re-computes a pod's identity, which some CNIs take tens of
 * seconds to apply (Cilium, cilium/cilium#38031), and a scenario must not inherit that delay. Pure.
 */
export function topologySignature(
  scenario: Pick<Scenario, 'namespaces' | 'workloads'> & { readonly steps?: ReadonlyArray<Pick<Step, 'labels'>> },
): string {
  const overrides = scenario.steps?.[0]?.labels;
  const labelText = (labels: Labels) =>
    Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  const namespaces = scenario.namespaces
    .map((n) => `${n.name}{${labelText(overrides?.namespaces.get(n.name) ?? n.labels)}}`)
    .sort();
  const workloads = scenario.workloads
    .map((w) => {
      const labels = overrides?.workloads.get(`${w.namespace}/${w.name}`) ?? w.labels;
      const ports = w.ports.map((p) => `${p.port}/${p.protocol}${p.name ? `=${p.name}` : ''}`).sort();
      const service = w.service ? `>${JSON.stringify(w.service)}` : '';
      return `${w.namespace}/${w.name}{${labelText(labels)}}:${ports.join(',')}${service}`;
    })
    .sort();
  return JSON.stringify({ namespaces, workloads });
}
