import type { CellResult, RunReport, ScenarioRun, StepResult } from '../model/run-report.js';
import { cellLabel, formatMs, thresholdText } from './words.js';

/** Correct-but-slow cells, shared by every reporter so they list the same cells in the same order. */

/** Reports list the slowest cells only; the rest are counted ("and N more"). */
export const SLOW_CELLS_SHOWN = 10;

/** A correct cell that settled late, and where it ran. */
export interface SlowCell {
  readonly run: ScenarioRun;
  readonly step: StepResult;
  readonly cell: CellResult;
}

export interface SlowCells {
  /** The slowest first, at most `limit` of them. */
  readonly shown: readonly SlowCell[];
  /** How many more slow cells there are beyond `shown`. */
  readonly more: number;
}

/** The slow cells of one step, in cell order. */
export function slowCellsOf(run: ScenarioRun, step: StepResult): SlowCell[] {
  return step.cells.filter((c) => c.slow).map((cell) => ({ run, step, cell }));
}

/** The slowest `limit` of `cells`, slowest first (ties keep their order), and how many were left out. */
export function slowest(cells: readonly SlowCell[], limit = SLOW_CELLS_SHOWN): SlowCells {
  const sorted = [...cells].sort((a, b) => b.cell.settledAfterMs - a.cell.settledAfterMs);
  return { shown: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) };
}

/** The slowest cells of the whole report. */
export function slowCells(report: RunReport, limit = SLOW_CELLS_SHOWN): SlowCells {
  return slowest(
    report.runs.flatMap((run) => run.steps.flatMap((step) => slowCellsOf(run, step))),
    limit,
  );
}

/** The sentence under each report's "Correct but slow" heading. */
export function slowIntro(report: RunReport): string {
  return (
    `These cells ended as expected but settled more than ${thresholdText(report.slowAfterMs)} ` +
    "after their step's change (--slow-after); they pass, and are listed so a slow CNI does not go unnoticed."
  );
}

/** The columns every reporter shows for a slow cell. */
export const SLOW_HEADER = ['scenario', 'target', 'step', 'cell', 'settled after'] as const;

export function slowRow(s: SlowCell): string[] {
  return [s.run.scenario, s.run.target, s.step.name, cellLabel(s.cell), formatMs(s.cell.settledAfterMs)];
}

export function moreText(more: number): string {
  return `and ${more} more`;
}
