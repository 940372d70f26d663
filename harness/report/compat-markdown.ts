import { shownCount, type CompatColumn, type CompatPage, type Square, type SquareStatus } from '../history/compat.js';
import { escapeMarkdownCell, markdownCode } from './escape.js';
import { renderDiffMarkdown } from './history-diff-text.js';
import { formatMs } from './words.js';

/**
 * The compatibility page as GitHub-flavoured Markdown, for a CI step summary: what changed since
 * last night on top, then one table row per feature (the worst square of its scenarios), then the
 * time to converge per cell. The per-scenario detail is the HTML page's.
 */
export const SQUARE_SYMBOL: Readonly<Record<SquareStatus, string>> = {
  pass: '✅',
  deviation: '🟨',
  fail: '❌',
  inconclusive: '❔',
  unsupported: '➖',
  error: '💥',
  down: '⛔',
  absent: ' ',
};

export const SQUARE_WORD: Readonly<Record<SquareStatus, string>> = {
  pass: 'pass',
  deviation: 'accepted deviation',
  fail: 'fail',
  inconclusive: 'inconclusive',
  unsupported: 'not supported',
  error: 'could not run',
  down: 'cluster down',
  absent: 'not run',
};

export function renderCompatMarkdown(page: CompatPage): string {
  const out = [`## CNI compatibility, ${page.startedAt}`, '', `Night ${markdownCode(page.runId)}.`, ''];
  if (page.diff) out.push(renderDiffMarkdown(page.diff));
  const header = ['feature', ...page.columns.map(columnHeader)];
  out.push(
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...page.groups.map(
      (g) => `| ${markdownCode(g.feature)} (${g.rows.length}) | ${g.summary.map((s) => squareText(s)).join(' | ')} |`,
    ),
    '',
    Object.entries(SQUARE_SYMBOL)
      .filter(([status]) => status !== 'absent')
      .map(([status, symbol]) => `${symbol} ${SQUARE_WORD[status as SquareStatus]}`)
      .join(' · '),
    '',
    '### Time to converge',
    '',
    '| cell | steps | median | p90 | max | never settled |',
    '|---|---|---|---|---|---|',
    ...page.columns.map((c) => convergenceRow(c)),
    '',
  );
  const down = page.columns.filter((c) => c.error);
  if (down.length)
    out.push(
      '### Cells that did not come up',
      '',
      ...down.map((c) => `- ${c.id}: ${escapeMarkdownCell(c.error!)}`),
      '',
    );
  return out.join('\n');
}

function columnHeader(c: CompatColumn): string {
  const name = escapeMarkdownCell(c.id);
  return c.report ? `[${name}](${c.report})` : name;
}

function squareText(s: Square): string {
  const count = shownCount(s);
  return `${SQUARE_SYMBOL[s.status]}${count ? ` ${count}` : ''}`;
}

function convergenceRow(c: CompatColumn): string {
  const f = c.convergence;
  const ms = (v: number | undefined) => (v === undefined ? '-' : formatMs(v));
  const cells = [escapeMarkdownCell(c.id), f.steps, ms(f.medianMs), ms(f.p90Ms), ms(f.maxMs), f.unstable];
  return `| ${cells.join(' | ')} |`;
}
