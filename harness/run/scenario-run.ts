import { predictStep, type StepPrediction } from '../engine/predict-step.js';
import { resolveExpectations } from '../model/expectations.js';
import type { KubeGateway } from '../kube/gateway.js';
import { RUN_LABEL } from '../model/cluster-names.js';
import type { ReachClass } from '../model/convergence.js';
import type { ScenarioRun, StepResult } from '../model/run-report.js';
import type { Scenario } from '../model/scenario.js';
import { scenarioTags } from '../scenario/features.js';
import {
  planProbes,
  type ExternalClientPlacement,
  type Placement,
  type PlanExtras,
  type Unavailable,
} from '../probe/plan.js';
import { EXTERNAL_PREFIX } from '../model/peer-pattern.js';
import { observeUntilStable } from './converge.js';
import { CONFIRM_TIMEOUT_FACTOR, confirmUnexpectedDrops, planOnly } from './confirm.js';
import { deployScenario, realPodIPs, SERVICE_READY_TIMEOUT_MS } from './deploy.js';
import { judgeStep } from './judge-step.js';
import { probeRound, type RoundResult } from './probe-round.js';
import { withDnsHealth } from './dns-doubt.js';
import type { ProbeShells, ScriptRunner } from './probe-shells.js';
import { Lane, removeNamespaces } from './lane.js';
import { topologySignature } from '../model/topology-signature.js';
import { clusterScopedIn, reconcileStep, removePolicies, type InForce } from './reconcile.js';
import { NO_OVERRIDES } from './topology.js';
import type { RunSettings } from './settings.js';
import { formatOwner } from '../model/run-owner.js';
import { clusterPolicyKind } from '../model/admin-policy.js';
import { unsupportedKinds } from '../target/cluster-scoped-support.js';
import type { TargetSession } from '../target/session.js';

export interface StepListener {
  onStepDone?(scenario: Scenario, target: string, step: StepResult): void;
}

/**
 * Deploy a scenario in its lane's namespaces on one target (or reuse the lane's pods when the last
 * scenario there had the same shape), run every step, judge it. Given a lane number, the lane is
 * this call's alone and is cleaned up at the end; given a Lane, the runner decides when it goes.
 */
export async function runScenario(
  target: TargetSession,
  scenario: Scenario,
  lane: number | Lane,
  settings: RunSettings,
  listener: StepListener = {},
): Promise<ScenarioRun> {
  const own = typeof lane === 'number' ? new Lane(lane, target.gw, settings.runId, settings.keepNamespaces) : undefined;
  try {
    return await runInLane(target, scenario, own ?? (lane as Lane), settings, listener);
  } finally {
    await own?.release();
  }
}

async function runInLane(
  target: TargetSession,
  scenario: Scenario,
  lane: Lane,
  settings: RunSettings,
  listener: StepListener,
): Promise<ScenarioRun> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const base = { scenario: scenario.name, file: scenario.file, tags: scenarioTags(scenario), target: target.name };
  const signature = topologySignature(scenario);
  let inForce: InForce = { policies: new Set(), labels: scenario.steps[0]?.labels ?? NO_OVERRIDES };
  try {
    const signal = settings.signal;
    // On reused pods the last scenario's policies go first, so this one starts from no policy as on
    // fresh pods: applying ours while theirs are still in force can briefly allow what neither
    // allows alone (one side's egress, the other's ingress), which the 48 upstream cases showed as flapping.
    await removePolicies(target.gw, (await lane.claim(signature)) ?? []);
    // Fresh pods, or the lane's pods relabelled for this scenario (the same apply) and checked Ready.
    const deployment = await deployScenario(target.gw, scenario, {
      runId: settings.runId,
      owner: formatOwner(settings.owner),
      lane: lane.index,
      deployment: lane.deployment,
      image: settings.image,
      sctp: target.sctp,
      spread: target.ownCluster,
      kept: settings.keepNamespaces,
      podReadyTimeoutMs: settings.podReadyTimeoutMs,
      hostNetwork: target.ownCluster || settings.allowHostNetwork,
      // An endpoint is published within seconds of its pod's readiness: never wait longer than for the pods.
      serviceReadyTimeoutMs: Math.min(SERVICE_READY_TIMEOUT_MS, settings.podReadyTimeoutMs),
      ...(signal ? { signal } : {}),
    });
    const ips = realPodIPs(deployment, target.dnsIp, scenario.externals);
    for (const step of scenario.steps) {
      if (signal?.aborted) throw new Error('interrupted');
      const stepStarted = Date.now();
      // A step whose cluster-scoped policies this target cannot enforce is not probed: every cell says why.
      const unenforceable = unsupportedKinds(
        target.clusterScoped,
        step.clusterPolicies.flatMap((p) => clusterPolicyKind(p.manifest) ?? []),
      );
      inForce = await reconcileStep(
        {
          gw: target.gw,
          scenario,
          deployment,
          runId: settings.runId,
          owner: formatOwner(settings.owner),
          lane: lane.index,
          image: settings.image,
          sctp: target.sctp,
          spread: target.ownCluster,
          kept: settings.keepNamespaces,
          ...(unenforceable ? { clusterScopedUnsupported: unenforceable } : {}),
        },
        step,
        inForce,
      );
      const where = (key: string) =>
        (unenforceable
          ? { unavailable: `cluster-scoped policies are not tested here: ${unenforceable}` }
          : undefined) ??
        deployment.placements.get(key) ??
        externalPlacement(target, scenario, key);
      const extras: PlanExtras = {
        services: (key) => deployment.services.get(key),
        externalClients: (key) => externalClient(target, scenario, key),
        ...(deployment.hostNodes ? { hostNodes: deployment.hostNodes } : {}),
      };
      const result = await observeStep(
        { target, settings, shells: lane.shells, where, extras },
        predictStep(scenario, step, ips),
        stepStarted,
      );
      const reported = inForce.applied ? { ...result, clusterPolicies: inForce.applied } : result;
      steps.push(reported);
      listener.onStepDone?.(scenario, target.name, reported);
    }
    // Cluster-scoped policies outlive the lane's namespaces: they go with the scenario, whatever comes
    // next (with --keep-namespaces they stay with the kept namespaces, confined to them, run-labelled).
    const clusterScoped = settings.keepNamespaces ? [] : clusterScopedIn(inForce.policies);
    await removePolicies(target.gw, clusterScoped);
    const left = new Set([...inForce.policies].filter((k) => !clusterScoped.includes(k)));
    // The pods as they are now: with the last step's labels (a scenario that relabels ends relabelled).
    if (settings.reusePods) lane.keep(topologySignature({ ...scenario, steps: scenario.steps.slice(-1) }), left);
    return { ...base, steps, durationMs: Date.now() - started };
  } catch (e) {
    const clusterScoped = settings.keepNamespaces ? [] : clusterScopedIn(inForce.policies);
    const cleanup = await removePolicies(target.gw, clusterScoped).then(
      () => '',
      (c: Error) => `; removing its cluster-scoped policies failed too: ${c.message}`,
    );
    await lane.release();
    return { ...base, steps, error: (e as Error).message + cleanup, durationMs: Date.now() - started };
  }
}

interface StepProbing {
  readonly target: TargetSession;
  readonly settings: RunSettings;
  readonly shells: ProbeShells;
  readonly where: (key: string) => Placement | Unavailable | undefined;
  readonly extras: PlanExtras;
}

/** Probe a step until it holds still, give unexpected drops a longer second probe, and judge it. */
async function observeStep(
  { target, settings, shells: pods, where, extras }: StepProbing,
  prediction: StepPrediction,
  stepStarted: number,
): Promise<StepResult> {
  // Sources in pods run through the API's exec; externals (nodeport cells) in their containers.
  const shells = { run: externalsOrPods(pods.run, target.execInExternal) };
  const plan = planProbes(prediction, where, settings.timeouts, { sctp: target.sctp }, settings.prober, extras);
  const reach = (allowed: boolean): ReachClass => (allowed ? 'allowed' : 'blocked');
  const predicted = [
    ...prediction.cells.map((c) => reach(c.predicted)),
    ...prediction.dns.map((d) => reach(d.resolves)),
  ];
  const sizes = { cells: prediction.cells.length, dns: prediction.dns.length };
  const expected = resolveExpectations(prediction.step.expect, prediction.cells);
  const asserted = (i: number) => i >= expected.length || expected[i]!.expected !== 'unasserted';
  const signal = settings.signal;
  const longer = {
    connectSeconds: settings.timeouts.connectSeconds * CONFIRM_TIMEOUT_FACTOR,
    totalSeconds: settings.timeouts.totalSeconds * CONFIRM_TIMEOUT_FACTOR,
  };
  const confirmPlan = (cells: ReadonlySet<number>) =>
    planOnly(planProbes(prediction, where, longer, { sctp: target.sctp }, settings.prober, extras), cells, sizes.cells);
  const reprobe = (cells: ReadonlySet<number>) =>
    probeRound(shells.run, confirmPlan(cells), sizes, { ...settings.round, timeouts: longer });
  // An open path that answered last round and times out now is checked at once with the longer
  // probe: on a loaded node that is how a 1 s timeout looks, and it would otherwise read as flapping.
  let previous: RoundResult | undefined;
  const dnsKnown = target.dnsIp !== undefined;
  const round = async () =>
    (previous = await confirmUnexpectedDrops(
      await withDnsHealth(
        target.gw,
        await probeRound(shells.run, plan, sizes, { ...settings.round, timeouts: settings.timeouts }),
        dnsKnown,
      ),
      predicted,
      reprobe,
      longer.connectSeconds,
      previous ?? { cells: [], dns: [] },
    ));
  const settled = await observeUntilStable(
    round,
    predicted,
    { ...settings.converge, ...(signal ? { signal } : {}) },
    asserted,
    (i) => prediction.cells[i]?.via === 'dns',
  );
  const observed = await confirmUnexpectedDrops(settled, predicted, reprobe, longer.connectSeconds);
  return judgeStep(prediction, plan, observed, target, Date.now() - stepStarted, expected, {
    slowAfterMs: settings.slowAfterMs,
  });
}

/** Where an `external:<name>` endpoint answers on this target, or why it cannot be probed there. */
export function externalPlacement(
  target: Pick<TargetSession, 'externals' | 'externalsUnavailable' | 'kindCluster' | 'probeForeignExternals'>,
  scenario: Scenario,
  key: string,
): Placement | Unavailable | undefined {
  if (!key.startsWith(EXTERNAL_PREFIX)) return undefined;
  const ip = scenario.externals.find((e) => `${EXTERNAL_PREFIX}${e.name}` === key)?.ip;
  if (ip === undefined) return undefined;
  const identity = target.externals?.get(ip);
  if (identity) return { namespace: '', pod: '', ip, identity };
  if (target.probeForeignExternals) return { namespace: '', pod: '', ip, foreign: true };
  const why =
    target.externalsUnavailable?.get(ip) ??
    (target.kindCluster
      ? 'no server was started for it'
      : 'externals are started only beside kind targets; ' +
        'on an existing cluster pass --probe-externals to probe your own servers at the declared addresses');
  return { unavailable: `${key} (${ip}) is not probed: ${why}` };
}

/** Delete every namespace this run created on a target (found by label, so partial deploys are covered). */
export function removeScenarioNamespaces(gw: KubeGateway, runId: string): Promise<string[]> {
  return removeNamespaces(gw, `${RUN_LABEL}=${runId}`);
}

/** A source with no namespace is an external's container (planProbes' placement for `nodeport` cells). */
function externalsOrPods(pods: ScriptRunner, externals: TargetSession['execInExternal']): ScriptRunner {
  return (namespace, pod, script, timeoutMs) =>
    namespace === '' && externals ? externals(pod, script, timeoutMs) : pods(namespace, pod, script, timeoutMs);
}

/** `external:<name>` as a client (`nodeport` cells): its container beside a kind target, or why not. */
export function externalClient(
  target: Pick<TargetSession, 'externalClients' | 'externalsUnavailable' | 'kindCluster'>,
  scenario: Scenario,
  key: string,
): ExternalClientPlacement | Unavailable | undefined {
  const ip = scenario.externals.find((e) => `${EXTERNAL_PREFIX}${e.name}` === key)?.ip;
  if (ip === undefined) return undefined;
  const client = target.externalClients?.get(ip);
  if (client) return client;
  const why =
    target.externalsUnavailable?.get(ip) ??
    (target.kindCluster
      ? 'no container was started for it'
      : 'externals are clients only beside kind targets, where they are containers we started');
  return { unavailable: `${key} (${ip}) is not a client here: ${why}` };
}
