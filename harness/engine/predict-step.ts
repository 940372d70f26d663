import { clusterPolicyOf, type ClusterPolicy } from '../model/admin-policy.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { substitutePlaceholders, type PlaceholderBindings } from '../model/placeholders.js';
import { DEFAULT_DNS_NAME, type Scenario, type Step } from '../model/scenario.js';
import { logicalBindings, stepWorld, syntheticPodIPs, type PodIPs } from '../model/step-world.js';
import type { World } from '../model/world.js';
import type { CellRef } from '../model/expectations.js';
import { dnsNames } from '../model/expectations.js';
import { Prediction, type PredictedDns } from './predict.js';
import { serviceCells } from './service-paths.js';
import { nodeCells } from './node-sources.js';
import { nodePortCells } from './nodeport.js';
import { NODE_REMOTE } from '../model/world.js';

export interface StepPrediction {
  readonly step: Step;
  readonly world: World;
  readonly policies: readonly NetworkPolicy[];
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly prediction: Prediction;
  /**
   * Every (workload -> workload or external, served port) cell with the engine's verdict, then the
   * same through each Service on the scenario's other paths (engine/service-paths.ts).
   */
  readonly cells: readonly CellRef[];
  readonly dns: readonly PredictedDns[];
}

/** The policies in force during a step, placeholders bound. */
export function stepPolicies(step: Step, bindings: PlaceholderBindings): NetworkPolicy[] {
  return step.policies.map((p) => substitutePlaceholders(p.manifest, bindings) as unknown as NetworkPolicy);
}

/** The cluster-scoped policies in force during a step, placeholders bound. */
export function stepClusterPolicies(step: Step, bindings: PlaceholderBindings): ClusterPolicy[] {
  return step.clusterPolicies.map((p) => clusterPolicyOf(substitutePlaceholders(p.manifest, bindings)));
}

/** What the NetworkPolicy spec implies for one step, on synthetic IPs unless real ones are given. */
export function predictStep(scenario: Scenario, step: Step, ips: PodIPs = syntheticPodIPs(scenario)): StepPrediction {
  const world = stepWorld(scenario, step, ips);
  const bindings = logicalBindings(scenario, ips);
  const policies = stepPolicies(step, bindings);
  const clusterPolicies = stepClusterPolicies(step, bindings);
  const prediction = new Prediction(world, policies, clusterPolicies);
  const cells: CellRef[] = [];
  world.endpoints.forEach((from, i) => {
    if (from.kind !== 'workload') return;
    world.endpoints.forEach((to, j) => {
      if (to.kind === 'dns') return;
      for (const port of to.ports) {
        const { allowed, unspecified } = prediction.cell(i, j, port);
        cells.push({ from, to, port, predicted: allowed, ...(unspecified ? { unspecified } : {}) });
      }
    });
  });
  cells.push(...serviceCells(scenario, world, prediction));
  if (scenario.probe?.via.includes('nodeport'))
    cells.push(...nodePortCells(scenario, world, policies, ips.get(NODE_REMOTE)));
  if (scenario.probe?.fromNodes) cells.push(...nodeCells(world, policies, scenario.podCIDR, ips.get(NODE_REMOTE)));
  return {
    step,
    world,
    policies,
    clusterPolicies,
    prediction,
    cells,
    dns: prediction.dns(dnsNames(step.expect, DEFAULT_DNS_NAME)),
  };
}

export function predictScenario(scenario: Scenario): StepPrediction[] {
  const ips = syntheticPodIPs(scenario);
  return scenario.steps.map((step) => predictStep(scenario, step, ips));
}
