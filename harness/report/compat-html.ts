import {
  shownCount,
  type CompatColumn,
  type CompatGroup,
  type CompatPage,
  type Square,
  type SquareStatus,
} from '../history/compat.js';
import { escapeXml as esc } from './escape.js';
import { SQUARE_WORD } from './compat-markdown.js';
import { diffHeadline, diffSections } from './history-diff-text.js';
import { COMPAT_STYLE } from './compat-style.js';
import { formatMs } from './words.js';

/**
 * The compatibility page: one self-contained HTML file (inline CSS, no script, no external asset),
 * readable at a glance. On top, what changed since last night; then features x matrix cells, each
 * square the worst of its scenarios with the reasons on hover; then every feature's scenarios;
 * then the time each cell took to converge.
 */
export function renderCompatHtml(page: CompatPage): string {
  const body = [
    `<h1>CNI compatibility</h1>`,
    `<p class="meta">Night ${esc(page.runId)}, started ${esc(page.startedAt)}. ` +
      `${page.columns.length} matrix cell(s), ` +
      `${page.groups.length} feature(s).</p>`,
    legend(),
    changes(page),
    `<h2>Features</h2>`,
    table(
      page.columns,
      page.groups.map((g) => ({
        label: `<a href="#f-${esc(g.feature)}">${esc(g.feature)}</a>`,
        note: `${g.rows.length}`,
        squares: g.summary,
      })),
      'feature',
    ),
    `<h2>Scenarios by feature</h2>`,
    ...page.groups.map((g) => featureDetails(page.columns, g)),
    convergence(page.columns),
    down(page.columns),
  ];
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>CNI compatibility ${esc(page.startedAt)}</title><style>${COMPAT_STYLE}</style></head>` +
    `<body><main>\n${body.filter(Boolean).join('\n')}\n</main></body></html>\n`
  );
}

interface Row {
  readonly label: string;
  readonly note: string;
  readonly squares: readonly Square[];
}

function table(columns: readonly CompatColumn[], rows: readonly Row[], first: string): string {
  const head = columns.map((c) => `<th scope="col">${columnHead(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${r.label} <span class="n">${esc(r.note)}</span></th>` +
        `${r.squares.map(square).join('')}</tr>`,
    )
    .join('\n');
  return (
    `<div class="scroll"><table class="compat"><thead><tr><th scope="col">${first}</th>${head}</tr></thead>` +
    `<tbody>\n${body}\n</tbody></table></div>`
  );
}

function columnHead(c: CompatColumn): string {
  const [cni, rest] = [c.cell.cni, `${c.cell.cniVersion ?? '?'}`];
  const inner = `<b>${esc(cni)}</b><br>${esc(rest)}<br><span class="k8s">k8s ${esc(c.cell.kubernetes ?? '?')}</span>`;
  return c.report ? `<a href="${esc(c.report)}" title="this cell's full report">${inner}</a>` : inner;
}

function square(s: Square): string {
  const count = shownCount(s);
  const tally = Object.entries(s.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const title = [SQUARE_WORD[s.status], tally, ...s.reasons].filter(Boolean).join('\n');
  const text = `${SQUARE_TEXT[s.status]}${count ? ` ${count}` : ''}`;
  return `<td class="sq ${s.status}" title="${esc(title)}">${esc(text)}</td>`;
}

/**
 * Words, not emoji, in the squares: colour says the status at a glance, the word says it to a reader who
 * cannot tell the colours apart, and a browser without an emoji font (headless Chromium here) shows it.
 */
const SQUARE_TEXT: Readonly<Record<SquareStatus, string>> = {
  pass: 'pass',
  deviation: 'dev',
  fail: 'FAIL',
  inconclusive: '?',
  unsupported: 'n/a',
  error: 'error',
  down: 'down',
  absent: '',
};

function legend(): string {
  const items = Object.entries(SQUARE_WORD)
    .filter(([status]) => status !== 'absent')
    .map(([status, word]) => `<span><i class="sq ${status}"></i>${esc(word)}</span>`);
  return `<p class="legend">${items.join('')}<span>Hover a square for its counts and reasons.</span></p>`;
}

function changes(page: CompatPage): string {
  if (!page.diff)
    return (
      `<section class="changes"><h2>Changed since last night</h2>` + `<p>No earlier night in the history.</p></section>`
    );
  const red = page.diff.regressions.length > 0;
  const sections = diffSections(page.diff).map(
    (s) =>
      `<details${s.red ? ' open' : ''}><summary>${esc(s.title)} (${s.lines.length})</summary><ul>` +
      s.lines.map((l) => `<li class="mono">${esc(l)}</li>`).join('') +
      `</ul></details>`,
  );
  return (
    `<section class="changes ${red ? 'red' : 'green'}"><h2>Changed since last night</h2>` +
    `<p class="headline">${esc(diffHeadline(page.diff))}</p>${sections.join('')}</section>`
  );
}

function featureDetails(columns: readonly CompatColumn[], g: CompatGroup): string {
  const allGood = g.summary.every((s) => s.status === 'pass' || s.status === 'unsupported' || s.status === 'absent');
  const rows = g.rows.map((r) => ({ label: esc(r.scenario), note: '', squares: r.squares }));
  return (
    `<details id="f-${esc(g.feature)}"${allGood ? '' : ' open'}><summary><b>${esc(g.feature)}</b> ` +
    `<span class="n">${g.rows.length} scenario(s)</span> ` +
    `${g.summary.map((s) => `<i class="sq ${s.status}"></i>`).join('')}</summary>` +
    `${table(columns, rows, 'scenario')}</details>`
  );
}

function convergence(columns: readonly CompatColumn[]): string {
  const max = Math.max(1, ...columns.map((c) => c.convergence.maxMs ?? 0));
  const ms = (v: number | undefined) => (v === undefined ? '-' : formatMs(v));
  const rows = columns.map((c) => {
    const f = c.convergence;
    const bar =
      f.medianMs === undefined
        ? ''
        : `<span class="bar" style="width:${Math.max(2, Math.round((100 * f.medianMs) / max))}%"></span>`;
    return (
      `<tr><th scope="row">${esc(c.id)}</th><td>${f.steps}</td><td>${ms(f.medianMs)}</td><td>${ms(f.p90Ms)}</td>` +
      `<td>${ms(f.maxMs)}</td><td>${f.unstable}</td><td class="barcell">${bar}</td></tr>`
    );
  });
  return (
    `<h2>Time to converge</h2><p class="meta">From a step's change (policies applied, labels set) until the ` +
    `probe matrix held still, over the steps that settled.</p>` +
    `<table class="conv"><thead><tr><th>cell</th><th>steps</th><th>median</th><th>p90</th><th>max</th>` +
    `<th>never settled</th><th>median, to scale</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function down(columns: readonly CompatColumn[]): string {
  const cells = columns.filter((c) => c.error);
  if (!cells.length) return '';
  const items = cells.map((c) => `<li><b>${esc(c.id)}</b>: <span class="mono">${esc(c.error!)}</span></li>`);
  return `<h2>Cells that did not come up</h2><ul>${items.join('')}</ul>`;
}
