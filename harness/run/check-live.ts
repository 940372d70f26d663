/**
 * The live path of `check`: create each namespace's owner ConfigMap and the probe pods it owns,
 * wait until they run (never Ready: they are built never to be), probe every planned cell with the
 * batch prober through ProbeShells until the matrix holds still, turn outcomes into evidence on
 * real servers, judge, and delete everything by run label at the end, also after Ctrl-C (writes
 * go through stopWritesOnAbort, so nothing new is created once stopping).
 *
 * Tested against the in-memory cluster (test/integration/check-live.test.ts) and on kind + Calico
 * (test/e2e/check.e2e.test.ts).
 */
import type { KubeGateway } from '../kube/gateway.js';
import { stopWritesOnAbort } from '../kube/stop-writes.js';
import { RUN_LABEL } from '../model/cluster-names.js';
import type { ReachClass } from '../model/convergence.js';
import type { Observation } from '../model/observation.js';
import {
  confirmRefusals,
  evidenceOf,
  judgeCheckCell,
  type CheckObservation,
  type CheckVerdict,
} from '../probe/check-classify.js';
import { checkOwnerName, checkOwnerObject, checkProbePod, type CheckRun } from '../probe/check-pod.js';
import {
  repredictCells,
  type CheckCell,
  type CheckClass,
  type CheckPlan,
  type CheckProbePod,
  type Predictor,
} from '../probe/check-plan.js';
import type { ProbeTimeouts } from '../probe/commands.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { pollUntil, WaitTimeout } from '../util/poll.js';
import { observeUntilStable, type ConvergeOptions } from './converge.js';
import { probeRound, type RoundOptions } from './probe-round.js';
import { ProbeShells } from './probe-shells.js';

export interface CheckLiveSettings {
  readonly run: CheckRun;
  readonly image: WorkloadImage;
  readonly activeDeadlineSeconds: number;
  readonly timeouts: ProbeTimeouts;
  readonly round: Omit<RoundOptions, 'timeouts'>;
  readonly converge: Omit<ConvergeOptions, 'signal'>;
  /** How long probe pods may take to reach Running. */
  readonly podStartTimeoutMs: number;
  /** The prediction for the probe pods' own IPs (class key -> IP), made once they run. */
  readonly repredict?: (probeIps: ReadonlyMap<string, string>) => Predictor;
  readonly signal?: AbortSignal;
}

export interface CheckedCell {
  readonly cell: CheckCell;
  readonly observation: CheckObservation;
  readonly verdict: CheckVerdict;
}

export interface CheckLiveResult {
  readonly cells: readonly CheckedCell[];
  /** Source classes whose probe pod could not be created or did not start, with why. */
  readonly notStarted: ReadonlyArray<{ readonly source: string; readonly reason: string }>;
  /** Objects that could not be deleted, with the error (the command exits 2 on any). */
  readonly cleanupErrors: readonly string[];
  readonly stable: boolean;
}

export async function checkLive(
  gw: KubeGateway,
  plan: CheckPlan,
  classes: readonly CheckClass[],
  settings: CheckLiveSettings,
): Promise<CheckLiveResult> {
  const writer = stopWritesOnAbort(gw, settings.signal);
  const namespaces = [...new Set(plan.probePods.map((p) => p.namespace))];
  const shells = new ProbeShells(gw);
  let cleanupErrors: string[] = [];
  try {
    const notStarted = await startProbePods(writer, gw, plan, classes, namespaces, settings);
    const running = plan.probePods.filter((p) => !notStarted.some((n) => n.source === p.source));
    const ips = new Map<string, string>();
    notStarted.push(...(await waitRunning(gw, running, settings, ips)));
    const planned = settings.repredict ? repredictCells(plan.cells, settings.repredict(ips)) : plan.cells;
    const failed = new Map(notStarted.map((n) => [n.source, n.reason]));
    const probes = { ...plan.probes, sources: plan.probes.sources.filter((s) => !failed.has(s.source)) };
    const round = () =>
      probeRound(
        shells.run,
        probes,
        { cells: planned.length, dns: 0 },
        { ...settings.round, timeouts: settings.timeouts },
      );
    const predicted = planned.map((c): ReachClass => (c.unverifiable ? 'other' : c.predicted ? 'allowed' : 'blocked'));
    const asserted = (i: number) => !planned[i]!.unverifiable && !planned[i]!.governedBy?.length;
    const converged = await observeUntilStable(
      round,
      predicted,
      { ...settings.converge, ...(settings.signal ? { signal: settings.signal } : {}) },
      asserted,
    );
    const cells = judgeCells(planned, converged.cells, failed);
    return { cells, notStarted, cleanupErrors, stable: !converged.timedOut };
  } finally {
    await shells.close();
    cleanupErrors = await removeRunObjects(gw, namespaces, settings.run.runId);
  }
}

/** Evidence per cell (a source whose probe pod did not start is an error, never blocked), then verdicts. */
function judgeCells(
  planned: readonly CheckCell[],
  observed: readonly Observation[],
  failed: ReadonlyMap<string, string>,
): CheckedCell[] {
  const seen = planned.map((cell, i): CheckObservation => {
    const why = failed.get(cell.from);
    if (why && !cell.unverifiable)
      return { evidence: 'error', outcome: 'error', detail: `its probe pod did not start: ${why}` };
    return evidenceOf(cell, observed[i]!);
  });
  return confirmRefusals(planned, seen).map((observation, i) => ({
    cell: planned[i]!,
    observation,
    verdict: judgeCheckCell(planned[i]!, observation),
  }));
}

/** Owners first (their uid goes into each pod), then the pods; a refusal costs its classes only. */
async function startProbePods(
  writer: KubeGateway,
  gw: KubeGateway,
  plan: CheckPlan,
  classes: readonly CheckClass[],
  namespaces: readonly string[],
  settings: CheckLiveSettings,
): Promise<Array<{ source: string; reason: string }>> {
  const byKey = new Map(classes.map((c) => [c.key, c]));
  const notStarted: Array<{ source: string; reason: string }> = [];
  const name = checkOwnerName(settings.run.runId);
  for (const namespace of namespaces) {
    const pods = plan.probePods.filter((p) => p.namespace === namespace);
    // The uid from the apply's answer: reading the ConfigMap back would need `get configmaps` in a
    // real namespace, which the check role does not grant (clusters/rbac/netpol-harness-check.yaml).
    const uid = await writer
      .apply(checkOwnerObject(namespace, settings.run))
      .then((answer) => answer?.uid ?? Promise.reject(new Error('the API server answered without its uid')))
      .catch((e: Error) => {
        const reason = `the owner ConfigMap ${namespace}/${name} could not be created: ${e.message}`;
        notStarted.push(...pods.map((p) => ({ source: p.source, reason })));
      });
    if (!uid) continue;
    for (const pod of pods) {
      const object = checkProbePod({
        source: byKey.get(pod.source)!,
        name: pod.name,
        run: settings.run,
        owner: { name, uid },
        image: settings.image,
        activeDeadlineSeconds: settings.activeDeadlineSeconds,
      });
      await writer.apply(object).catch((e: Error) => notStarted.push({ source: pod.source, reason: e.message }));
    }
  }
  return notStarted;
}

/** Running, with an IP; never Ready by design. Those still not running when the wait ends are reported. */
async function waitRunning(
  gw: KubeGateway,
  pods: readonly CheckProbePod[],
  settings: CheckLiveSettings,
  ips: Map<string, string>,
): Promise<Array<{ source: string; reason: string }>> {
  const pending = new Map<string, string>(pods.map((p) => [p.source, 'not seen yet']));
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  try {
    await pollUntil(
      `${pods.length} probe pods to run`,
      async () => {
        const statuses = (await Promise.all(namespaces.map((ns) => gw.podStatuses(ns)))).flat();
        for (const p of pods) {
          const s = statuses.find((x) => x.namespace === p.namespace && x.name === p.name);
          if (s?.phase === 'Running' && s.ip) {
            pending.delete(p.source);
            ips.set(p.source, s.ip);
          } else if (s) pending.set(p.source, `${s.phase}${s.problems.length ? `: ${s.problems.join('; ')}` : ''}`);
        }
        return pending.size ? { waiting: [...pending.values()].join(', ') } : { done: true };
      },
      { timeoutMs: settings.podStartTimeoutMs, ...(settings.signal ? { signal: settings.signal } : {}) },
    );
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw e;
  }
  return [...pending].map(([source, reason]) => ({ source, reason: `probe pod not running: ${reason}` }));
}

/**
 * Every object of the run in the checked namespaces: the owner ConfigMaps (the garbage collector
 * deletes what they own) and, not waiting for it, every pod with the run label.
 */
async function removeRunObjects(gw: KubeGateway, namespaces: readonly string[], runId: string): Promise<string[]> {
  const errors: string[] = [];
  const remove = (kind: string, namespace: string, name: string) =>
    gw
      .remove({ apiVersion: 'v1', kind, metadata: { name, namespace } })
      .catch((e: Error) => void errors.push(`${kind} ${namespace}/${name}: ${e.message}`));
  for (const namespace of namespaces) {
    await remove('ConfigMap', namespace, checkOwnerName(runId));
    const pods = await gw.list('v1', 'Pod', namespace).catch((e: Error) => {
      errors.push(`pods in ${namespace} could not be listed to delete the run's: ${e.message}`);
      return [];
    });
    for (const pod of pods.filter((p) => p.metadata.labels?.[RUN_LABEL] === runId))
      await remove('Pod', namespace, pod.metadata.name);
  }
  return errors;
}
