import type { ReachClass } from '../model/convergence.js';
import type { Observation } from '../model/observation.js';
import type { ProbePlan } from '../probe/plan.js';
import type { Converged } from './converge.js';
import type { RoundResult } from './probe-round.js';

/** How much longer the confirming probe waits than the round's probes. */
export const CONFIRM_TIMEOUT_FACTOR = 3;

type Seen = Pick<Converged, 'cells' | 'dns'>;

/**
 * Cells (then DNS cells, numbered after them) seen dropped where the engine predicts them open;
 * with `previous`, only those that were allowed in that round (an open path that just "closed").
 */
export function unexpectedDrops(observed: Seen, predicted: readonly ReachClass[], previous?: Seen): Set<number> {
  const all = [...observed.cells, ...observed.dns];
  const before = previous && [...previous.cells, ...previous.dns];
  return new Set(
    all.flatMap((o, i) =>
      o.outcome === 'dropped' && predicted[i] === 'allowed' && (!before || before[i]?.outcome === 'allowed') ? [i] : [],
    ),
  );
}

/** The part of a plan that probes only the given cells (DNS cells numbered after the cells). */
export function planOnly(plan: ProbePlan, wanted: ReadonlySet<number>, cellCount: number): ProbePlan {
  const sources = plan.sources.flatMap((s) => {
    const probes = s.probes.filter((p) =>
      wanted.has(p.subject.kind === 'cell' ? p.subject.index : cellCount + p.subject.index),
    );
    return probes.length ? [{ ...s, probes }] : [];
  });
  return { sources, skipped: [] };
}

/**
 * A timeout is the one outcome that load alone can cause: on a busy node a 1 s connect timeout can
 * fire on an open path. Before such a cell counts against the cluster (predicted allowed, seen
 * dropped), it gets one more probe with a longer timeout. An answer then is positive evidence and
 * replaces the drop (noted in its detail); another timeout confirms the drop. Nothing else changes.
 */
export async function confirmUnexpectedDrops<T extends Seen>(
  observed: T,
  predicted: readonly ReachClass[],
  reprobe: (cells: ReadonlySet<number>) => Promise<RoundResult>,
  confirmSeconds: number,
  previous?: Seen,
): Promise<T> {
  const suspects = unexpectedDrops(observed, predicted, previous);
  if (!suspects.size) return observed;
  const again = await reprobe(suspects);
  const n = observed.cells.length;
  const merge = (first: Observation, second: Observation | undefined): Observation => {
    if (second?.outcome === 'allowed')
      return {
        ...second,
        detail:
          `${second.detail} (answered a confirming probe with a ${confirmSeconds} s timeout; ` +
          "the round's probes timed out: a slow path or a loaded node)",
      };
    if (second?.outcome === 'dropped')
      return {
        ...first,
        detail: `${first.detail} (confirmed: a second probe with a ${confirmSeconds} s timeout timed out too)`,
      };
    return {
      ...first,
      detail:
        `${first.detail} (a confirming probe with a ${confirmSeconds} s timeout ` +
        `saw ${second?.outcome ?? 'nothing'}: ${second?.detail ?? ''})`,
    };
  };
  return {
    ...observed,
    cells: observed.cells.map((o, i) => (suspects.has(i) ? merge(o, again.cells[i]) : o)),
    dns: observed.dns.map((o, i) => (suspects.has(n + i) ? merge(o, again.dns[i]) : o)),
  };
}
