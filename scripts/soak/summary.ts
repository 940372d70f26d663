// What a soak measured, from the JSON reports of its runs: pure, so the arithmetic is tested.
import type { RunReport } from '../../harness/model/run-report.js';

export interface SoakRun {
  /** Absent when the run wrote no report (it crashed or was killed). */
  readonly report?: RunReport;
  readonly exitCode: number | undefined;
  readonly durationMs: number;
}

export interface SoakSummary {
  readonly runs: number;
  /** Cells with a verdict other than not-asserted, over all runs. */
  readonly judged: number;
  readonly passed: number;
  readonly deviationsAccepted: number;
  /**
   * Cells judged `fail` on a cluster that is correct for every scenario of the soak: every one is a
   * false verdict. (A fail the engine and the cluster agree on would be a wrong scenario, and the
   * soak's scenarios are known good.)
   */
  readonly falseFails: readonly string[];
  readonly inconclusive: number;
  /**
   * Cells judged though they flapped: they then answered in each of the last rounds (pass or fail on
   * those answers, the transient in their detail).
   */
  readonly judgedAfterTransient: number;
  /** Why cells were inconclusive: the observed outcome and the first words of the evidence, counted. */
  readonly inconclusiveCauses: ReadonlyArray<{ readonly cause: string; readonly count: number }>;
  /** Runs that did not finish cleanly (exit code not 0), with why. */
  readonly brokenRuns: readonly string[];
  readonly slowestConvergenceMs: number;
  readonly slowestStep: string;
  readonly loadAverage: { readonly min: number; readonly max: number };
  readonly durationMs: { readonly min: number; readonly max: number };
}

function cause(observed: string, detail: string): string {
  return `${observed}: ${detail.split(/[:;(]/)[0]!.trim().slice(0, 80)}`;
}

/**
 * Why a run is broken (it wrote no report, a target or scenario could not run), or undefined. A run
 * that exits 2 only because some cells were inconclusive is not broken: those cells are counted, with
 * their causes, as inconclusive.
 */
function brokenWhy(run: SoakRun): string | undefined {
  if (!run.report) return `exit ${run.exitCode ?? 'killed'}, no report`;
  const target = run.report.targets.find((t) => t.error || !t.enforcement?.enforced);
  if (target) return `exit ${run.exitCode}: target ${target.name}: ${target.error ?? 'policy not enforced'}`;
  const errored = run.report.runs.find((s) => s.error);
  return errored ? `exit ${run.exitCode}: ${errored.scenario}: ${errored.error}` : undefined;
}

export function summarizeSoak(runs: readonly SoakRun[]): SoakSummary {
  let judged = 0;
  let passed = 0;
  let deviationsAccepted = 0;
  let inconclusive = 0;
  let judgedAfterTransient = 0;
  const falseFails: string[] = [];
  const causes = new Map<string, number>();
  let slowest = { ms: 0, step: '' };
  runs.forEach((run, i) => {
    for (const scenario of run.report?.runs ?? [])
      for (const step of scenario.steps) {
        const where = `run ${i + 1} ${scenario.scenario}/${step.name}`;
        if (step.convergence.settledAfterMs > slowest.ms)
          slowest = { ms: step.convergence.settledAfterMs, step: where };
        const cells = [
          ...step.cells.map((c) => ({ ...c, id: `${c.from} -> ${c.to} ${c.port}/${c.protocol}` })),
          ...step.dns.map((d) => ({ ...d, id: `${d.from} -> DNS ${d.name}` })),
        ];
        for (const c of cells) {
          if (c.verdict === 'not-asserted') continue;
          judged++;
          if ('flapping' in c && c.flapping && c.verdict !== 'inconclusive') judgedAfterTransient++;
          if (c.verdict === 'pass') passed++;
          else if (c.verdict === 'deviation-accepted') deviationsAccepted++;
          else if (c.verdict === 'fail') falseFails.push(`${where}: ${c.id} observed ${c.observed} (${c.detail})`);
          else {
            inconclusive++;
            const key = cause(c.observed, c.detail);
            causes.set(key, (causes.get(key) ?? 0) + 1);
          }
        }
      }
  });
  const loads = runs.flatMap((r) => {
    const m = r.report?.machine;
    return m ? [m.loadAverage.start, m.loadAverage.end] : [];
  });
  const durations = runs.map((r) => r.durationMs);
  return {
    runs: runs.length,
    judged,
    passed,
    deviationsAccepted,
    falseFails,
    inconclusive,
    judgedAfterTransient,
    inconclusiveCauses: [...causes].map(([c, count]) => ({ cause: c, count })).sort((a, b) => b.count - a.count),
    brokenRuns: runs.flatMap((r, i) => {
      const why = brokenWhy(r);
      return why ? [`run ${i + 1}: ${why}`] : [];
    }),
    slowestConvergenceMs: slowest.ms,
    slowestStep: slowest.step,
    loadAverage: { min: loads.length ? Math.min(...loads) : 0, max: loads.length ? Math.max(...loads) : 0 },
    durationMs: {
      min: durations.length ? Math.min(...durations) : 0,
      max: durations.length ? Math.max(...durations) : 0,
    },
  };
}

export function renderSoak(s: SoakSummary): string {
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `soak: ${s.runs} run(s), ${s.judged} cells judged: ${s.passed} pass, ${s.deviationsAccepted} deviation accepted, ` +
      `${s.falseFails.length} false fail(s), ${s.inconclusive} inconclusive; ` +
      `${s.judgedAfterTransient} judged after a transient (flapped, then answered)`,
    `  slowest convergence ${secs(s.slowestConvergenceMs)} (${s.slowestStep || 'none'}); ` +
      `runs took ${secs(s.durationMs.min)} to ${secs(s.durationMs.max)}; ` +
      `load average ${s.loadAverage.min} to ${s.loadAverage.max}`,
    ...s.inconclusiveCauses.map((c) => `  inconclusive ${c.count}x: ${c.cause}`),
    ...s.falseFails.map((f) => `  FALSE FAIL ${f}`),
    ...s.brokenRuns.map((b) => `  BROKEN ${b}`),
  ];
  return lines.join('\n');
}
