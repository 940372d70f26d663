import { ConvergenceTracker, reachClass, type ConvergenceSummary, type ReachClass } from '../model/convergence.js';
import type { Observation } from '../model/observation.js';
import { sleep } from '../util/pool.js';
import type { RoundResult } from './probe-round.js';

export interface ConvergeOptions {
  /** Consecutive identical rounds that make the matrix stable. */
  readonly stableRounds: number;
  /** How long to keep probing a matrix that differs from the prediction, waiting for it to settle. */
  readonly timeoutMs: number;
  /** Pause between rounds (rounds themselves take about one probe timeout when cells are dropped). */
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** The clock rounds are timed by (tests pass their own). */
  readonly now?: () => number;
}

export interface Converged {
  readonly cells: Observation[];
  readonly dns: Observation[];
  readonly summary: ConvergenceSummary;
  readonly timedOut: boolean;
}

/**
 * Probe rounds until the observed matrix holds still: as soon as it equals the prediction for
 * `stableRounds` rounds (the usual case, a second or two after a change), or else until it holds
 * still at the end of the timeout. No fixed sleep decides anything: a slow CNI is waited for and
 * its delay measured, a flapping one is caught, a wrong one is reported after the timeout.
 */
export async function observeUntilStable(
  round: () => Promise<RoundResult>,
  predicted: readonly ReachClass[],
  options: ConvergeOptions,
  asserted: (i: number) => boolean = () => true,
  /**
   * Cells probed by name (`via: dns`): a failed lookup is what the application sees, so it counts as
   * blocked here too. Read as a gap instead, one timed-out connect among lookup failures left such a
   * cell with one conclusive round: "still changing", inconclusive (the live smoke, 2026-12-01).
   */
  nameLookup: (i: number) => boolean = () => false,
): Promise<Converged> {
  const now = options.now ?? Date.now;
  const started = now();
  let tracker: ConvergenceTracker | undefined;
  let last: RoundResult | undefined;
  for (;;) {
    // A round is timed by when its probes were sent, not when the slowest came back: under load a
    // round takes longer, and stamping its end made the same cell "slow" in one run and not in the
    // next. `started` is when the API server had acknowledged the step's last change.
    const sentAt = now() - started;
    last = await round();
    const all = [...last.cells, ...last.dns].map((o, i) =>
      o.outcome === 'dns-error' && nameLookup(i) ? 'dropped' : o.outcome,
    );
    tracker ??= new ConvergenceTracker(all.length, options.stableRounds);
    tracker.addRound(all, sentAt);
    // Cells the scenario does not assert (pod-to-itself, say, where CNIs differ) do not hold the step up.
    const conclusive = (i: number) => asserted(i) && reachClass(all[i]!) !== 'other';
    const asPredicted = tracker.latestMatches(predicted, conclusive);
    const elapsed = now() - started;
    if (tracker.isStable() && (asPredicted || elapsed >= options.timeoutMs)) break;
    if (elapsed >= options.timeoutMs * 2 || options.signal?.aborted) break;
    await sleep(options.intervalMs, options.signal);
  }
  const summary = tracker.summary();
  return { cells: last.cells, dns: last.dns, summary, timedOut: !summary.stable };
}
