import type { CellResult, StepResult } from '../model/run-report.js';
import { groupByPort, renderTable } from './matrix-text.js';
import { outcomeMark } from './words.js';

/**
 * The marks of a failing port's matrix: what was observed, flagged when the cell failed or a known
 * deviation was accepted. Every mark is two characters so columns stay aligned.
 */
export function flaggedMark(c: CellResult): string {
  const flag = c.verdict === 'fail' ? '!' : c.verdict === 'deviation-accepted' ? '~' : ' ';
  return outcomeMark(c.observed) + flag;
}

export const MATRIX_LEGEND = [
  'Matrices show what was observed on the ports with failing cells; rows are sources, columns destinations.',
  '  .  allowed    X  blocked (refused or dropped)    ?  could not tell (probe error, never counted as blocked)',
  '  !  after a mark: this cell FAILED (observed differs from expected)    ~  after a mark: known deviation accepted',
];

export interface PortTable {
  readonly label: string;
  readonly text: string;
}

/** One observed matrix per (port, protocol) of the step that has at least one failing cell. */
export function failingPortTables(step: StepResult): PortTable[] {
  const keyed = step.cells.map((c) => ({ ...c, port: { port: c.port, protocol: c.protocol }, cell: c }));
  return groupByPort(keyed)
    .filter((g) => g.cells.some((c) => c.verdict === 'fail'))
    .map((g) => ({
      label: g.label,
      text: renderTable(g.cells, (i) => flaggedMark(g.cells[i]!.cell)).replace(/ +$/gm, ''),
    }));
}
