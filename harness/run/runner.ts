import { scenarioTags } from '../scenario/features.js';
import { cpus, loadavg } from 'node:os';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { KubeGateway } from '../kube/gateway.js';
import {
  REPORT_SCHEMA_VERSION,
  findDivergences,
  type RunReport,
  type ScenarioRun,
  type TargetInfo,
} from '../model/run-report.js';
import type { Scenario } from '../model/scenario.js';
import { Lane } from './lane.js';
import { BANP_KIND } from '../model/admin-policy.js';
import { topologySignature } from '../model/topology-signature.js';
import { checkEnforcement } from './canary.js';
import { removeScenarioNamespaces, runScenario, type StepListener } from './scenario-run.js';
import type { RunSettings } from './settings.js';
import type { PreparedTarget } from '../target/session.js';
import { stopWritesOnAbort } from '../kube/stop-writes.js';
import {
  describeLeftovers,
  findRunLeftovers,
  removeLeftovers,
  removeRunClusterScoped,
  thisHost,
  type RunLeftovers,
} from './orphans.js';

export interface RunListener extends StepListener {
  onTargetReady?(target: TargetInfo): void;
  /** Something the user should know about a target before its results (leftovers of earlier runs). */
  onTargetNote?(target: string, note: string): void;
  onScenarioDone?(run: ScenarioRun): void;
}

/**
 * Every scenario on every target. Targets run concurrently; on each, the canary runs first and a
 * target that does not enforce policy is reported as such instead of producing false results.
 */
export async function runAll(
  scenarios: readonly Scenario[],
  targets: ReadonlyArray<PreparedTarget | { info: TargetInfo }>,
  settings: RunSettings,
  listener: RunListener = {},
): Promise<RunReport> {
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const cleanupFailures: string[] = [];
  const perTarget = await Promise.all(
    targets.map(async (t): Promise<{ info: TargetInfo; runs: ScenarioRun[] }> => {
      if (!('session' in t)) return { info: t.info, runs: [] };
      // After Ctrl-C or SIGTERM nothing new is created on the target, whatever is still queued.
      const session = { ...t.session, gw: stopWritesOnAbort(t.session.gw, settings.signal) };
      const failed = (what: string) => (e: Error) => cleanupFailures.push(`${t.info.name}: ${what}: ${e.message}`);
      try {
        return await runOnTarget(scenarios, { ...t, session }, settings, listener, failed);
      } finally {
        await cleanupTarget(session.gw, settings).catch(failed("removing the run's namespaces"));
      }
    }),
  );
  const runs = perTarget.flatMap((t) => t.runs);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: settings.runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    slowAfterMs: settings.slowAfterMs,
    targets: perTarget.map((t) => t.info),
    runs,
    divergences: findDivergences(runs),
    machine: { cpus: cpus().length, loadAverage: { start: round1(loadAtStart), end: round1(loadavg()[0]!) } },
    ...(cleanupFailures.length ? { cleanupFailures } : {}),
  };
}

async function runOnTarget(
  scenarios: readonly Scenario[],
  target: PreparedTarget,
  settings: RunSettings,
  listener: RunListener,
  cleanupFailed: (what: string) => (e: Error) => void,
): Promise<{ info: TargetInfo; runs: ScenarioRun[] }> {
  await removeOrphans(target, settings, listener, cleanupFailed);
  let info: TargetInfo;
  try {
    info = { ...target.info, enforcement: await checkEnforcement(target.session, settings) };
  } catch (e) {
    info = { ...target.info, enforcement: undefined, error: (e as Error).message };
  }
  listener.onTargetReady?.(info);
  if (info.error || !info.enforcement?.enforced) return { info, runs: [] };
  const runs = await runInLanes(
    scenarios,
    settings.scenarioConcurrency,
    (i) =>
      new Lane(i, target.session.gw, settings.runId, settings.keepNamespaces, cleanupFailed(`releasing lane ${i}`)),
    async (scenario, lane) => {
      const run = await runScenario(target.session, scenario, lane, settings, listener);
      listener.onScenarioDone?.(run);
      return run;
    },
    settings.signal,
  );
  return {
    info,
    runs: runs.map(
      (run, i) =>
        run ?? {
          scenario: scenarios[i]!.name,
          file: scenarios[i]!.file,
          tags: scenarioTags(scenarios[i]!),
          target: info.name,
          steps: [],
          error: 'not started: the run was stopped',
          durationMs: 0,
        },
    ),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A run killed with SIGKILL (or a crash) cannot clean up: the next run on the target removes the
 * namespaces of runs whose process on this host is gone, and names those it leaves (still running,
 * or made elsewhere) with the command that removes them.
 */
async function removeOrphans(
  target: PreparedTarget,
  settings: RunSettings,
  listener: RunListener,
  cleanupFailed: (what: string) => (e: Error) => void,
): Promise<void> {
  const note = (text: string) => listener.onTargetNote?.(target.info.name, text);
  let runs: RunLeftovers[];
  try {
    runs = await findRunLeftovers(target.session.gw, thisHost, settings.runId);
  } catch (e) {
    note(`could not look for leftovers of earlier runs: ${(e as Error).message}`);
    return;
  }
  const orphans = runs.filter((r) => r.state === 'orphaned');
  const { removed, failures } = await removeLeftovers(target.session.gw, orphans);
  for (const r of orphans) note(`removing leftovers of ${describeLeftovers(r)}`);
  const clusterScoped = removed.filter((r) => r.includes('/')).length;
  if (removed.length)
    note(
      `removed ${removed.length - clusterScoped} orphaned namespace(s)` +
        (clusterScoped ? ` and ${clusterScoped} orphaned cluster-scoped policy(ies)` : ''),
    );
  for (const f of failures) cleanupFailed('removing an orphaned namespace')(new Error(f));
  for (const r of runs.filter((r) => r.state !== 'orphaned'))
    note(`left alone: ${describeLeftovers(r)} (netpol-harness cleanup --run ${r.runId} removes them)`);
}

/**
 * `lanes` workers take scenarios from one queue; a worker whose pods fit a waiting scenario (same
 * topology signature) takes that one first, so scenarios of one shape run on pods already up.
 * Results keep the input order; every lane is released at the end. Once `signal` aborts no worker
 * takes another scenario: those never started are undefined.
 */
export async function runInLanes<R>(
  scenarios: readonly Scenario[],
  lanes: number,
  makeLane: (index: number) => Lane,
  run: (scenario: Scenario, lane: Lane) => Promise<R>,
  signal?: AbortSignal,
): Promise<Array<R | undefined>> {
  const results = new Array<R | undefined>(scenarios.length).fill(undefined);
  const queue = scenarios.map((scenario, index) => ({ scenario, index, signature: topologySignature(scenario) }));
  // A cluster holds one BaselineAdminNetworkPolicy: scenarios that declare one take turns, across lanes.
  const baseline = new Turns();
  const worker = async (lane: Lane) => {
    try {
      while (queue.length && !signal?.aborted) {
        // The lane's pods as its last scenario left them (relabelled, perhaps), not as it started them.
        const at = Math.max(
          0,
          queue.findIndex((q) => q.signature === lane.ready),
        );
        const [next] = queue.splice(at, 1);
        results[next!.index] = hasBaseline(next!.scenario)
          ? await baseline.exclusive(() => run(next!.scenario, lane))
          : await run(next!.scenario, lane);
      }
    } finally {
      await lane.release();
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(lanes, scenarios.length)) }, (_, i) => worker(makeLane(i + 1))),
  );
  return results;
}

const hasBaseline = (scenario: Scenario): boolean =>
  scenario.steps.some((step) => step.clusterPolicies.some((p) => p.manifest['kind'] === BANP_KIND));

/** One holder at a time, in the order they asked. */
class Turns {
  private last: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const mine = this.last.then(work, work);
    this.last = mine.catch(() => undefined);
    return mine;
  }
}

/** Whatever this run created on a target goes, found by the run label (covers interrupted deploys). */
export async function cleanupTarget(gw: KubeGateway, settings: RunSettings): Promise<string[]> {
  // Kept namespaces keep their cluster-scoped policies (confined to them); cleanup --run removes both.
  if (settings.keepNamespaces) return [];
  return [
    ...(await removeRunClusterScoped(gw, settings.runId)),
    ...(await removeScenarioNamespaces(gw, settings.runId)),
  ];
}

/** 0 all pass; 1 some cell fails; 2 a target, scenario or probe could not run (SCTP where unsupported is not that). */
export function exitCodeOf(report: RunReport): ExitCode {
  const infrastructure =
    report.targets.some((t) => t.error || !t.enforcement?.enforced) || report.runs.some((r) => r.error);
  const cells = report.runs.flatMap((r) => r.steps.flatMap((s) => [...s.cells, ...s.dns]));
  const brokenProbes = cells.some(
    (c) => c.verdict === 'inconclusive' && c.observed !== 'unsupported' && c.observed !== 'dns-error',
  );
  if (infrastructure || brokenProbes || report.cleanupFailures?.length) return EXIT.infrastructure;
  return cells.some((c) => c.verdict === 'fail') ? EXIT.mismatch : EXIT.ok;
}
