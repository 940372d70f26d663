import type { Scenario } from './scenario.js';

/**
 * What pods a scenario needs, as a key: its namespaces and workloads with their ports (numbers,
 * protocols, names: a pod's container ports cannot change once it runs). Labels are left out, as
 * they can change on running pods. Two scenarios with the same signature can run on the same pods,
 * one after the other, which saves every pod start and stop after the first (the upstream suite's
 * 48 cases, say, all use the same 3 namespaces x 3 pods). Pure.
 */
export function topologySignature(scenario: Pick<Scenario, 'namespaces' | 'workloads'>): string {
  const namespaces = scenario.namespaces.map((n) => n.name).sort();
  const workloads = scenario.workloads
    .map((w) => `${w.namespace}/${w.name}:${w.ports.map((p) => `${p.port}/${p.protocol}${p.name ? `=${p.name}` : ''}`).sort().join(',')}`)
    .sort();
  return JSON.stringify({ namespaces, workloads });
}
