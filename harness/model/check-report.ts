/**
 * The report of `check`: per context, every class pair and port with the engine's prediction over
 * the live objects, what the probe observed, and the verdict; the classes, what could not be
 * probed and why, the environment as attribute/value rows (so contexts can be compared row by row),
 * and what could not be cleaned up. Several contexts make a parity report: the same cells side by
 * side, the cells where they disagree, and the environment rows that differ.
 * Serialised as JSON (schema/check-report.schema.json); bump the version on a breaking change.
 */
import type { Outcome } from './observation.js';

export const CHECK_REPORT_SCHEMA_VERSION = 1;

/**
 * What a probe of a real server proves (harness/probe/check-classify.ts): a handshake or a DNS reply
 * is `allowed`, silence is `blocked`, a refusal nobody confirmed listening is `ambiguous`.
 */
export type CheckEvidence = 'allowed' | 'blocked' | 'ambiguous' | 'unverifiable' | 'error';

/** `not judged`: a policy of another kind (cluster-scoped, CNI-native) may govern the cell. */
export type CheckVerdict = 'pass' | 'fail' | 'inconclusive' | 'not judged';

export interface CheckReportPort {
  readonly port: number;
  readonly protocol: string;
  readonly name?: string;
}

/** A Service cell (`check --via service`): how the Service was reached, and what is behind it. */
export interface CheckReportService {
  /** `ns/name` of the Service. */
  readonly name: string;
  readonly address: 'cluster-ip' | 'dns-name';
  /** The cluster IP, or the fully qualified DNS name the probe pod resolved. */
  readonly host: string;
  /** `class-key port/protocol`: each class behind it and the port it serves the Service's port on. */
  readonly backends: readonly string[];
}

export interface CheckReportCell {
  /** Source class key, `ns/name`. */
  readonly from: string;
  /** A class key; for a Service cell `svc:ns/name` (by cluster IP) or `svc-dns:ns/name` (by DNS name). */
  readonly to: string;
  /** The destination pod probed, and its IP. */
  readonly pod?: string;
  readonly ip?: string;
  readonly port: CheckReportPort;
  readonly predicted: 'allowed' | 'blocked';
  /** The intent (`check --expect`) where it names this cell: the verdict is then against it. */
  readonly expected?: 'allowed' | 'blocked';
  readonly evidence: CheckEvidence;
  readonly outcome: Outcome;
  readonly detail: string;
  readonly verdict: CheckVerdict;
  /** Policies the engine does not model that apply or may apply to either end (`Kind ns/name`). */
  readonly governedBy?: readonly string[];
  readonly service?: CheckReportService;
}

export interface CheckReportClass {
  readonly key: string;
  readonly owners: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly CheckReportPort[];
  readonly replicas: number;
  readonly pods: readonly string[];
  readonly hostNetwork: boolean;
}

/** One fact about a context that can change what a test observes: `cni`, `namespace shop labels`, ... */
export interface EnvironmentRow {
  readonly attribute: string;
  readonly value: string;
  /** The namespace the row is about (absent: the whole cluster). */
  readonly namespace?: string;
  /** The class keys the row is about (a class's labels; a cluster-wide policy's subjects). */
  readonly classes?: readonly string[];
}

export interface CheckContextReport {
  readonly context: string;
  readonly namespaces: readonly string[];
  readonly classes: readonly CheckReportClass[];
  readonly cells: readonly CheckReportCell[];
  readonly environment: readonly EnvironmentRow[];
  /**
   * Source classes that were not probed from: by design (host network, a Service that publishes
   * not-ready addresses), or because their probe pod was refused or did not start (`failed`).
   */
  readonly notProbed: ReadonlyArray<{ readonly source: string; readonly reason: string; readonly failed: boolean }>;
  readonly notes: readonly string[];
  /** Objects of the run that could not be removed, with the error: the command exits 2. */
  readonly cleanupErrors: readonly string[];
  /** False when the matrix still changed when the convergence timeout ended. */
  readonly stable: boolean;
  /** Set instead of cells when the context could not be checked at all. */
  readonly error?: string;
}

export interface CheckDivergence {
  readonly from: string;
  readonly to: string;
  readonly port: CheckReportPort;
  /** Context -> what was observed there (`allowed`, `blocked`, ... or `absent` when a class is missing). */
  readonly observed: Readonly<Record<string, string>>;
  /** Context -> the engine's prediction there. */
  readonly predicted: Readonly<Record<string, string>>;
  /** Likely causes, from the environment rows that differ and concern either end. */
  readonly causes: readonly string[];
}

export interface EnvironmentDiffRow {
  readonly attribute: string;
  /** Context -> value (`-` when absent). */
  readonly values: Readonly<Record<string, string>>;
  readonly differs: boolean;
}

export interface CheckReport {
  readonly schemaVersion: typeof CHECK_REPORT_SCHEMA_VERSION;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dryRun: false;
  /** `--expect`: the intent file the cells it names were judged against. */
  readonly intent?: { readonly file: string; readonly name: string };
  readonly contexts: readonly CheckContextReport[];
  /** With two or more contexts: the cells where they disagree, and the environment side by side. */
  readonly parity?: {
    readonly divergences: readonly CheckDivergence[];
    readonly environment: readonly EnvironmentDiffRow[];
  };
  /** As in the run report: probe times stretch with the machine's load. */
  readonly machine?: { readonly cpus: number; readonly loadAverage: { readonly start: number; readonly end: number } };
}

export interface CheckCounts {
  readonly cells: number;
  readonly pass: number;
  readonly fail: number;
  readonly inconclusive: number;
  readonly notJudged: number;
}

export function countVerdicts(cells: readonly Pick<CheckReportCell, 'verdict'>[]): CheckCounts {
  const n = (v: CheckVerdict) => cells.filter((c) => c.verdict === v).length;
  return {
    cells: cells.length,
    pass: n('pass'),
    fail: n('fail'),
    inconclusive: n('inconclusive'),
    notJudged: n('not judged'),
  };
}

/**
 * The outcome of a check as its exit code says it: `failed` (1) when a cell contradicts the
 * prediction or intent; `incomplete` (2) when it could not tell everything it should have (a probe
 * error, a probe pod that did not start, a matrix that never held still, a leftover); else `passed`.
 * Ambiguous refusals and unverifiable cells are properties of real servers, never a failure.
 */
export function checkStatus(report: Pick<CheckReport, 'contexts'>): 'passed' | 'failed' | 'incomplete' {
  if (countVerdicts(report.contexts.flatMap((c) => c.cells)).fail) return 'failed';
  const incomplete = report.contexts.some(
    (c) =>
      c.error ||
      c.cleanupErrors.length ||
      !c.stable ||
      c.notProbed.some((n) => n.failed) ||
      c.cells.some((x) => x.evidence === 'error'),
  );
  return incomplete ? 'incomplete' : 'passed';
}
