import { stringify } from 'yaml';
import type { CellResult, DnsResult, RunReport, TargetInfo } from '../model/run-report.js';
import { divergenceRows, DIVERGENCE_HEADER } from './divergence-rows.js';
import { escapeMarkdownCell, markdownCode } from './escape.js';
import { failingPortTables } from './failing-matrices.js';
import { moreText, slowCells, slowIntro, slowRow, SLOW_HEADER } from './slow-cells.js';
import {
  cellLabel,
  convergenceText,
  DIAGNOSIS_TEXT,
  dnsExpectedText,
  dnsLabel,
  enforcementText,
  expectedText,
  failingSteps,
  formatMs,
  predictedText,
  runTotals,
  stepCounts,
  summaryLine,
  targetDescription,
  type FailingStep,
} from './words.js';

/** GitHub-flavoured Markdown for CI step summaries ($GITHUB_STEP_SUMMARY). Pure. */
export function renderMarkdown(report: RunReport): string {
  const t = runTotals(report);
  const ok = t.fail === 0 && t.erroredRuns === 0 && t.targetsNotEnforcing === 0 && t.targetsUnusable === 0;
  const sections = [
    [
      `## netpol-harness: ${ok ? 'passed' : 'FAILED'}`,
      '',
      `Run ${markdownCode(report.runId)}, started ${report.startedAt}, took ${formatMs(report.durationMs)}.`,
      '',
      `**${escapeMarkdownCell(summaryLine(report))}**`,
    ],
    ...report.targets.map((target) => targetSection(report, target)),
    failingCellsSection(report),
    matricesSection(failingSteps(report)),
    divergenceSection(report),
    slowSection(report),
    clusterScopedSection(report),
  ];
  return (
    sections
      .filter((s) => s.length)
      .map((s) => s.join('\n'))
      .join('\n\n') + '\n'
  );
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

const cell = (text: string) => escapeMarkdownCell(text);
const code = (text: string) => markdownCode(text).replace(/\|/g, '\\|');

function targetSection(report: RunReport, target: TargetInfo): string[] {
  const head = [
    `### Target ${cell(target.name)}`,
    '',
    `${cell(targetDescription(target))}: ${cell(enforcementText(target))}`,
  ];
  const runs = report.runs.filter((r) => r.target === target.name);
  if (!runs.length) return [...head, '', '_No scenario ran on this target._'];
  const rows: string[][] = [];
  for (const run of runs) {
    for (const step of run.steps) {
      const n = stepCounts(step);
      const status = n.fail ? '❌ fail' : n.inconclusive ? '⚠️ inconclusive cells' : '✅ pass';
      rows.push([
        cell(run.scenario),
        cell(step.name),
        status,
        ...[n.pass, n.fail, n['deviation-accepted'], n.inconclusive, n['not-asserted']].map(String),
        cell(convergenceText(step)),
      ]);
    }
    if (run.error !== undefined)
      rows.push([cell(run.scenario), '_(could not run)_', '💥 error', '', '', '', '', '', cell(run.error)]);
  }
  return [
    ...head,
    '',
    ...table(
      [
        'scenario',
        'step',
        'status',
        'pass',
        'fail',
        'deviation accepted',
        'inconclusive',
        'not asserted',
        'convergence',
      ],
      rows,
    ),
  ];
}

function failingRow(f: FailingStep, c: CellResult | DnsResult): string[] {
  const isCell = 'to' in c;
  return [
    cell(f.run.target),
    cell(f.run.scenario),
    cell(f.step.name),
    cell(isCell ? cellLabel(c) : dnsLabel(c)),
    isCell ? expectedText(c.expected) : cell(dnsExpectedText(c)),
    predictedText(c.predicted),
    c.observed,
    c.diagnosis ? `**${c.diagnosis}**: ${DIAGNOSIS_TEXT[c.diagnosis]}` : '',
    cell(c.detail),
    code(c.reproduce),
  ];
}

function failingCellsSection(report: RunReport): string[] {
  const failing = failingSteps(report);
  if (!failing.length) return [];
  const rows = failing.flatMap((f) => [...f.cells, ...f.dns].map((c) => failingRow(f, c)));
  return [
    '### Failing cells',
    '',
    ...table(
      ['target', 'scenario', 'step', 'cell', 'expected', 'predicted', 'observed', 'diagnosis', 'evidence', 'reproduce'],
      rows,
    ),
  ];
}

const MARKDOWN_LEGEND =
  'What was observed on each port with failing cells (rows: sources, columns: destinations): ' +
  '`.` allowed, `X` blocked (refused or dropped), `?` could not tell (probe error); ' +
  'a trailing `!` marks a cell that **failed**, `~` a known deviation accepted.';

function matricesSection(failing: readonly FailingStep[]): string[] {
  if (!failing.length) return [];
  const out = ['### Matrices of failing ports', '', MARKDOWN_LEGEND];
  for (const f of failing) {
    for (const t of failingPortTables(f.step)) {
      out.push(
        '',
        `**${cell(f.run.scenario)}** on **${cell(f.run.target)}**, step **${cell(f.step.name)}**, port ${t.label}`,
        '',
        '```text',
        t.text,
        '```',
      );
    }
  }
  return out;
}

function divergenceSection(report: RunReport): string[] {
  const d = divergenceRows(report);
  if (!d || !report.divergences.length) return [];
  const rows = d.rows.map((r) =>
    r.map((v, i) =>
      i >= DIVERGENCE_HEADER.length
        ? `${v === 'allowed' ? '🟢' : v === 'refused' || v === 'dropped' ? '🔴' : '⚪'} ${v}`
        : cell(v),
    ),
  );
  return [
    '### Divergences across targets',
    '',
    `Cells where targets observed different reachability (${report.divergences.length}).`,
    '',
    ...table([...DIVERGENCE_HEADER, ...d.targets.map(cell)], rows),
  ];
}

function slowSection(report: RunReport): string[] {
  const { shown, more } = slowCells(report);
  if (!shown.length) return [];
  const rows = shown.map((s) => slowRow(s).map(cell));
  return [
    '### Correct but slow',
    '',
    cell(slowIntro(report)),
    '',
    ...table([...SLOW_HEADER], rows),
    ...(more ? ['', `_${moreText(more)}._`] : []),
  ];
}

/** Every cluster-scoped policy as a step applied it: what it could select, confined to the run's namespaces. */
function clusterScopedSection(report: RunReport): string[] {
  const applied = report.runs.flatMap((run) =>
    run.steps.flatMap((step) => (step.clusterPolicies ?? []).map((policy) => ({ run, step, policy }))),
  );
  if (!applied.length) return [];
  return [
    '### Cluster-scoped policies as applied',
    '',
    "Every namespace selector is confined to the scenario's own namespaces (`kubernetes.io/metadata.name In [...]`).",
    ...applied.flatMap(({ run, step, policy }) => [
      '',
      `**${cell(run.scenario)}** on **${cell(run.target)}**, step **${cell(step.name)}**:`,
      '',
      '```yaml',
      stringify(policy).trimEnd(),
      '```',
    ]),
  ];
}
