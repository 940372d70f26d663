/** Small reports for history tests: one target per matrix cell, one scenario, one step. */
import type { CellResult, RunReport, TargetInfo } from '../../../harness/model/run-report.js';
import type { Verdict } from '../../../harness/model/verdict.js';
import type { Outcome } from '../../../harness/model/observation.js';

export interface CellSpec {
  readonly to: string;
  readonly verdict: Verdict;
  readonly observed?: Outcome;
  readonly deviation?: string;
}

export interface NightSpec {
  readonly startedAt: string;
  readonly runId?: string;
  readonly cells: Record<
    string,
    { readonly error?: string; readonly settledAfterMs?: number; readonly probes?: CellSpec[] }
  >;
}

export function cellResult(c: CellSpec): CellResult {
  const allowed = c.verdict === 'pass' ? true : c.verdict === 'fail' ? false : true;
  return {
    from: 'x/a',
    to: c.to,
    port: 80,
    protocol: 'TCP',
    expected: allowed ? 'allow' : 'deny',
    expectationSource: 'default',
    predicted: true,
    observed: c.observed ?? (c.verdict === 'fail' ? 'dropped' : c.verdict === 'inconclusive' ? 'error' : 'allowed'),
    detail: '',
    verdict: c.verdict,
    ...(c.deviation ? { deviationReason: c.deviation } : {}),
    clusterDeviatesFromSpec: c.verdict === 'deviation-accepted',
    settledAfterMs: 100,
    flapping: false,
    slow: false,
    reproduce: '',
  };
}

/** `cilium@v1.18.3/k8s@v1.34.4` -> a target of that CNI, CNI version and Kubernetes version. */
export function target(cell: string, error?: string): TargetInfo {
  const m = /^(.+)@(.+)\/k8s@(.+)$/.exec(cell)!;
  return {
    name: cell,
    kind: 'kind',
    cni: m[1]!,
    cniVersion: m[2]!,
    kubernetesVersion: m[3]!,
    context: `kind-${m[1]}`,
    enforcement: error ? undefined : { enforced: true, evidence: 'canary blocked' },
    ...(error ? { error } : {}),
    capabilities: { sctp: false },
  };
}

export function night(spec: NightSpec): RunReport {
  const cells = Object.entries(spec.cells);
  return {
    schemaVersion: 1,
    runId: spec.runId ?? 'r1',
    startedAt: spec.startedAt,
    durationMs: 1000,
    slowAfterMs: 5000,
    targets: cells.map(([cell, c]) => target(cell, c.error)),
    runs: cells
      .filter(([, c]) => !c.error)
      .map(([cell, c]) => ({
        scenario: 'upstream-case',
        file: 'upstream-case.yaml',
        tags: ['ingress'],
        target: cell,
        steps: [
          {
            name: 'initial',
            cells: (c.probes ?? []).map(cellResult),
            dns: [],
            convergence: { rounds: 2, settledAfterMs: c.settledAfterMs ?? 1000, stable: true },
            durationMs: 10,
          },
        ],
        durationMs: 100,
      })),
    divergences: [],
  };
}
