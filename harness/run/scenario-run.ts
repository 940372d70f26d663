import { predictStep } from '../engine/predict-step.js';
import { resolveExpectations } from '../model/expectations.js';
import type { KubeGateway } from '../kube/gateway.js';
import { RUN_LABEL } from '../model/cluster-names.js';
import type { ReachClass } from '../model/convergence.js';
import type { ScenarioRun, StepResult } from '../model/run-report.js';
import type { Scenario } from '../model/scenario.js';
import { planProbes } from '../probe/plan.js';
import { observeUntilStable } from './converge.js';
import { deployScenario, realPodIPs } from './deploy.js';
import { judgeStep } from './judge-step.js';
import { probeRound } from './probe-round.js';
import { ProbeShells } from './probe-shells.js';
import { reconcileStep, type InForce } from './reconcile.js';
import { NO_OVERRIDES } from './topology.js';
import type { RunSettings } from './settings.js';

export interface TargetSession {
  readonly name: string;
  readonly cni?: string;
  readonly context: string;
  readonly gw: KubeGateway;
  readonly sctp: boolean;
  /** A cluster the harness created (kind): pods may go on the control plane too. */
  readonly ownCluster: boolean;
  readonly dnsIp?: string;
}

export interface StepListener {
  onStepDone?(scenario: Scenario, target: string, step: StepResult): void;
}

/** Deploy a scenario in its own namespaces on one target, run every step, judge it, clean up. */
export async function runScenario(target: TargetSession, scenario: Scenario, scenarioIndex: number, settings: RunSettings, listener: StepListener = {}): Promise<ScenarioRun> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const base = { scenario: scenario.name, file: scenario.file, target: target.name };
  const shells = new ProbeShells(target.gw);
  try {
    const signal = settings.signal;
    const deployment = await deployScenario(target.gw, scenario, { runId: settings.runId, scenarioIndex, image: settings.image, sctp: target.sctp, spread: target.ownCluster, podReadyTimeoutMs: settings.podReadyTimeoutMs, ...(signal ? { signal } : {}) });
    const ips = realPodIPs(deployment, target.dnsIp, scenario.externals);
    let inForce: InForce = { policies: new Set(), labels: scenario.steps[0]?.labels ?? NO_OVERRIDES };
    for (const step of scenario.steps) {
      if (signal?.aborted) throw new Error('interrupted');
      const stepStarted = Date.now();
      inForce = await reconcileStep({ gw: target.gw, scenario, deployment, runId: settings.runId, image: settings.image, sctp: target.sctp, spread: target.ownCluster }, step, inForce);
      const prediction = predictStep(scenario, step, ips);
      const plan = planProbes(prediction, (key) => deployment.placements.get(key), settings.timeouts, { sctp: target.sctp }, settings.prober);
      const reach = (allowed: boolean): ReachClass => (allowed ? 'allowed' : 'blocked');
      const predicted = [...prediction.cells.map((c) => reach(c.predicted)), ...prediction.dns.map((d) => reach(d.resolves))];
      const sizes = { cells: prediction.cells.length, dns: prediction.dns.length };
      const expected = resolveExpectations(step.expect, prediction.cells);
      const asserted = (i: number) => i >= expected.length || expected[i]!.expected !== 'unasserted';
      const observed = await observeUntilStable(() => probeRound(shells.run, plan, sizes, { ...settings.round, timeouts: settings.timeouts }), predicted, { ...settings.converge, ...(signal ? { signal } : {}) }, asserted);
      const result = judgeStep(prediction, plan, observed, target, Date.now() - stepStarted, expected);
      steps.push(result);
      listener.onStepDone?.(scenario, target.name, result);
    }
    return { ...base, steps, durationMs: Date.now() - started };
  } catch (e) {
    return { ...base, steps, error: (e as Error).message, durationMs: Date.now() - started };
  } finally {
    await shells.close();
    if (!settings.keepNamespaces) await removeScenarioNamespaces(target.gw, settings.runId, scenario.name).catch(() => undefined);
  }
}

/** Delete every namespace this run created for a scenario (found by label, so partial deploys are covered). */
export async function removeScenarioNamespaces(gw: KubeGateway, runId: string, scenario?: string): Promise<string[]> {
  const selector = `${RUN_LABEL}=${runId}${scenario ? `,netpol-harness/scenario=${scenario}` : ''}`;
  const names = await gw.listNamespaces(selector);
  for (const name of names) await gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return names;
}
