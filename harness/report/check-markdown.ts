/**
 * `check --report FILE.md`: GitHub-flavoured Markdown for a CI step summary or a ticket. The status,
 * per context its counts, one matrix per port (as the console prints it), the cells that did not
 * pass with their evidence, what was not probed; with several contexts, the divergent cells with
 * their likely causes and the environment side by side, differing rows first. Pure.
 */
import { checkStatus, countVerdicts, type CheckContextReport, type CheckReport } from '../model/check-report.js';
import { describeCheck, environmentValue, parityTitle, STATUS_TEXT } from './check-words.js';
import { escapeMarkdownCell, markdownCode } from './escape.js';
import { markOf, portMatrices } from './check-text.js';
import { renderTable } from './matrix-text.js';

const cell = (text: string) => escapeMarkdownCell(text);

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

export function renderCheckMarkdown(report: CheckReport): string {
  const status = checkStatus(report);
  const head = [
    `## netpol-harness check: ${STATUS_TEXT[status]}`,
    '',
    cell(describeCheck(report)),
    '',
    'Matrices: rows are sources, columns destinations; `.` allowed, `X` blocked, `?` no evidence either way ' +
      '(ambiguous, unverifiable, error); a trailing `!` marks a cell that contradicts the prediction (or intent), ' +
      '`*` one a policy the engine does not model may govern (not judged).',
  ];
  const sections = [head, ...report.contexts.map(contextSection)];
  if (report.parity) sections.push(paritySection(report.parity, report.contexts));
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}

function contextSection(c: CheckContextReport): string[] {
  const replicas = c.classes.reduce((n, k) => n + k.replicas, 0);
  const out = [
    `### Context ${markdownCode(c.context)}`,
    '',
    cell(
      `namespaces ${c.namespaces.join(', ')}; ${c.classes.length} workload classes (${replicas} pods); ` +
        `CNI ${environmentValue(c, 'cni')}; Kubernetes ${environmentValue(c, 'kubernetes version')}`,
    ),
  ];
  if (c.error) return [...out, '', `**could not be checked:** ${cell(c.error)}`];
  const n = countVerdicts(c.cells);
  out.push(
    '',
    `**${n.cells} cells: ${n.pass} pass, ${n.fail} fail, ${n.inconclusive} inconclusive, ${n.notJudged} not judged**`,
  );
  for (const g of portMatrices(c.cells))
    out.push(
      '',
      `port ${g.label}`,
      '',
      '```text',
      renderTable(g.cells, (i) => markOf(g.cells[i]!)),
      '```',
    );
  const odd = c.cells.filter((x) => x.verdict !== 'pass');
  if (odd.length)
    out.push(
      '',
      '#### Cells that did not pass',
      '',
      ...table(
        ['from', 'to', 'port', 'expected', 'predicted', 'observed', 'verdict', 'evidence'],
        odd.map((x) => [
          cell(x.from),
          cell(x.service ? `${x.to} (${x.service.host})` : x.pod ? `${x.to} (${x.pod})` : x.to),
          `${x.port.port}/${x.port.protocol}`,
          x.expected ?? '',
          x.predicted,
          x.evidence,
          x.verdict === 'fail' ? '**fail**' : x.verdict,
          cell(x.detail + (x.governedBy?.length ? `; may be governed by ${x.governedBy.join(', ')}` : '')),
        ]),
      ),
    );
  const lists: Array<[string, string[]]> = [
    ['Not probed from', c.notProbed.map((p) => `${p.source}: ${p.reason}`)],
    ['Notes', [...c.notes]],
    ['Could not remove', [...c.cleanupErrors]],
  ];
  for (const [title, items] of lists)
    if (items.length) out.push('', `#### ${title}`, '', ...items.map((i) => `- ${cell(i)}`));
  if (!c.stable) out.push('', '**The matrix still changed when the convergence timeout ended.**');
  return out;
}

function paritySection(parity: NonNullable<CheckReport['parity']>, contexts: readonly CheckContextReport[]): string[] {
  const names = contexts.map((c) => c.context);
  const out = [`### ${cell(parityTitle(names))}`, ''];
  if (!parity.divergences.length) out.push('Every cell was observed the same in every context.');
  else
    out.push(
      ...table(
        ['from', 'to', 'port', ...names.map((n) => `${cell(n)} (predicted)`), 'likely causes'],
        parity.divergences.map((d) => [
          cell(d.from),
          cell(d.to),
          `${d.port.port}/${d.port.protocol}`,
          ...names.map((n) => `${cell(d.observed[n] ?? '-')} (${cell(d.predicted[n] ?? '-')})`),
          d.causes.map(cell).join('<br>'),
        ]),
      ),
    );
  const rows = parity.environment;
  out.push(
    '',
    `#### Environment: ${rows.filter((r) => r.differs).length} of ${rows.length} rows differ`,
    '',
    ...table(
      ['', 'attribute', ...names.map(cell)],
      rows.map((r) => [r.differs ? '≠' : '', cell(r.attribute), ...names.map((n) => cell(r.values[n] ?? '-'))]),
    ),
  );
  return out;
}
