import { classifyProbe } from '../probe/classify.js';
import type { Observation } from '../model/observation.js';
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
}

/**
 * One probe of every cell: one exec per source pod, all its probes concurrent inside it. A failed
 * exec makes every probe of that source an `error` with the cause; it is never read as blocked.
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
  for (const s of plan.skipped) cells[s.index] = { outcome: 'unsupported', detail: s.reason };
  await mapLimit(plan.sources, options.concurrency, async (source) => {
    const script = renderProbeScript(source.probes, options.parallelInPod, options.timeouts);
    const result = await run(source.namespace, source.pod, script, options.execTimeoutMs);
    const lines = result.failure ? undefined : parseProbeOutput(result.stdout);
    for (const probe of source.probes) {
      const observation: Observation = lines
        ? classifyProbe(probe.target, lines.get(probe.id), probe.identity, probe.batch !== undefined)
        : {
            outcome: 'error',
            detail: `${source.namespace}/${source.pod}: ${result.failure}${result.stderr ? ` (${result.stderr.trim().slice(0, 200)})` : ''}`,
          };
      (probe.subject.kind === 'cell' ? cells : dns)[probe.subject.index] = observation;
    }
  });
  return { cells, dns, durationMs: Date.now() - started };
}
