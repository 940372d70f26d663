import { hostname } from 'node:os';
import type { RunOwner } from '../model/run-owner.js';
import type { Prober, ProbeTimeouts } from '../probe/commands.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import type { ConvergeOptions } from './converge.js';
import type { RoundOptions } from './probe-round.js';

/**
 * The one place run defaults live. The CLI's flags show and use these (in the flags' units), tests
 * and benchmarks get them through defaultSettings; nothing else writes a default down.
 */
export const RUN_DEFAULTS = {
  /** Per-probe connect timeout; a probe's whole budget is twice this. */
  connectTimeoutSeconds: 1,
  /** How long a step may take to match the prediction. */
  convergeTimeoutSeconds: 15,
  /**
   * Where a CNI's documented worst case is longer. Cilium resolves a relabelled pod's new identity
   * after a random delay of up to identity-max-jitter (30 s), then waits identity-change-grace-period
   * (5 s) (cilium/cilium#38031; docs/cni-findings.md): a namespace or pod label change settled 15 to 33 s
   * after its step here, so a 15 s window judged correct cells as failed.
   */
  convergeTimeoutSecondsByCni: { cilium: 45 } as Readonly<Record<string, number>>,
  /** A passing cell that settles later than this after its step's change is correct but slow. */
  slowAfterSeconds: 5,
  /** Scenarios at once on one target. */
  concurrency: 4,
  prober: 'batch' as Prober,
  /** Rounds in a row a cell must agree before its state counts as settled. */
  stableRounds: 2,
  roundIntervalMs: 200,
  podReadyTimeoutSeconds: 120,
  reusePods: true,
} as const;

/** Everything a run is tuned by; the CLI fills it from flags, tests from literals. */
export interface RunSettings {
  readonly runId: string;
  /** This process: recorded on what the run creates, so orphans of dead runs can be told apart. */
  readonly owner: RunOwner;
  readonly image: WorkloadImage;
  readonly timeouts: ProbeTimeouts;
  readonly prober: Prober;
  readonly round: Omit<RoundOptions, 'timeouts'>;
  readonly converge: Omit<ConvergeOptions, 'signal'>;
  /** A correct cell that settles later than this after a step's change is reported as correct but slow. */
  readonly slowAfterMs: number;
  readonly podReadyTimeoutMs: number;
  /** Scenarios run at once on one target, each in its own namespaces. */
  readonly scenarioConcurrency: number;
  readonly keepNamespaces: boolean;
  /**
   * `--allow-host-network`: node sources get host-network probe pods on --context targets too (on kind
   * always). They share a real node's network, so an existing cluster gets them only when asked.
   */
  readonly allowHostNetwork: boolean;
  /** Run a scenario on the pods of the lane's previous scenario when both have the same topology signature. */
  readonly reusePods: boolean;
  readonly signal?: AbortSignal;
}

/** The convergence window when --converge-timeout is not given: the longest any requested CNI needs. */
export function convergeTimeoutFor(cnis: readonly string[]): number {
  return Math.max(
    RUN_DEFAULTS.convergeTimeoutSeconds,
    ...cnis.map((c) => RUN_DEFAULTS.convergeTimeoutSecondsByCni[c] ?? 0),
  );
}

/**
 * `check` probes real servers: at most this many probes in flight across the cluster at once,
 * a rate a real service does not notice (each probe is one TCP handshake, closed at once).
 */
export const CHECK_DEFAULTS = { maxInFlight: 16, podStartTimeoutSeconds: 120 } as const;

/** How `check` spreads its probes: up to 8 at once inside a probe pod, as many pods as the rest allows. */
export function checkRound(maxInFlight: number): Omit<RoundOptions, 'timeouts'> {
  const parallelInPod = Math.min(8, maxInFlight);
  return { parallelInPod, concurrency: Math.max(1, Math.floor(maxInFlight / parallelInPod)), execTimeoutMs: 30_000 };
}

/** A probe's timeouts from its connect timeout: the whole probe (DNS retries, HTTP reply) gets twice that. */
export function probeTimeouts(connectSeconds: number): ProbeTimeouts {
  return { connectSeconds, totalSeconds: connectSeconds * 2 };
}

/** Tests' default; the CLI uses the probe image pinned in clusters/versions.yaml. */
export const DEFAULT_IMAGE: WorkloadImage = { image: 'netpol-harness/probe:test', pullPolicy: 'IfNotPresent' };

export function defaultSettings(runId: string, overrides: Partial<RunSettings> = {}): RunSettings {
  return {
    runId,
    owner: { host: hostname(), pid: process.pid },
    image: DEFAULT_IMAGE,
    timeouts: probeTimeouts(RUN_DEFAULTS.connectTimeoutSeconds),
    prober: RUN_DEFAULTS.prober,
    round: { concurrency: 32, execTimeoutMs: 30_000, parallelInPod: 64 },
    converge: {
      stableRounds: RUN_DEFAULTS.stableRounds,
      timeoutMs: RUN_DEFAULTS.convergeTimeoutSeconds * 1000,
      intervalMs: RUN_DEFAULTS.roundIntervalMs,
    },
    slowAfterMs: RUN_DEFAULTS.slowAfterSeconds * 1000,
    podReadyTimeoutMs: RUN_DEFAULTS.podReadyTimeoutSeconds * 1000,
    scenarioConcurrency: RUN_DEFAULTS.concurrency,
    keepNamespaces: false,
    allowHostNetwork: false,
    reusePods: RUN_DEFAULTS.reusePods,
    ...overrides,
  };
}
