import { DERIVED_FEATURES } from '../model/features.js';
import { compareVersions } from '../model/cni-version.js';
import type { CellResult, DnsResult, RunReport, ScenarioRun, TargetInfo } from '../model/run-report.js';
import type { HistoryDiff } from './diff.js';
import { cellId, cellOfTarget, type MatrixCell } from '../model/matrix-cell.js';

/**
 * The compatibility page as data: columns are matrix cells (CNI x version x Kubernetes), rows are
 * scenarios grouped by feature, each square the worst of its cells. Rendered by
 * report/compat-html.ts and report/compat-markdown.ts.
 */
export type SquareStatus = 'pass' | 'deviation' | 'fail' | 'inconclusive' | 'unsupported' | 'error' | 'down' | 'absent';

/** Worst first: a square shows the worst thing that happened in it. */
const SEVERITY: readonly SquareStatus[] = [
  'down',
  'error',
  'fail',
  'inconclusive',
  'deviation',
  'pass',
  'unsupported',
  'absent',
];

export interface Square {
  readonly status: SquareStatus;
  readonly counts: Readonly<Record<'pass' | 'deviation' | 'fail' | 'inconclusive' | 'unsupported', number>>;
  /** Why: accepted deviations' reasons, a scenario's or a cluster's error. */
  readonly reasons: readonly string[];
}

export interface CompatColumn {
  readonly id: string;
  readonly cell: MatrixCell;
  /** The target's name in the report, and where its own report is (relative to the page), if known. */
  readonly target: string;
  readonly report?: string;
  readonly error?: string;
  readonly convergence: ConvergenceFigures;
}

export interface ConvergenceFigures {
  /** Steps whose matrix held still, and the time they took to, after their change. */
  readonly steps: number;
  readonly medianMs?: number;
  readonly p90Ms?: number;
  readonly maxMs?: number;
  /** Steps that never held still within the convergence window. */
  readonly unstable: number;
}

export interface CompatRow {
  readonly scenario: string;
  readonly squares: readonly Square[];
}

export interface CompatGroup {
  readonly feature: string;
  readonly summary: readonly Square[];
  readonly rows: readonly CompatRow[];
}

export interface CompatPage {
  readonly runId: string;
  readonly startedAt: string;
  readonly columns: readonly CompatColumn[];
  readonly groups: readonly CompatGroup[];
  readonly diff?: HistoryDiff;
}

const UNTAGGED = 'other';

export function compatPage(
  report: RunReport,
  options: { readonly diff?: HistoryDiff; readonly reportLinks?: ReadonlyMap<string, string> } = {},
): CompatPage {
  const targets = [...report.targets].sort(byCell);
  const columns = targets.map((t): CompatColumn => {
    const link = options.reportLinks?.get(t.name);
    return {
      id: cellId(cellOfTarget(t)),
      cell: cellOfTarget(t),
      target: t.name,
      ...(link ? { report: link } : {}),
      ...(t.error ? { error: t.error } : {}),
      convergence: convergenceOf(report.runs.filter((r) => r.target === t.name)),
    };
  });
  const byScenario = new Map<string, { tags: readonly string[]; runs: Map<string, ScenarioRun> }>();
  for (const run of report.runs) {
    const entry = byScenario.get(run.scenario) ?? { tags: run.tags ?? [], runs: new Map() };
    entry.runs.set(run.target, run);
    byScenario.set(run.scenario, entry);
  }
  const rowOf = (scenario: string, runs: ReadonlyMap<string, ScenarioRun>): CompatRow => ({
    scenario,
    squares: targets.map((t) => (t.error ? downSquare(t.error) : squareOf(runs.get(t.name)))),
  });
  const features = new Map<string, CompatRow[]>();
  for (const [scenario, { tags, runs }] of [...byScenario].sort(([a], [b]) => a.localeCompare(b))) {
    for (const tag of tags.length ? tags : [UNTAGGED]) {
      const rows = features.get(tag) ?? [];
      rows.push(rowOf(scenario, runs));
      features.set(tag, rows);
    }
  }
  const groups = [...features]
    .sort(([a], [b]) => featureRank(a) - featureRank(b) || a.localeCompare(b))
    .map(([feature, rows]) => ({
      feature,
      rows,
      summary: columns.map((_, i) => worstOf(rows.map((r) => r.squares[i]!))),
    }));
  return {
    runId: report.runId,
    startedAt: report.startedAt,
    columns,
    groups,
    ...(options.diff ? { diff: options.diff } : {}),
  };
}

/** Derived features in their fixed order, then the authors' own tags alphabetically, then untagged scenarios. */
function featureRank(feature: string): number {
  const i = (DERIVED_FEATURES as readonly string[]).indexOf(feature);
  return i >= 0 ? i : feature === UNTAGGED ? DERIVED_FEATURES.length + 1 : DERIVED_FEATURES.length;
}

/** Columns by CNI, then CNI version, then Kubernetes version, oldest first. */
function byCell(a: TargetInfo, b: TargetInfo): number {
  const x = cellOfTarget(a);
  const y = cellOfTarget(b);
  return (
    x.cni.localeCompare(y.cni) ||
    compareVersions(x.cniVersion ?? '', y.cniVersion ?? '') ||
    compareVersions(x.kubernetes ?? '', y.kubernetes ?? '')
  );
}

const NO_COUNTS = { pass: 0, deviation: 0, fail: 0, inconclusive: 0, unsupported: 0 };

function downSquare(error: string): Square {
  return { status: 'down', counts: NO_COUNTS, reasons: [error] };
}

function squareOf(run: ScenarioRun | undefined): Square {
  if (!run) return { status: 'absent', counts: NO_COUNTS, reasons: [] };
  if (run.error) return { status: 'error', counts: NO_COUNTS, reasons: [run.error] };
  const counts = { ...NO_COUNTS };
  const reasons = new Set<string>();
  const cells: ReadonlyArray<CellResult | DnsResult> = run.steps.flatMap((s) => [...s.cells, ...s.dns]);
  for (const c of cells) {
    if (c.verdict === 'not-asserted') continue;
    if (c.verdict === 'deviation-accepted') {
      counts.deviation++;
      if (c.deviationReason) reasons.add(c.deviationReason);
    } else if (c.verdict === 'inconclusive') counts[c.observed === 'unsupported' ? 'unsupported' : 'inconclusive']++;
    else counts[c.verdict]++;
  }
  // The worst status any of its cells has, in SEVERITY's order.
  const status = COUNTED.find((k) => counts[k] > 0) ?? 'absent';
  return { status, counts, reasons: [...reasons] };
}

/** The counted statuses, worst first (SEVERITY without down, error and absent, which no cell has). */
const COUNTED = SEVERITY.filter((s): s is keyof Square['counts'] => s in NO_COUNTS);

/** The number a square shows beside its status: how many cells failed, deviated or could not tell. */
export function shownCount(s: Square): number {
  return s.status === 'fail' || s.status === 'deviation' || s.status === 'inconclusive' ? s.counts[s.status] : 0;
}

function worstOf(squares: readonly Square[]): Square {
  const counts = { ...NO_COUNTS };
  const reasons = new Set<string>();
  let status: SquareStatus = 'absent';
  for (const s of squares) {
    for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] += s.counts[k];
    for (const r of s.reasons) reasons.add(r);
    if (SEVERITY.indexOf(s.status) < SEVERITY.indexOf(status)) status = s.status;
  }
  return { status, counts, reasons: [...reasons] };
}

function convergenceOf(runs: readonly ScenarioRun[]): ConvergenceFigures {
  const steps = runs.flatMap((r) => r.steps);
  const settled = steps
    .filter((s) => s.convergence.stable)
    .map((s) => s.convergence.settledAfterMs)
    .sort((a, b) => a - b);
  const at = (q: number) => settled[Math.min(settled.length - 1, Math.floor(q * settled.length))];
  return {
    steps: settled.length,
    ...(settled.length ? { medianMs: at(0.5)!, p90Ms: at(0.9)!, maxMs: settled.at(-1)! } : {}),
    unstable: steps.length - settled.length,
  };
}
