import type { Expected } from '../model/expectations.js';
import type {
  CellResult,
  DnsResult,
  RunReport,
  ScenarioRun,
  StepResult,
  TargetInfo,
  VerdictCounts,
} from '../model/run-report.js';
import { countVerdicts } from '../model/run-report.js';
import type { Diagnosis } from '../model/verdict.js';
import type { Outcome } from '../model/observation.js';

/** Shared wording and selections, so every reporter says the same thing the same way. */

export const DIAGNOSIS_TEXT: Record<Diagnosis, string> = {
  policy: 'your policy does not do what you expect',
  cluster: 'the cluster does not do what the spec says',
};

export function expectedText(expected: Expected): string {
  return expected === 'unasserted' ? 'not asserted' : expected;
}

export function predictedText(predicted: boolean): string {
  return predicted ? 'allow' : 'deny';
}

export function dnsExpectedText(d: DnsResult): string {
  return d.expected === undefined ? `${predictedText(d.predicted)} (predicted)` : predictedText(d.expected);
}

export function portText(c: Pick<CellResult, 'port' | 'protocol' | 'portName'>): string {
  return `${c.port}/${c.protocol}${c.portName ? ` (${c.portName})` : ''}`;
}

/** How a cell's path reads after its port: nothing for the pod's IP, else the Service and how it was reached. */
export function viaText(c: Pick<CellResult, 'via' | 'service'>): string {
  if (!c.via) return '';
  return c.via === 'dns' ? ` via DNS name of Service ${c.service ?? ''}` : ` via Service ${c.service ?? ''}`;
}

export function cellLabel(c: CellResult): string {
  return `${c.from} -> ${c.to} ${portText(c)}${viaText(c)}`;
}

export function dnsLabel(d: DnsResult): string {
  return `${d.from} -> DNS ${d.name}`;
}

/** `850ms`, `1.2s`, `2m 05s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** A threshold as a person would write it: `5s`, `2.5s`. */
export function thresholdText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : formatMs(ms);
}

/** How the step converged, and how many of its correct cells took longer than the slow threshold. */
export function convergenceText(step: StepResult): string {
  const c = step.convergence;
  const rounds = `${c.rounds} round${c.rounds === 1 ? '' : 's'}`;
  const slow = countVerdicts(step.cells).slow;
  return (
    (c.stable ? `settled after ${formatMs(c.settledAfterMs)} (${rounds})` : `NOT stable after ${rounds}`) +
    (slow ? `, ${slow} slow` : '')
  );
}

export function targetDescription(t: TargetInfo): string {
  const where =
    t.kind === 'kind'
      ? `kind cluster, CNI ${t.cni ?? 'unknown'}`
      : `context ${t.context}${t.cni ? `, CNI ${t.cni}` : ''}`;
  return t.kubernetesVersion ? `${where}, Kubernetes ${t.kubernetesVersion}` : where;
}

export type EnforcementState = 'enforced' | 'not-enforced' | 'unknown' | 'unusable';

export function enforcementState(t: TargetInfo): EnforcementState {
  if (t.error !== undefined) return 'unusable';
  if (t.enforcement === undefined) return 'unknown';
  return t.enforcement.enforced ? 'enforced' : 'not-enforced';
}

export function enforcementText(t: TargetInfo): string {
  switch (enforcementState(t)) {
    case 'unusable':
      return `target unusable: ${t.error}`;
    case 'unknown':
      return 'canary not run: enforcement unknown';
    case 'enforced':
      return 'policy enforced (canary blocked)';
    case 'not-enforced':
      return `policy NOT enforced: ${t.enforcement?.evidence ?? ''}`;
  }
}

/** Blocked outcomes collapse to one mark; what could not be told gets `?`. */
export function outcomeMark(o: Outcome): '.' | 'X' | '?' {
  return o === 'allowed' ? '.' : o === 'refused' || o === 'dropped' ? 'X' : '?';
}

export function stepCounts(step: StepResult): VerdictCounts {
  return countVerdicts([...step.cells, ...step.dns]);
}

export function isFailing(x: { verdict: string }): boolean {
  return x.verdict === 'fail';
}

/** A step with failing cells, and where it ran. */
export interface FailingStep {
  readonly run: ScenarioRun;
  readonly step: StepResult;
  readonly cells: readonly CellResult[];
  readonly dns: readonly DnsResult[];
}

export function failingSteps(report: RunReport): FailingStep[] {
  return report.runs.flatMap((run) =>
    run.steps
      .map((step) => ({ run, step, cells: step.cells.filter(isFailing), dns: step.dns.filter(isFailing) }))
      .filter((f) => f.cells.length + f.dns.length > 0),
  );
}

export interface RunTotals extends VerdictCounts {
  readonly cells: number;
  readonly runs: number;
  readonly erroredRuns: number;
  readonly targetsNotEnforcing: number;
  readonly targetsUnusable: number;
}

export function runTotals(report: RunReport): RunTotals {
  const all = report.runs.flatMap((r) => r.steps.flatMap((s) => [...s.cells, ...s.dns]));
  return {
    ...countVerdicts(all),
    cells: all.length,
    runs: report.runs.length,
    erroredRuns: report.runs.filter((r) => r.error !== undefined).length,
    targetsNotEnforcing: report.targets.filter((t) => enforcementState(t) === 'not-enforced').length,
    targetsUnusable: report.targets.filter((t) => enforcementState(t) === 'unusable').length,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line verdict every reporter ends with: policy faults apart from cluster faults. */
export function summaryLine(report: RunReport): string {
  const t = runTotals(report);
  const parts = [
    `${plural(report.targets.length, 'target')}, ${plural(t.runs, 'scenario run')}` +
      `${t.erroredRuns ? ` (${t.erroredRuns} errored)` : ''}, ${plural(t.cells, 'cell')}`,
    `${t.pass} pass, ${t.fail} fail, ${t['deviation-accepted']} deviation accepted, ` +
      `${t.inconclusive} inconclusive, ${t['not-asserted']} not asserted`,
    ...(t.slow
      ? [`${t.slow} correct but slow (settled more than ${thresholdText(report.slowAfterMs)} after the change)`]
      : []),
    `${plural(t.policyFaults, 'policy fault')} (${DIAGNOSIS_TEXT.policy})`,
    `${plural(t.clusterFaults, 'cluster fault')} (${DIAGNOSIS_TEXT.cluster})`,
  ];
  if (t.targetsNotEnforcing) parts.push(`${plural(t.targetsNotEnforcing, 'target')} NOT enforcing policy`);
  if (t.targetsUnusable) parts.push(`${plural(t.targetsUnusable, 'target')} unusable`);
  return parts.join('; ');
}

/** The diagnosis of a failing cell in words, with the reason it was reached. */
export function diagnosisText(c: { diagnosis?: Diagnosis; predicted: boolean; observed: Outcome }): string {
  switch (c.diagnosis) {
    case 'policy':
      return (
        `policy fault: ${DIAGNOSIS_TEXT.policy} ` +
        `(by the spec your policies ${c.predicted ? 'allow' : 'deny'} this, and the cluster agrees)`
      );
    case 'cluster':
      return (
        `cluster fault: ${DIAGNOSIS_TEXT.cluster} ` +
        `(by the spec this is ${c.predicted ? 'allowed' : 'denied'}, yet it was ${c.observed})`
      );
    case undefined:
      return 'no diagnosis';
  }
}

/** A failing cell as plain lines: what, whose fault, the evidence, how to reproduce it. */
export function failureLines(
  c: CellResult | DnsResult,
): [headline: string, diagnosis: string, evidence: string, reproduce: string] {
  const what =
    'to' in c
      ? `${cellLabel(c)}: expected ${expectedText(c.expected)}`
      : `${dnsLabel(c)}: expected ${dnsExpectedText(c)}`;
  return [
    `${what}, predicted ${predictedText(c.predicted)}, observed ${c.observed}`,
    diagnosisText(c),
    `evidence: ${c.detail}`,
    `reproduce: ${c.reproduce}`,
  ];
}
