import type { Verdict } from './verdict.js';

/** What decides whether a cell was correct but slow. */
export interface SettledCell {
  readonly verdict: Verdict;
  /** ms after the step's change at which the cell reached its final state. */
  readonly settledAfterMs: number;
  /** False when the cell flapped or still changed when probing stopped: its settle time means nothing. */
  readonly settled: boolean;
}

/**
 * Correct but slow: the cell ended where it should (`pass`, or a known deviation accepted) but got
 * there more than `slowAfterMs` after the change. Never a failure: the verdict and exit code stay as
 * they are. A wrong cell is a fail however long it took, and a flapping or inconclusive one is
 * reported as such; neither is "slow".
 */
export function isCorrectButSlow(cell: SettledCell, slowAfterMs: number): boolean {
  const correct = cell.verdict === 'pass' || cell.verdict === 'deviation-accepted';
  return correct && cell.settled && cell.settledAfterMs > slowAfterMs;
}
