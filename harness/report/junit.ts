import type { RunReport, ScenarioRun, StepResult, TargetInfo } from '../model/run-report.js';
import { escapeXml } from './escape.js';
import { moreText, slowCellsOf, slowest } from './slow-cells.js';
import {
  cellLabel,
  convergenceText,
  enforcementState,
  failureLines,
  formatMs,
  stepCounts,
  summaryLine,
  targetDescription,
} from './words.js';

/**
 * JUnit XML: one <testsuite> per target, one <testcase> per scenario x target x step.
 * - <failure> lists every failing cell (expected / predicted / observed, diagnosis, evidence, reproduce line);
 * - <skipped> when the step is inconclusive-only, or when the target's canary shows policy is not enforced
 *   (its results would be false);
 * - <error> for a scenario that could not run (or stopped) on the target, and for an unusable target;
 * - the canary itself is a testcase per target, failing when a default-deny did not block;
 * - correct-but-slow cells pass: the testcase's <system-out> lists them, never a <failure>.
 */

type Outcome =
  { kind: 'passed' } | { kind: 'failure' | 'error' | 'skipped'; message: string; body?: string; type?: string };

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds: number;
  readonly outcome: Outcome;
  readonly out?: string;
}

const seconds = (ms: number) => ms / 1000;

function stepOutcome(target: TargetInfo, step: StepResult): Outcome {
  const n = stepCounts(step);
  if (enforcementState(target) === 'not-enforced')
    return { kind: 'skipped', message: `policy is not enforced on ${target.name} (canary): results would be false` };
  const failing = [...step.cells, ...step.dns].filter((c) => c.verdict === 'fail');
  if (failing.length) {
    const message =
      `${failing.length} failing cell${failing.length === 1 ? '' : 's'}: ` +
      `${n.policyFaults} policy fault(s), ${n.clusterFaults} cluster fault(s)`;
    return {
      kind: 'failure',
      type: 'cells',
      message,
      body: failing.map((c) => failureLines(c).join('\n  ')).join('\n\n'),
    };
  }
  if (n.inconclusive > 0 && n.pass + n['deviation-accepted'] === 0)
    return {
      kind: 'skipped',
      message: `all ${n.inconclusive} asserted cells were inconclusive (the probes could not tell)`,
    };
  return { kind: 'passed' };
}

function stepOut(run: ScenarioRun, step: StepResult): string {
  const n = stepCounts(step);
  const counts =
    `${n.pass} pass, ${n.fail} fail, ${n['deviation-accepted']} deviation accepted, ` +
    `${n.inconclusive} inconclusive, ${n['not-asserted']} not asserted; ${convergenceText(step)}`;
  const notes = [...step.cells, ...step.dns]
    .filter((c) => c.verdict === 'inconclusive' || c.verdict === 'deviation-accepted')
    .map(
      (c) =>
        `${c.verdict}: ${failureLines(c)[0]} ` +
        `(${'deviationReason' in c && c.deviationReason ? c.deviationReason : c.detail})`,
    );
  // Slow cells pass: they go to the log, never into <failure>.
  const { shown, more } = slowest(slowCellsOf(run, step));
  const slow = shown.map(
    (s) => `correct but slow: ${cellLabel(s.cell)} settled after ${formatMs(s.cell.settledAfterMs)}`,
  );
  return [counts, ...notes, ...slow, ...(more ? [`correct but slow: ${moreText(more)}`] : [])].join('\n');
}

function runCases(target: TargetInfo, run: ScenarioRun): TestCase[] {
  const cases: TestCase[] = run.steps.map((step) => ({
    classname: run.scenario,
    name: `step ${step.name} on ${target.name}`,
    seconds: seconds(step.durationMs),
    outcome: stepOutcome(target, step),
    out: stepOut(run, step),
  }));
  if (run.error !== undefined) {
    const when = run.steps.length ? `stopped after step ${run.steps.at(-1)!.name}` : 'could not run';
    cases.push({
      classname: run.scenario,
      name: `scenario ${run.scenario} on ${target.name}`,
      seconds: seconds(run.durationMs),
      outcome: { kind: 'error', type: 'scenario', message: `${when}: ${run.error}`, body: `${run.file}: ${run.error}` },
    });
  }
  return cases;
}

function targetCases(target: TargetInfo, report: RunReport): TestCase[] {
  const cases: TestCase[] = [];
  if (target.error !== undefined)
    cases.push({
      classname: 'target',
      name: `target ${target.name}`,
      seconds: 0,
      outcome: { kind: 'error', message: target.error },
    });
  if (target.enforcement) {
    const { enforced, evidence } = target.enforcement;
    cases.push({
      classname: 'canary',
      name: `policy enforcement canary on ${target.name}`,
      seconds: 0,
      ...(enforced
        ? { outcome: { kind: 'passed' }, out: evidence }
        : {
            outcome: {
              kind: 'failure',
              type: 'canary',
              message: 'policy is not enforced: a default-deny did not block',
              body: evidence,
            },
          }),
    });
  }
  for (const run of report.runs.filter((r) => r.target === target.name)) cases.push(...runCases(target, run));
  return cases;
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function tally(cases: readonly TestCase[]): Tally {
  const count = (k: Outcome['kind']) => cases.filter((c) => c.outcome.kind === k).length;
  return {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: cases.reduce((s, c) => s + c.seconds, 0),
  };
}

const attrs = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v)}"`)
    .join('');

function caseXml(c: TestCase): string {
  const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: c.seconds })}`;
  const inner: string[] = [];
  if (c.outcome.kind !== 'passed') {
    const { kind, message, body, type } = c.outcome;
    const a = attrs(type ? { message, type } : { message });
    inner.push(body === undefined ? `      <${kind}${a}/>` : `      <${kind}${a}>${escapeXml(body)}</${kind}>`);
  }
  if (c.out) inner.push(`      <system-out>${escapeXml(c.out)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`;
}

function properties(t: TargetInfo): string {
  const props: Record<string, string> = {
    kind: t.kind,
    context: t.context,
    description: targetDescription(t),
    policyEnforced: String(t.enforcement?.enforced ?? 'unknown'),
    sctp: String(t.capabilities.sctp),
  };
  if (t.cni) props['cni'] = t.cni;
  if (t.kubernetesVersion) props['kubernetesVersion'] = t.kubernetesVersion;
  return Object.entries(props)
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join('\n');
}

export function renderJunit(report: RunReport): string {
  const suites = report.targets.map((t) => ({ target: t, cases: targetCases(t, report) }));
  const total = tally(suites.flatMap((s) => s.cases));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${escapeXml(summaryLine(report)).replace(/--/g, '- -')} -->`,
    `<testsuites${attrs({
      name: `netpol-harness ${report.runId}`,
      tests: total.tests,
      failures: total.failures,
      errors: total.errors,
      skipped: total.skipped,
      time: seconds(report.durationMs),
    })}>`,
  ];
  for (const { target, cases } of suites) {
    const t = tally(cases);
    lines.push(
      `  <testsuite${attrs({
        name: target.name,
        tests: t.tests,
        failures: t.failures,
        errors: t.errors,
        skipped: t.skipped,
        time: t.time,
        timestamp: report.startedAt,
      })}>`,
    );
    lines.push('    <properties>', properties(target), '    </properties>', ...cases.map(caseXml), '  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
