import type { HistoryRecord, ProbeRecord, ScenarioRecord, StepRecord, TargetRecord } from './records.js';

/**
 * What changed between two nights. Only regressions make a night red: a cell that fails now and
 * did not, a scenario that could not run and could, a matrix cell whose cluster did not come up
 * and did. Everything else is news a reader wants (fixes, deviations that appeared or vanished,
 * a CNI that got much slower to enforce, evidence lost to inconclusive probes) but not a failure.
 */
export interface HistoryDiff {
  readonly before: NightRef;
  readonly after: NightRef;
  readonly regressions: readonly Change[];
  readonly fixes: readonly Change[];
  readonly newDeviations: readonly Change[];
  readonly vanishedDeviations: readonly Change[];
  readonly newlyInconclusive: readonly Change[];
  readonly slower: readonly ConvergenceChange[];
  readonly faster: readonly ConvergenceChange[];
  /** Matrix cells in only one of the two nights (a CNI or Kubernetes version added or dropped). */
  readonly cellsAdded: readonly string[];
  readonly cellsRemoved: readonly string[];
}

export interface NightRef {
  readonly night: string;
  readonly run: string;
}

export interface Change {
  readonly cell: string;
  /** `scenario`, `scenario / step`, or `scenario / step / probe`; empty for a whole cell. */
  readonly what: string;
  readonly before: string;
  readonly after: string;
  /** The reason: a deviation's, a scenario's or a cluster's error. */
  readonly why?: string;
}

export interface ConvergenceChange {
  readonly cell: string;
  readonly what: string;
  readonly beforeMs: number;
  readonly afterMs: number;
}

export interface DiffOptions {
  /** A cell's median (or p90) time to converge is news when it grew (or shrank) by this factor... */
  readonly convergenceFactor: number;
  /** ...and by at least this much: 200 ms -> 700 ms is noise, 5 s -> 16 s is not. */
  readonly convergenceMinDeltaMs: number;
}

export const DIFF_DEFAULTS: DiffOptions = { convergenceFactor: 3, convergenceMinDeltaMs: 2000 };

const ABSENT = 'absent';

export function diffNights(
  before: readonly HistoryRecord[],
  after: readonly HistoryRecord[],
  options: DiffOptions = DIFF_DEFAULTS,
): HistoryDiff {
  const b = index(before);
  const a = index(after);
  const regressions: Change[] = [];
  const fixes: Change[] = [];
  const newDeviations: Change[] = [];
  const vanishedDeviations: Change[] = [];
  const newlyInconclusive: Change[] = [];
  const cellsAdded = [...a.targets.keys()].filter((c) => !b.targets.has(c));
  const cellsRemoved = [...b.targets.keys()].filter((c) => !a.targets.has(c));
  const compared = (cell: string) => b.targets.has(cell);

  for (const [cell, t] of a.targets) {
    const was = b.targets.get(cell);
    if (was && !was.error && t.error) regressions.push({ cell, what: '', before: 'up', after: 'down', why: t.error });
    if (was?.error && !t.error) fixes.push({ cell, what: '', before: 'down', after: 'up', why: was.error });
  }
  for (const [key, s] of a.scenarios) {
    if (!compared(s.cell)) continue;
    const was = b.scenarios.get(key);
    if (s.error && !was?.error)
      regressions.push({ cell: s.cell, what: s.scenario, before: was ? 'ran' : ABSENT, after: 'error', why: s.error });
    if (was?.error && !s.error)
      fixes.push({ cell: s.cell, what: s.scenario, before: 'error', after: 'ran', why: was.error });
  }
  for (const [key, p] of a.probes) {
    if (!compared(p.cell)) continue;
    const was = b.probes.get(key);
    const before = was?.verdict ?? ABSENT;
    const change = (why?: string): Change => ({
      cell: p.cell,
      what: `${p.scenario} / ${p.step} / ${p.probe}`,
      before: was ? `${was.verdict} (${was.observed})` : ABSENT,
      after: `${p.verdict} (${p.observed})`,
      ...(why ? { why } : {}),
    });
    if (p.verdict === 'fail' && before !== 'fail') regressions.push(change());
    else if (before === 'fail' && (p.verdict === 'pass' || p.verdict === 'deviation-accepted'))
      fixes.push(change(p.deviation));
    else if (p.verdict === 'deviation-accepted' && before !== 'deviation-accepted')
      newDeviations.push(change(p.deviation));
    else if (before === 'deviation-accepted' && p.verdict === 'pass') vanishedDeviations.push(change(was?.deviation));
    else if (p.verdict === 'inconclusive' && was && before !== 'inconclusive') newlyInconclusive.push(change());
  }
  const { slower, faster } = convergenceChanges(b.steps, a.steps, options, compared);
  return {
    before: nightOf(before),
    after: nightOf(after),
    regressions,
    fixes,
    newDeviations,
    vanishedDeviations,
    newlyInconclusive,
    slower,
    faster,
    cellsAdded,
    cellsRemoved,
  };
}

/**
 * Time to converge, per matrix cell: the median and the 90th percentile over the steps that settled.
 * One step's time swings with load and pod reuse from night to night (0 ms one night, 9 s the next, on
 * the same cluster); a cell whose median grew threefold is a CNI that got slower to enforce.
 */
function convergenceChanges(
  before: ReadonlyMap<string, StepRecord>,
  after: ReadonlyMap<string, StepRecord>,
  { convergenceFactor: factor, convergenceMinDeltaMs: minDelta }: DiffOptions,
  compared: (cell: string) => boolean,
): { slower: ConvergenceChange[]; faster: ConvergenceChange[] } {
  const b = settledByCell(before);
  const slower: ConvergenceChange[] = [];
  const faster: ConvergenceChange[] = [];
  for (const [cell, times] of settledByCell(after)) {
    const was = b.get(cell);
    if (!was || !compared(cell)) continue;
    for (const [name, q] of [
      ['median', 0.5],
      ['p90', 0.9],
    ] as const) {
      const [x, y] = [quantile(was, q), quantile(times, q)];
      const change = { cell, what: `${name} time to converge (${times.length} steps)`, beforeMs: x, afterMs: y };
      if (y - x >= minDelta && y >= factor * x) slower.push(change);
      if (x - y >= minDelta && x >= factor * y) faster.push(change);
    }
  }
  return { slower, faster };
}

function settledByCell(steps: ReadonlyMap<string, StepRecord>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of steps.values()) if (s.stable) out.set(s.cell, [...(out.get(s.cell) ?? []), s.settledAfterMs]);
  for (const times of out.values()) times.sort((x, y) => x - y);
  return out;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

interface Indexed {
  readonly targets: Map<string, TargetRecord>;
  readonly scenarios: Map<string, ScenarioRecord>;
  readonly steps: Map<string, StepRecord>;
  readonly probes: Map<string, ProbeRecord>;
}

function index(records: readonly HistoryRecord[]): Indexed {
  const out: Indexed = { targets: new Map(), scenarios: new Map(), steps: new Map(), probes: new Map() };
  for (const r of records) {
    switch (r.kind) {
      case 'target':
        out.targets.set(r.cell, r);
        break;
      case 'scenario':
        out.scenarios.set(`${r.cell}|${r.scenario}`, r);
        break;
      case 'step':
        out.steps.set(`${r.cell}|${r.scenario}|${r.step}`, r);
        break;
      case 'probe':
        out.probes.set(`${r.cell}|${r.scenario}|${r.step}|${r.probe}`, r);
        break;
    }
  }
  return out;
}

function nightOf(records: readonly HistoryRecord[]): NightRef {
  const first = records[0];
  return { night: first?.night ?? '', run: first?.run ?? '' };
}

/** True when the night is red: something that worked last night does not now. */
export const hasRegressions = (diff: HistoryDiff): boolean => diff.regressions.length > 0;
