import type { Outcome } from './observation.js';
import { reachClass } from './convergence.js';
import type { Expected, ExpectationSource } from './expectations.js';
import type { Protocol } from './protocol.js';
import type { Diagnosis, Verdict } from './verdict.js';

/**
 * Everything a live run found, in one serialisable shape: what every reporter renders, and
 * what `--output json` writes (schema version 1). Keys are logical (`ns/workload`).
 */
export const REPORT_SCHEMA_VERSION = 1;

export type TargetKind = 'kind' | 'context';

export interface TargetInfo {
  /** Display name: the CNI for kind targets (`calico`), the context name otherwise. */
  readonly name: string;
  readonly kind: TargetKind;
  readonly cni?: string;
  /** The CNI agent's image tag (`v3.31.0`): known deviations with a version range are judged against it. */
  readonly cniVersion?: string;
  readonly context: string;
  readonly kubernetesVersion?: string;
  /** The canary: a default-deny must really block, else nothing else on this target is trustworthy. */
  readonly enforcement: { readonly enforced: boolean; readonly evidence: string } | undefined;
  /** Set when the target could not be used at all (cluster did not come up, RBAC missing, ...). */
  readonly error?: string;
  readonly capabilities: { readonly sctp: boolean };
}

export interface CellResult {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly portName?: string;
  /** The path probed (absent: the pod's IP); `port` is then the backend's targetPort. `nodeport`: from an external. */
  readonly via?: 'service' | 'dns' | 'nodeport';
  /** `name:port` of the Service probed, on `service` and `dns` cells. */
  readonly service?: string;
  /** Why the spec does not define this cell's outcome; such a cell is not asserted unless a rule says so. */
  readonly unspecified?: string;
  readonly expected: Expected;
  readonly expectationSource: ExpectationSource;
  readonly predicted: boolean;
  readonly observed: Outcome;
  /** Evidence: HTTP status and server identity, tool message, or why the probe failed. */
  readonly detail: string;
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
  readonly clusterDeviatesFromSpec: boolean;
  readonly deviationReason?: string;
  /** ms after the step's change at which the cell reached its final state. */
  readonly settledAfterMs: number;
  readonly flapping: boolean;
  /** Correct but slow: a pass (or accepted deviation) that settled after the run's `slowAfterMs`. Not a failure. */
  readonly slow: boolean;
  /** A `kubectl exec` line that reproduces the probe. */
  readonly reproduce: string;
}

export interface DnsResult {
  readonly from: string;
  readonly name: string;
  readonly expected?: boolean;
  readonly predicted: boolean;
  readonly observed: Outcome;
  readonly detail: string;
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
  /** The known deviation's reason, when one was accepted (`to: dns:<name>`). */
  readonly deviationReason?: string;
  readonly reproduce: string;
}

export interface StepResult {
  readonly name: string;
  readonly cells: readonly CellResult[];
  readonly dns: readonly DnsResult[];
  readonly convergence: {
    readonly rounds: number;
    /** ms from the step's change until the matrix stopped changing. */
    readonly settledAfterMs: number;
    /** False when the convergence timeout ran out before the matrix held still. */
    readonly stable: boolean;
  };
  readonly durationMs: number;
  /**
   * The cluster-scoped policies (ANP, BANP, CNP) as this step applied them: every namespace selector
   * confined to the scenario's namespaces, run-labelled. Absent when the step has none.
   */
  readonly clusterPolicies?: ReadonlyArray<Record<string, unknown>>;
}

export interface ScenarioRun {
  readonly scenario: string;
  readonly file: string;
  /** The features the scenario exercises (read from it) and its `metadata.tags`: the compatibility page's rows. */
  readonly tags?: readonly string[];
  readonly target: string;
  readonly steps: readonly StepResult[];
  /** Set when the scenario could not be deployed or probed on this target. */
  readonly error?: string;
  readonly durationMs: number;
}

/** A cell on which targets disagree: the core of parity checks and CNI compatibility runs. */
export interface Divergence {
  readonly scenario: string;
  readonly step: string;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly predicted: boolean;
  readonly observed: Readonly<Record<string, Outcome>>;
}

export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** A correct cell that settled later than this after its step's change is reported as correct but slow. */
  readonly slowAfterMs: number;
  readonly targets: readonly TargetInfo[];
  readonly runs: readonly ScenarioRun[];
  readonly divergences: readonly Divergence[];
  /**
   * The machine the harness ran on: probes, execs and convergence times stretch with its load, so
   * a report says what the load was (1-minute average at the start and at the end of the run).
   */
  readonly machine?: { readonly cpus: number; readonly loadAverage: { readonly start: number; readonly end: number } };
  /** What the run could not remove, each with the object and the error (the exit code is 2). */
  readonly cleanupFailures?: readonly string[];
}

export interface VerdictCounts {
  readonly pass: number;
  readonly fail: number;
  readonly 'deviation-accepted': number;
  readonly inconclusive: number;
  readonly 'not-asserted': number;
  /** Failing cells where expected != predicted: "your policy does not do what you expect". */
  readonly policyFaults: number;
  /** Failing cells where predicted != observed: "the cluster does not do what the spec says". */
  readonly clusterFaults: number;
  /** Correct but slow cells, already counted in `pass` or `deviation-accepted`. */
  readonly slow: number;
}

export function countVerdicts(
  cells: ReadonlyArray<{ verdict: Verdict; diagnosis?: Diagnosis; slow?: boolean }>,
): VerdictCounts {
  const counts = {
    pass: 0,
    fail: 0,
    'deviation-accepted': 0,
    inconclusive: 0,
    'not-asserted': 0,
    policyFaults: 0,
    clusterFaults: 0,
    slow: 0,
  };
  for (const c of cells) {
    counts[c.verdict]++;
    if (c.diagnosis === 'policy') counts.policyFaults++;
    if (c.diagnosis === 'cluster') counts.clusterFaults++;
    if (c.slow) counts.slow++;
  }
  return counts;
}

/** Cells where targets observed different reachability for the same scenario, step and cell. */
export function findDivergences(runs: readonly ScenarioRun[]): Divergence[] {
  const byCell = new Map<string, { base: Omit<Divergence, 'observed'>; observed: Record<string, Outcome> }>();
  for (const run of runs) {
    for (const step of run.steps) {
      for (const c of step.cells) {
        const key = [run.scenario, step.name, c.from, c.to, c.port, c.protocol].join('|');
        let entry = byCell.get(key);
        if (!entry)
          byCell.set(
            key,
            (entry = {
              base: {
                scenario: run.scenario,
                step: step.name,
                from: c.from,
                to: c.to,
                port: c.port,
                protocol: c.protocol,
                predicted: c.predicted,
              },
              observed: {},
            }),
          );
        entry.observed[run.target] = c.observed;
      }
    }
  }
  // Refused and dropped are both "blocked"; any other outcome stands for itself.
  const reach = (o: Outcome) => (reachClass(o) === 'other' ? o : reachClass(o));
  return [...byCell.values()]
    .filter((e) => Object.keys(e.observed).length > 1 && new Set(Object.values(e.observed).map(reach)).size > 1)
    .map((e) => ({ ...e.base, observed: e.observed }));
}
