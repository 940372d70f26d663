import { DEFAULT_SLOW_AFTER_MS } from '../model/slow.js';
import type { Prober, ProbeTimeouts } from '../probe/commands.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import type { ConvergeOptions } from './converge.js';
import type { RoundOptions } from './probe-round.js';

/** Everything a run is tuned by; the CLI fills it from flags, tests from literals. */
export interface RunSettings {
  readonly runId: string;
  readonly image: WorkloadImage;
  readonly timeouts: ProbeTimeouts;
  readonly prober: Prober;
  readonly round: RoundOptions;
  readonly converge: Omit<ConvergeOptions, 'signal'>;
  /** A correct cell that settles later than this after a step's change is reported as correct but slow. */
  readonly slowAfterMs: number;
  readonly podReadyTimeoutMs: number;
  /** Scenarios run at once on one target, each in its own namespaces. */
  readonly scenarioConcurrency: number;
  readonly keepNamespaces: boolean;
  /** Run a scenario on the pods of the lane's previous scenario when both have the same topology signature. */
  readonly reusePods: boolean;
  readonly signal?: AbortSignal;
}

/** Tests' default; the CLI uses the probe image pinned in clusters/versions.yaml. */
export const DEFAULT_IMAGE: WorkloadImage = { image: 'netpol-harness/probe:test', pullPolicy: 'IfNotPresent' };

export function defaultSettings(runId: string, overrides: Partial<RunSettings> = {}): RunSettings {
  return {
    runId,
    image: DEFAULT_IMAGE,
    timeouts: { connectSeconds: 1, totalSeconds: 2 },
    prober: 'batch',
    round: { concurrency: 32, execTimeoutMs: 30_000, parallelInPod: 64 },
    converge: { stableRounds: 2, timeoutMs: 15_000, intervalMs: 200 },
    slowAfterMs: DEFAULT_SLOW_AFTER_MS,
    podReadyTimeoutMs: 120_000,
    scenarioConcurrency: 4,
    keepNamespaces: false,
    reusePods: true,
    ...overrides,
  };
}
