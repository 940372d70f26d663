import type { RunReport, ScenarioRun, StepResult, TargetInfo } from '../model/run-report.js';
import { renderFailures } from './console-failures.js';
import { alignColumns, indent, makeStyle, type Style } from './console-style.js';
import type { Reporter, StepContext } from './reporter.js';
import { divergenceRows, DIVERGENCE_HEADER } from './divergence-rows.js';
import { moreText, slowCells, slowIntro, slowRow, SLOW_HEADER } from './slow-cells.js';
import {
  convergenceText,
  enforcementState,
  enforcementText,
  failingSteps,
  formatMs,
  runTotals,
  stepCounts,
  summaryLine,
  targetDescription,
} from './words.js';

export interface ConsoleOptions {
  /** ANSI colour; the caller decides from the TTY and NO_COLOR. */
  readonly color: boolean;
  /** Only failures and the summary line. */
  readonly quiet: boolean;
}

/** The end-of-run summary for a terminal. Pure: returns the text. */
export function renderConsole(report: RunReport, options: ConsoleOptions): string {
  const style = makeStyle(options.color);
  const sections = options.quiet
    ? [
        problemTargets(report, style),
        erroredRuns(report, style),
        renderFailures(failingSteps(report), style),
        cleanupFailures(report, style),
      ]
    : [
        header(report, style),
        targets(report, style),
        results(report, style),
        renderFailures(failingSteps(report), style),
        divergences(report, style),
        slow(report, style),
        cleanupFailures(report, style),
      ];
  const body = sections.filter((s) => s.length).map((s) => s.join('\n').trimEnd());
  return [...body, summary(report, style)].join('\n\n') + '\n';
}

function header(report: RunReport, style: Style): string[] {
  const m = report.machine;
  const load = m ? `; load average ${m.loadAverage.start} at start, ${m.loadAverage.end} at end on ${m.cpus} CPUs` : '';
  return [
    style.bold(`netpol-harness run ${report.runId}`) +
      style.dim(`  started ${report.startedAt}, took ${formatMs(report.durationMs)}${load}`),
  ];
}

function targetLine(t: TargetInfo, style: Style): string[] {
  const state = enforcementState(t);
  const paint = state === 'enforced' ? style.green : state === 'unknown' ? style.yellow : style.red;
  return [t.name, targetDescription(t), paint(enforcementText(t))];
}

function targets(report: RunReport, style: Style): string[] {
  const rows = report.targets.map((t) => targetLine(t, style));
  return [style.bold('Targets'), ...indent(alignColumns(rows))];
}

function problemTargets(report: RunReport, style: Style): string[] {
  const bad = report.targets.filter(
    (t) => enforcementState(t) === 'not-enforced' || enforcementState(t) === 'unusable',
  );
  return bad.length
    ? [style.bold('Targets with problems'), ...indent(alignColumns(bad.map((t) => targetLine(t, style))))]
    : [];
}

function erroredRuns(report: RunReport, style: Style): string[] {
  const errored = report.runs.filter((r) => r.error !== undefined);
  return errored.map((r) => `${style.red(style.bold('ERROR'))} ${r.scenario} on ${r.target}: ${r.error}`);
}

function cleanupFailures(report: RunReport, style: Style): string[] {
  const failures = report.cleanupFailures ?? [];
  return failures.length
    ? [style.red(style.bold('Not cleaned up (remove by hand; the run label finds them)')), ...indent(failures)]
    : [];
}

const RESULT_HEADER = [
  'scenario',
  'target',
  'step',
  'pass',
  'fail',
  'dev-accepted',
  'inconcl.',
  'unasserted',
  'convergence',
];

function stepRow(run: ScenarioRun, step: StepResult): string[] {
  const n = stepCounts(step);
  const flapping = step.cells.filter((c) => c.flapping).length;
  const convergence = convergenceText(step) + (flapping ? `, ${flapping} flapping` : '');
  return [
    run.scenario,
    run.target,
    step.name,
    ...[n.pass, n.fail, n['deviation-accepted'], n.inconclusive, n['not-asserted']].map(String),
    convergence,
  ];
}

function results(report: RunReport, style: Style): string[] {
  const rows: string[][] = [RESULT_HEADER];
  for (const run of report.runs) {
    for (const step of run.steps) rows.push(stepRow(run, step));
    if (run.error !== undefined)
      rows.push([run.scenario, run.target, '(could not run)', '-', '-', '-', '-', '-', `ERROR: ${run.error}`]);
  }
  const paint = (text: string, row: number, col: number): string => {
    const cells = rows[row]!;
    if (row === 0) return style.dim(text);
    if (col === 8 && text.startsWith('ERROR')) return style.red(text);
    if (col === 4 && cells[4] !== '0') return style.red(style.bold(text));
    if ((col === 5 || col === 6) && cells[col] !== '0') return style.yellow(text);
    if (col === 8 && text.startsWith('NOT')) return style.red(text);
    return text;
  };
  return [style.bold('Results (cells per scenario, target and step)'), ...indent(alignColumns(rows, paint))];
}

function divergences(report: RunReport, style: Style): string[] {
  const table = divergenceRows(report);
  if (!table || !report.divergences.length) return [];
  const rows = [[...DIVERGENCE_HEADER, ...table.targets], ...table.rows];
  return [
    style.bold(`Divergences: ${report.divergences.length} cell(s) where targets disagree`),
    ...indent(alignColumns(rows, (t, r) => (r === 0 ? style.dim(t) : t))),
  ];
}

function slow(report: RunReport, style: Style): string[] {
  const { shown, more } = slowCells(report);
  if (!shown.length) return [];
  const rows = [[...SLOW_HEADER], ...shown.map(slowRow)];
  const table = alignColumns(rows, (t, r, c) =>
    r === 0 ? style.dim(t) : c === SLOW_HEADER.length - 1 ? style.yellow(t) : t,
  );
  return [
    style.bold(`Correct but slow: ${shown.length + more} cell(s)`),
    ...indent([style.dim(slowIntro(report)), ...table, ...(more ? [moreText(more)] : [])]),
  ];
}

function summary(report: RunReport, style: Style): string {
  const t = runTotals(report);
  const ok = t.fail === 0 && t.erroredRuns === 0 && t.targetsNotEnforcing === 0 && t.targetsUnusable === 0;
  return (ok ? style.green(style.bold('PASSED')) : style.red(style.bold('FAILED'))) + ' ' + summaryLine(report);
}

/** Progress while the run goes (unless quiet), then the summary. `write` is the terminal. */
export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  private readonly style: Style;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ConsoleOptions,
  ) {
    this.style = makeStyle(options.color);
  }

  onTargetReady = (target: TargetInfo): void => {
    if (!this.options.quiet)
      this.write(`target ${target.name} ready: ${targetDescription(target)}; ${enforcementText(target)}\n`);
  };

  onStepDone = (run: StepContext, step: StepResult): void => {
    if (this.options.quiet) return;
    const n = stepCounts(step);
    const fail = n.fail ? this.style.red(`${n.fail} fail`) : '0 fail';
    this.write(`${run.target} ${run.scenario} / ${step.name}: ${n.pass} pass, ${fail}, ${convergenceText(step)}\n`);
  };

  onRunEnd = (report: RunReport): void => {
    this.write(renderConsole(report, this.options));
  };
}
