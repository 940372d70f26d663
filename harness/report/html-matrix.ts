import type { CellResult, DnsResult, StepResult, VerdictCounts } from '../model/run-report.js';
import type { Outcome } from '../model/observation.js';
import { escapeXml as esc } from './escape.js';
import { groupByPort } from './matrix-text.js';
import {
  cellLabel,
  convergenceText,
  diagnosisText,
  dnsExpectedText,
  dnsLabel,
  expectedText,
  formatMs,
  predictedText,
  stepCounts,
} from './words.js';

/** Colour class of a cell: what was observed, grey when not asserted, amber when the probe could not tell. */
export function colourClass(verdict: string, observed: Outcome): 'allowed' | 'blocked' | 'unasserted' | 'inconclusive' {
  if (verdict === 'inconclusive' || observed === 'error' || observed === 'unsupported') return 'inconclusive';
  if (verdict === 'not-asserted') return 'unasserted';
  return observed === 'allowed' ? 'allowed' : 'blocked';
}

export function outcomeClass(observed: Outcome): 'allowed' | 'blocked' | 'inconclusive' {
  return observed === 'allowed'
    ? 'allowed'
    : observed === 'refused' || observed === 'dropped'
      ? 'blocked'
      : 'inconclusive';
}

const SYMBOL = { allowed: '✓', blocked: '✕', inconclusive: '?' } as const;

/** The tooltip: everything a reader needs about one cell without leaving the matrix. */
export function cellTitle(c: CellResult | DnsResult): string {
  const isCell = 'to' in c;
  const lines = [
    isCell ? cellLabel(c) : dnsLabel(c),
    `expected ${isCell ? expectedText(c.expected) : dnsExpectedText(c)} / ` +
      `predicted ${predictedText(c.predicted)} / observed ${c.observed}`,
    `verdict: ${c.verdict}`,
  ];
  if (c.verdict === 'fail') lines.push(diagnosisText(c));
  if (isCell && c.deviationReason) lines.push(`known deviation: ${c.deviationReason}`);
  if (isCell && c.flapping) lines.push('flapping while converging');
  if (isCell && c.slow) lines.push(`correct but slow: settled after ${formatMs(c.settledAfterMs)}`);
  lines.push(`detail: ${c.detail}`);
  return lines.join('\n');
}

function flagClass(verdict: string): string {
  return verdict === 'fail' ? ' fail' : verdict === 'deviation-accepted' ? ' deviation' : '';
}

function matrixTd(c: CellResult | undefined): string {
  if (!c) return '<td class="none"></td>';
  const colour = colourClass(c.verdict, c.observed);
  const mark = SYMBOL[outcomeClass(c.observed)] + (c.verdict === 'fail' ? '!' : '');
  return `<td class="${colour}${flagClass(c.verdict)}" title="${esc(cellTitle(c))}">${mark}</td>`;
}

function portMatrix(label: string, cells: readonly CellResult[]): string {
  const rows = [...new Set(cells.map((c) => c.from))];
  const cols = [...new Set(cells.map((c) => c.to))];
  const byPair = new Map(cells.map((c) => [`${c.from}|${c.to}`, c]));
  const colHeads = cols.map((c) => `<th class="col"><div>${esc(c)}</div></th>`);
  const head = `<tr><th class="corner">from ↓ to →</th>${colHeads.join('')}</tr>`;
  const body = rows.map(
    (r) => `<tr><th class="row">${esc(r)}</th>${cols.map((c) => matrixTd(byPair.get(`${r}|${c}`))).join('')}</tr>`,
  );
  return `<table class="matrix"><caption>port ${esc(label)}</caption>${head}${body.join('')}</table>`;
}

function dnsChips(dns: readonly DnsResult[]): string {
  if (!dns.length) return '';
  const chips = dns.map(
    (d) =>
      `<span class="${outcomeClass(d.observed)}${flagClass(d.verdict)}" title="${esc(cellTitle(d))}">` +
      `DNS ${esc(d.from)}: ${esc(d.observed)}${d.verdict === 'fail' ? ' !' : ''}</span>`,
  );
  return `<div class="dns">${chips.join('')}</div>`;
}

export function countsHtml(n: VerdictCounts): string {
  const fail = n.fail ? `<b class="fail">${n.fail} fail</b>` : '0 fail';
  const warn = (v: number, what: string) => (v ? `<b class="warn">${v} ${what}</b>` : `${v} ${what}`);
  return (
    `<span class="counts">${n.pass} pass · ${fail} · ${warn(n['deviation-accepted'], 'deviation accepted')} · ` +
    `${warn(n.inconclusive, 'inconclusive')} · ${n['not-asserted']} not asserted</span>`
  );
}

export function stepHtml(step: StepResult): string {
  const keyed = step.cells.map((c) => ({ port: { port: c.port, protocol: c.protocol }, via: c.via, cell: c }));
  const matrices = groupByPort(keyed).map((g) =>
    portMatrix(
      g.label,
      g.cells.map((k) => k.cell),
    ),
  );
  return [
    `<div class="step"><h4>step ${esc(step.name)}${countsHtml(stepCounts(step))} ` +
      `<span class="counts">${esc(convergenceText(step))}</span></h4>`,
    `<div class="ports">${matrices.join('')}</div>`,
    dnsChips(step.dns),
    '</div>',
  ].join('\n');
}
