import type { Expected } from '../model/expectations.js';
import type { Outcome } from '../model/observation.js';
import type { RunReport } from '../model/run-report.js';
import type { Verdict } from '../model/verdict.js';
import { cellId, cellOfTarget } from '../model/matrix-cell.js';

/**
 * The history store's records: one JSON object per line, one file per night (docs/history.md).
 * A night is one run of the matrix, named by when it started and its run id. Every record names
 * its night and matrix cell, so a file can be read, grepped or concatenated on its own.
 */
export const HISTORY_FORMAT = 1 as const;

interface Keyed {
  /** The format version of the record. */
  readonly v: typeof HISTORY_FORMAT;
  /** When the night started (ISO 8601) and its run id. */
  readonly night: string;
  readonly run: string;
  /** The matrix cell: `cilium@v1.18.3/k8s@v1.34.4`. */
  readonly cell: string;
}

/** The cell's cluster: up, or the reason it was not (a red column, not an aborted night). */
export interface TargetRecord extends Keyed {
  readonly kind: 'target';
  readonly cni: string;
  readonly cniVersion?: string;
  readonly kubernetes?: string;
  readonly enforced?: boolean;
  readonly error?: string;
}

export interface ScenarioRecord extends Keyed {
  readonly kind: 'scenario';
  readonly scenario: string;
  readonly tags: readonly string[];
  readonly durationMs: number;
  readonly error?: string;
}

/** Time to converge: how long after the step's change the matrix stopped changing. */
export interface StepRecord extends Keyed {
  readonly kind: 'step';
  readonly scenario: string;
  readonly step: string;
  readonly settledAfterMs: number;
  readonly rounds: number;
  readonly stable: boolean;
}

/** One probed cell: `x/a -> y/b 80/TCP`, or a lookup `x/a -> dns:kubernetes.default`. */
export interface ProbeRecord extends Keyed {
  readonly kind: 'probe';
  readonly scenario: string;
  readonly step: string;
  readonly probe: string;
  readonly verdict: Verdict;
  readonly observed: Outcome;
  readonly predicted: boolean;
  readonly expected?: Expected;
  /** The accepted known deviation's reason. */
  readonly deviation?: string;
  readonly settledAfterMs?: number;
  readonly flapping?: boolean;
}

export type HistoryRecord = TargetRecord | ScenarioRecord | StepRecord | ProbeRecord;

export const probeName = (c: {
  from: string;
  to: string;
  port: number;
  protocol: string;
  via?: string;
  service?: string;
}): string => `${c.from} -> ${c.to} ${c.port}/${c.protocol}${c.via ? ` via ${c.via} ${c.service ?? ''}` : ''}`;
export const dnsProbeName = (d: { from: string; name: string }): string => `${d.from} -> dns:${d.name}`;

/** A report (one cell's or a merged night's) as history records, every target a matrix cell. */
export function recordsFromReport(report: RunReport): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  const cellOfName = new Map(report.targets.map((t) => [t.name, cellId(cellOfTarget(t))]));
  for (const t of report.targets) {
    const cell = cellOfTarget(t);
    out.push({
      v: HISTORY_FORMAT,
      night: report.startedAt,
      run: report.runId,
      cell: cellId(cell),
      kind: 'target',
      ...cell,
      ...(t.enforcement ? { enforced: t.enforcement.enforced } : {}),
      ...(t.error ? { error: t.error } : {}),
    });
  }
  for (const run of report.runs) {
    const keyed = { v: HISTORY_FORMAT, night: report.startedAt, run: report.runId, cell: cellOfName.get(run.target)! };
    out.push({
      ...keyed,
      kind: 'scenario',
      scenario: run.scenario,
      tags: run.tags ?? [],
      durationMs: run.durationMs,
      ...(run.error ? { error: run.error } : {}),
    });
    for (const step of run.steps) {
      const at = { ...keyed, scenario: run.scenario, step: step.name };
      out.push({ ...at, kind: 'step', ...step.convergence });
      for (const c of step.cells)
        out.push({
          ...at,
          kind: 'probe',
          probe: probeName(c),
          verdict: c.verdict,
          observed: c.observed,
          predicted: c.predicted,
          expected: c.expected,
          ...(c.deviationReason ? { deviation: c.deviationReason } : {}),
          settledAfterMs: c.settledAfterMs,
          ...(c.flapping ? { flapping: true } : {}),
        });
      for (const d of step.dns)
        out.push({
          ...at,
          kind: 'probe',
          probe: dnsProbeName(d),
          verdict: d.verdict,
          observed: d.observed,
          predicted: d.predicted,
          ...(d.deviationReason ? { deviation: d.deviationReason } : {}),
        });
    }
  }
  return out;
}
