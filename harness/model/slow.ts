import type { Verdict } from './verdict.js';

/**
 * Most Linux CNIs apply a policy or label change in 1 to 2 s; a cell that needs more than this to
 * reach its final state is worth a look even when that state is right.
 */
export const DEFAULT_SLOW_AFTER_MS = 5000;

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
export function isCorrectButSlow(cell: SettledCell, slowAfterMs: number = DEFAULT_SLOW_AFTER_MS): boolean {
  const correct = cell.verdict === 'pass' || cell.verdict === 'deviation-accepted';
  return correct && cell.settled && cell.settledAfterMs > slowAfterMs;
}
