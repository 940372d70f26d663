import { isBlocked, type Outcome } from './observation.js';

/** Reachability class of an outcome: refused and dropped both mean blocked. */
export type ReachClass = 'allowed' | 'blocked' | 'other';

export function reachClass(outcome: Outcome): ReachClass {
  return outcome === 'allowed' ? 'allowed' : isBlocked(outcome) ? 'blocked' : 'other';
}

export interface ConvergenceSummary {
  readonly rounds: number;
  /** ms after the step's change when the matrix last changed (0 if the first round already held). */
  readonly settledAfterMs: number;
  readonly stable: boolean;
  /** Cells whose class changed back to an earlier class: A -> B -> A. */
  readonly flapping: readonly number[];
  /** Per cell, ms after the change at which it reached its final class. */
  readonly cellSettledAfterMs: readonly number[];
  /**
   * Cells that still changed within the last `stableRounds` rounds, or flapped and did not end held
   * open: their final state is not trustworthy.
   */
  readonly unsettled: readonly number[];
  /**
   * For each unsettled or flapping cell, what it showed and when it changed ("allowed at 0 ms, blocked at 1.2 s,
   * allowed at 2.4 s"): the evidence a reader needs to tell a CNI transient from a loaded probe.
   */
  readonly transitions: ReadonlyMap<number, string>;
}

/**
 * Probing rounds after a change, cell by cell. The matrix is converged when the last `stableRounds`
 * rounds agree on every cell; a cell that returns to an earlier class is flapping.
 */
export class ConvergenceTracker {
  private readonly history: ReachClass[][] = [];
  private readonly times: number[] = [];

  constructor(
    readonly cells: number,
    readonly stableRounds = 2,
  ) {}

  addRound(outcomes: readonly Outcome[], atMs: number): void {
    if (outcomes.length !== this.cells) throw new Error(`round has ${outcomes.length} cells, expected ${this.cells}`);
    this.history.push(outcomes.map(reachClass));
    this.times.push(atMs);
  }

  get rounds(): number {
    return this.history.length;
  }

  isStable(): boolean {
    if (this.history.length < this.stableRounds) return false;
    const recent = this.history.slice(-this.stableRounds);
    return recent.every((round) => round.every((c, i) => c === recent[0]![i]));
  }

  /** The latest round equals `target` on every cell `mask` selects. */
  latestMatches(target: readonly ReachClass[], mask: (i: number) => boolean = () => true): boolean {
    const last = this.history.at(-1);
    return last !== undefined && last.every((c, i) => !mask(i) || c === target[i]);
  }

  summary(): ConvergenceSummary {
    const cells = Array.from({ length: this.cells }, (_, i) => i);
    const cellSettledAfterMs = cells.map((i) => {
      const seen = this.conclusive(i);
      let settled = seen[0]?.at ?? this.times[0] ?? 0;
      for (let k = 1; k < seen.length; k++) if (seen[k]!.c !== seen[k - 1]!.c) settled = seen[k]!.at;
      return settled === (this.times[0] ?? 0) ? 0 : settled;
    });
    // A round where the probe could not tell (`other`: an exec that failed under load, say) is a gap
    // in what we know, not a change of state: allowed, error, allowed is not flapping. The soak showed
    // such gaps counted as flaps at a load average near 40.
    const flapping = cells.filter((i) => {
      const classes: ReachClass[] = [];
      for (const { c } of this.conclusive(i)) {
        if (classes.at(-1) === c) continue;
        if (classes.includes(c)) return true;
        classes.push(c);
      }
      return false;
    });
    const stillChanging = cells.filter((i) => {
      if (this.history.length < this.stableRounds) return false;
      const seen = this.conclusive(i);
      if (!seen.length) return false; // never told anything: its error is the verdict
      const last = seen.slice(-this.stableRounds);
      return last.length < this.stableRounds || last.some((o) => o.c !== last[0]!.c);
    });
    // An answer is positive evidence: a reply came back through the path (UDP probes never reuse a
    // source port, so no earlier flow's conntrack entry answers for them). A timeout is not: a loaded
    // node can miss it, even with the confirming probe. So a cell that flapped and then answered in
    // each of the last `stableRounds` rounds was open when probing stopped, and is judged on that, its
    // transient shown; one that flapped and ended silent stays unsettled (a transient opening, or a
    // loaded probe: it cannot tell which).
    const heldOpen = (i: number) => {
      const last = this.conclusive(i).slice(-this.stableRounds);
      return last.length === this.stableRounds && last.every((o) => o.c === 'allowed');
    };
    const unsettled = [...new Set([...flapping.filter((i) => !heldOpen(i)), ...stillChanging])].sort((a, b) => a - b);
    const transitions = new Map(
      [...new Set([...unsettled, ...flapping])].map((i) => [i, this.transitionsOf(i)] as const),
    );
    return {
      rounds: this.rounds,
      settledAfterMs: Math.max(0, ...cellSettledAfterMs),
      stable: this.isStable(),
      flapping,
      cellSettledAfterMs,
      unsettled,
      transitions,
    };
  }

  /** "allowed at 0 ms, blocked at 1.2 s, ...": the cell's class at each round where it changed. */
  private transitionsOf(cell: number): string {
    const at = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
    const parts: string[] = [];
    this.history.forEach((round, r) => {
      if (r === 0 || round[cell] !== this.history[r - 1]![cell]) parts.push(`${round[cell]} at ${at(this.times[r]!)}`);
    });
    return `${parts.join(', ')} (${this.history.length} rounds)`;
  }

  /** A cell's observations that tell allowed from blocked, with the time of their round. */
  private conclusive(cell: number): Array<{ readonly c: ReachClass; readonly at: number }> {
    return this.history.flatMap((round, r) =>
      round[cell] === 'other' ? [] : [{ c: round[cell]!, at: this.times[r]! }],
    );
  }
}
