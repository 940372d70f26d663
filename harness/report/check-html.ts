/**
 * `check --report FILE.html`: one self-contained page (inline CSS, no scripts, nothing fetched), in
 * the style of `run`'s report: the status, per context a colour matrix per port (green allowed, red
 * blocked, amber no evidence; outlined when the cell contradicts the prediction or intent, dashed when a
 * policy the engine does not model may govern it; hover for the evidence), the cells that did not
 * pass; with several contexts the divergent cells with their causes and the environment side by side.
 * Pure.
 */
import {
  checkStatus,
  countVerdicts,
  type CheckContextReport,
  type CheckReport,
  type CheckReportCell,
} from '../model/check-report.js';
import { describeCheck, environmentValue, parityTitle, STATUS_TEXT } from './check-words.js';
import { describe, portMatrices } from './check-text.js';
import { escapeXml as esc } from './escape.js';
import { HTML_STYLE } from './html-style.js';

export function renderCheckHtml(report: CheckReport): string {
  const body = [
    header(report),
    ...report.contexts.map(contextSection),
    report.parity ? paritySection(report.parity, report.contexts) : '',
  ];
  return (
    [
      '<!DOCTYPE html>',
      '<html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>netpol-harness check ${esc(report.runId)}</title>`,
      `<style>${HTML_STYLE}</style></head>`,
      `<body><main>\n${body.filter(Boolean).join('\n')}\n</main></body></html>`,
    ].join('\n') + '\n'
  );
}

const BADGE = { passed: 'ok', failed: 'bad', incomplete: 'warn' } as const;

function header(report: CheckReport): string {
  const status = checkStatus(report);
  return [
    '<header>',
    `<h1>netpol-harness check <span class="badge ${BADGE[status]}">${esc(STATUS_TEXT[status])}</span></h1>`,
    `<p class="meta">${esc(describeCheck(report))}</p>`,
    '<div class="legend">' +
      '<span><i style="background:var(--allowed)"></i>allowed (✓)</span>' +
      '<span><i style="background:var(--blocked)"></i>blocked (✕)</span>' +
      '<span><i style="background:var(--inconclusive)"></i>no evidence either way (?)</span>' +
      '<span><i style="outline:3px solid var(--ink);outline-offset:-3px"></i>contradicts the prediction (!)</span>' +
      '<span><i style="outline:2px dashed var(--ink);outline-offset:-2px"></i>not judged: a policy the engine ' +
      'does not model may govern it</span><span>hover a cell for its evidence</span></div>',
    '</header>',
  ].join('\n');
}

function contextSection(c: CheckContextReport): string {
  const replicas = c.classes.reduce((n, k) => n + k.replicas, 0);
  const head =
    `<h2>context <code>${esc(c.context)}</code></h2><p class="meta">namespaces ${esc(c.namespaces.join(', '))} · ` +
    `${c.classes.length} workload classes (${replicas} pods) · CNI ${esc(environmentValue(c, 'cni'))} · ` +
    `Kubernetes ${esc(environmentValue(c, 'kubernetes version'))}</p>`;
  if (c.error) return `<section class="target">${head}<div class="error">${esc(c.error)}</div></section>`;
  const n = countVerdicts(c.cells);
  const counts =
    `<p class="summary">${n.cells} cells: ${n.pass} pass · ` +
    `${n.fail ? `<b class="fail">${n.fail} fail</b>` : '0 fail'} · ${n.inconclusive} inconclusive · ` +
    `${n.notJudged} not judged</p>`;
  const matrices = portMatrices(c.cells).map((g) => portMatrix(g.label, g.cells));
  const odd = c.cells.filter((x) => x.verdict !== 'pass');
  const lists: Array<[string, readonly string[]]> = [
    ['not probed from', c.notProbed.map((p) => `${p.source}: ${p.reason}`)],
    ['notes', c.notes],
    ['could not remove', c.cleanupErrors],
  ];
  return [
    `<section class="target">${head}${counts}`,
    `<div class="ports">${matrices.join('')}</div>`,
    odd.length ? oddTable(odd) : '',
    c.stable ? '' : '<div class="error">The matrix still changed when the convergence timeout ended.</div>',
    ...lists
      .filter(([, items]) => items.length)
      .map(([title, items]) => `<h3>${esc(title)}</h3><ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`),
    '</section>',
  ].join('\n');
}

function portMatrix(label: string, cells: readonly CheckReportCell[]): string {
  const rows = [...new Set(cells.map((c) => c.from))];
  const cols = [...new Set(cells.map((c) => c.to))];
  const byPair = new Map(cells.map((c) => [`${c.from}|${c.to}`, c]));
  const head =
    '<tr><th class="corner">from ↓ to →</th>' +
    cols.map((c) => `<th class="col"><div>${esc(c)}</div></th>`).join('') +
    '</tr>';
  const body = rows.map(
    (r) => `<tr><th class="row">${esc(r)}</th>${cols.map((c) => matrixTd(byPair.get(`${r}|${c}`))).join('')}</tr>`,
  );
  return `<table class="matrix"><caption>port ${esc(label)}</caption>${head}${body.join('')}</table>`;
}

function matrixTd(c: CheckReportCell | undefined): string {
  if (!c) return '<td class="none"></td>';
  const colour = c.evidence === 'allowed' ? 'allowed' : c.evidence === 'blocked' ? 'blocked' : 'inconclusive';
  const symbol = c.evidence === 'allowed' ? '✓' : c.evidence === 'blocked' ? '✕' : '?';
  const flag = c.verdict === 'fail' ? ' fail' : c.verdict === 'not judged' ? ' deviation' : '';
  return `<td class="${colour}${flag}" title="${esc(describe(c))}">${symbol}${c.verdict === 'fail' ? '!' : ''}</td>`;
}

function oddTable(cells: readonly CheckReportCell[]): string {
  const rows = cells.map((x) => {
    const cls = x.evidence === 'allowed' ? 'allowed' : x.evidence === 'blocked' ? 'blocked' : 'inconclusive';
    const where = x.service ? ` (${x.service.host})` : x.pod ? ` (${x.pod})` : '';
    const governed = x.governedBy?.length ? ` May be governed by ${x.governedBy.join(', ')}.` : '';
    return (
      `<tr><td class="mono">${esc(`${x.from} → ${x.to}${where} ${x.port.port}/${x.port.protocol}`)}</td>` +
      `<td>${esc(x.expected ?? '')}</td><td>${esc(x.predicted)}</td>` +
      `<td class="out ${cls}">${esc(x.evidence)}</td>` +
      `<td>${x.verdict === 'fail' ? '<b>fail</b>' : esc(x.verdict)}</td>` +
      `<td class="muted">${esc(x.detail + governed)}</td></tr>`
    );
  });
  return [
    `<h3>cells that did not pass (${cells.length})</h3>`,
    '<table class="list"><tr><th>cell</th><th>expected (intent)</th><th>predicted</th><th>observed</th>' +
      '<th>verdict</th><th>evidence</th></tr>',
    ...rows,
    '</table>',
  ].join('\n');
}

function paritySection(parity: NonNullable<CheckReport['parity']>, contexts: readonly CheckContextReport[]): string {
  const names = contexts.map((c) => c.context);
  const heads = names.map((n) => `<th>${esc(n)}</th>`).join('');
  const divergences = parity.divergences.length
    ? [
        `<table class="list"><tr><th>cell</th>${heads}<th>likely causes</th></tr>`,
        ...parity.divergences.map(
          (d) =>
            `<tr><td class="mono">${esc(`${d.from} → ${d.to} ${d.port.port}/${d.port.protocol}`)}</td>` +
            names
              .map((n) => {
                const seen = d.observed[n] ?? '-';
                const cls = seen === 'allowed' ? 'allowed' : seen === 'blocked' ? 'blocked' : 'inconclusive';
                const predicted = `<div class="muted">predicted ${esc(d.predicted[n] ?? '-')}</div>`;
                return `<td class="out ${cls}">${esc(seen)}${predicted}</td>`;
              })
              .join('') +
            `<td>${d.causes.map((c) => `<div>${esc(c)}</div>`).join('')}</td></tr>`,
        ),
        '</table>',
      ].join('\n')
    : '<p>Every cell was observed the same in every context.</p>';
  const rows = parity.environment;
  const environment = [
    `<h3>environment: ${rows.filter((r) => r.differs).length} of ${rows.length} rows differ</h3>`,
    `<table class="list"><tr><th>attribute</th>${heads}</tr>`,
    ...rows.map(
      (r) =>
        `<tr${r.differs ? ' style="background:#fdf0d8"' : ''}><td class="mono">${r.differs ? '≠ ' : ''}` +
        `${esc(r.attribute)}</td>${names.map((n) => `<td>${esc(r.values[n] ?? '-')}</td>`).join('')}</tr>`,
    ),
    '</table>',
  ].join('\n');
  return `<section class="target"><h2>${esc(parityTitle(names))}</h2>\n${divergences}\n${environment}</section>`;
}
