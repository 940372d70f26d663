import { classifyProbe } from '../probe/classify.js';
import { isBlocked, type Observation } from '../model/observation.js';
import type { ProbePlan } from '../probe/plan.js';
import type { ProbeTimeouts } from '../probe/commands.js';
import { parseProbeOutput, renderProbeScript } from '../probe/script.js';
import { mapLimit } from '../util/pool.js';
import type { ScriptRunner } from './probe-shells.js';

export interface RoundOptions {
  /** Source pods probed at once. */
  readonly concurrency: number;
  /** Ceiling for one source's exec (all its probes run concurrently inside it). */
  readonly execTimeoutMs: number;
  /** Probes run at once inside one pod (tools prober). */
  readonly parallelInPod: number;
  readonly timeouts: ProbeTimeouts;
}

export interface RoundResult {
  readonly cells: Observation[];
  readonly dns: Observation[];
  readonly durationMs: number;
  /** Source pods whose exec failed in this round, with why. */
  readonly failedSources?: ReadonlyArray<{
    readonly namespace: string;
    readonly pod: string;
    readonly failure: string;
  }>;
}

/**
 * One probe of every cell: one exec per source pod, all its probes concurrent inside it. A failed
 * exec makes every probe of that source an `error` with the cause; it is never read as blocked.
 * Nor is a probe to a pod whose own exec failed in the same round: a pod that was deleted, or
 * whose node is paused or gone, does not answer either, and that silence is not a policy's.
 */
export async function probeRound(
  run: ScriptRunner,
  plan: ProbePlan,
  sizes: { cells: number; dns: number },
  options: RoundOptions,
): Promise<RoundResult> {
  const started = Date.now();
  const cells: Observation[] = Array.from({ length: sizes.cells }, () => ({ outcome: 'error', detail: 'not probed' }));
  const dns: Observation[] = Array.from({ length: sizes.dns }, () => ({ outcome: 'error', detail: 'not probed' }));
  for (const s of plan.skipped) cells[s.index] = { outcome: s.outcome ?? 'unsupported', detail: s.reason };
  for (const s of plan.skippedDns ?? []) dns[s.index] = { outcome: 'unsupported', detail: s.reason };
  const deadPods = new Map<string, string>();
  const failedSources: Array<{ namespace: string; pod: string; failure: string }> = [];
  await mapLimit(plan.sources, options.concurrency, async (source) => {
    const script = renderProbeScript(source.probes, options.parallelInPod, options.timeouts);
    const result = await run(source.namespace, source.pod, script, options.execTimeoutMs);
    const lines = result.failure ? undefined : parseProbeOutput(result.stdout);
    for (const probe of source.probes) {
      const observation: Observation = lines
        ? classifyProbe(probe.target, lines.get(probe.id), probe.identity, probe.batch !== undefined)
        : {
            outcome: 'error',
            detail:
              `${source.namespace}/${source.pod}: ${result.failure}` +
              (result.stderr ? ` (${result.stderr.trim().slice(0, 200)})` : ''),
          };
      (probe.subject.kind === 'cell' ? cells : dns)[probe.subject.index] = observation;
    }
    if (result.failure) {
      failedSources.push({ namespace: source.namespace, pod: source.pod, failure: result.failure });
      if (source.ip) deadPods.set(source.ip, `${source.namespace}/${source.pod}: ${result.failure}`);
    }
  });
  return {
    cells: withDeadDestinations(cells, plan, deadPods),
    dns,
    durationMs: Date.now() - started,
    ...(failedSources.length ? { failedSources } : {}),
  };
}

/** Blocked-looking cells whose destination pod did not take an exec this round become `error`, with both causes. */
function withDeadDestinations(cells: Observation[], plan: ProbePlan, dead: ReadonlyMap<string, string>): Observation[] {
  if (!dead.size) return cells;
  for (const source of plan.sources)
    for (const probe of source.probes) {
      const { subject, target } = probe;
      if (subject.kind !== 'cell' || target.kind !== 'connect') continue;
      const why = dead.get(target.ip);
      const seen = cells[subject.index]!;
      if (why && isBlocked(seen.outcome))
        cells[subject.index] = {
          outcome: 'error',
          detail:
            `${seen.outcome} (${seen.detail}), but the destination's own exec failed in this round too (${why}): ` +
            'its pod or node is down, which is no evidence of a block',
        };
    }
  return cells;
}
