import {
  countVerdicts,
  type CellResult,
  type DnsResult,
  type RunReport,
  type ScenarioRun,
  type TargetInfo,
} from '../model/run-report.js';
import { escapeXml as esc } from './escape.js';
import type { Outcome } from '../model/observation.js';
import { cellTitle, countsHtml, outcomeClass, stepHtml } from './html-matrix.js';
import { HTML_STYLE } from './html-style.js';
import { moreText, slowCells, slowIntro, slowRow, SLOW_HEADER } from './slow-cells.js';
import {
  cellLabel,
  dnsExpectedText,
  dnsLabel,
  enforcementState,
  enforcementText,
  expectedText,
  failingSteps,
  formatMs,
  predictedText,
  runTotals,
  summaryLine,
  targetDescription,
} from './words.js';

/**
 * One self-contained HTML file: inline CSS, no scripts, no external assets. Header, failing cells with
 * their reproduce commands, the divergence view, the correct-but-slow cells, then per target a colour matrix per
 * scenario, step and port.
 */
export function renderHtml(report: RunReport): string {
  const body = [
    header(report),
    failingSection(report),
    divergenceSection(report),
    slowSection(report),
    ...report.targets.map((t) => targetSection(report, t)),
  ];
  return (
    [
      '<!DOCTYPE html>',
      '<html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>netpol-harness ${esc(report.runId)}</title>`,
      `<style>${HTML_STYLE}</style></head>`,
      `<body><main>\n${body.filter(Boolean).join('\n')}\n</main></body></html>`,
    ].join('\n') + '\n'
  );
}

function isPassing(report: RunReport): boolean {
  const t = runTotals(report);
  return t.fail === 0 && t.erroredRuns === 0 && t.targetsNotEnforcing === 0 && t.targetsUnusable === 0;
}

const LEGEND = [
  ['var(--allowed)', 'allowed (✓)'],
  ['var(--blocked)', 'blocked (✕)'],
  ['var(--unasserted)', 'not asserted'],
  ['var(--inconclusive)', 'inconclusive: the probe could not tell (?)'],
];

function header(report: RunReport): string {
  const ok = isPassing(report);
  const legend = LEGEND.map(([colour, text]) => `<span><i style="background:${colour}"></i>${esc(text!)}</span>`).join(
    '',
  );
  return [
    '<header>',
    `<h1>netpol-harness run <span class="badge ${ok ? 'ok' : 'bad'}">${ok ? 'PASSED' : 'FAILED'}</span></h1>`,
    `<p class="meta">Run <code>${esc(report.runId)}</code> · started ${esc(report.startedAt)} · ` +
      `took ${esc(formatMs(report.durationMs))} · targets: ${report.targets.map((t) => esc(t.name)).join(', ')}</p>`,
    `<p class="summary">${esc(summaryLine(report))}</p>`,
    `<div class="cards">${report.targets.map(targetCard).join('')}</div>`,
    `<div class="legend">${legend}` +
      '<span><i style="outline:3px solid var(--ink);outline-offset:-3px"></i>failing cell (✕! / ✓!)</span>' +
      '<span><i style="outline:2px dashed var(--ink);outline-offset:-2px"></i>known deviation accepted</span>' +
      '<span>hover a cell for expected / predicted / observed and the evidence</span></div>',
    '</header>',
  ].join('\n');
}

function targetCard(t: TargetInfo): string {
  const state = enforcementState(t);
  const cls = state === 'enforced' ? '' : state === 'unknown' ? ' warn' : ' bad';
  const badge =
    state === 'enforced'
      ? '<span class="badge ok">policy enforced</span>'
      : state === 'unknown'
        ? '<span class="badge warn">canary not run</span>'
        : `<span class="badge bad">${state === 'unusable' ? 'unusable' : 'policy NOT enforced'}</span>`;
  return (
    `<div class="card${cls}"><div class="name">${esc(t.name)} ${badge}</div>` +
    `<div>${esc(targetDescription(t))}</div><div class="evidence">${esc(enforcementText(t))}</div></div>`
  );
}

function outcomeTd(observed: Outcome, verdict: string): string {
  const cls = verdict === 'inconclusive' ? 'inconclusive' : outcomeClass(observed);
  return `<td class="out ${cls}">${esc(observed)}</td>`;
}

function failingRow(run: ScenarioRun, step: string, c: CellResult | DnsResult): string {
  const isCell = 'to' in c;
  const faultText =
    c.diagnosis === 'policy' ? 'your policy does not do what you expect' : 'the cluster does not do what the spec says';
  const fault = c.diagnosis ? `<span class="fault ${c.diagnosis}">${faultText}</span>` : '';
  return [
    `<tr title="${esc(cellTitle(c))}"><td>${esc(run.target)}</td>`,
    `<td class="nowrap">${esc(run.scenario)}<br><span class="muted">step ${esc(step)}</span></td>`,
    `<td class="mono">${esc(isCell ? cellLabel(c) : dnsLabel(c))}</td>`,
    `<td>${esc(isCell ? expectedText(c.expected) : dnsExpectedText(c))}</td>`,
    `<td>${predictedText(c.predicted)}</td>${outcomeTd(c.observed, c.verdict)}`,
    `<td>${fault}<div class="muted">${esc(c.detail)}</div><code class="repro">${esc(c.reproduce)}</code></td></tr>`,
  ].join('');
}

function failingSection(report: RunReport): string {
  const failing = failingSteps(report);
  if (!failing.length) return '';
  const rows = failing.flatMap((f) => [...f.cells, ...f.dns].map((c) => failingRow(f.run, f.step.name, c)));
  return [
    `<h2 id="failing">Failing cells (${rows.length})</h2>`,
    '<table class="list"><tr><th>target</th><th>scenario</th><th>cell</th><th>expected</th><th>predicted</th>' +
      '<th>observed</th><th>diagnosis, evidence, reproduce</th></tr>',
    ...rows,
    '</table>',
  ].join('\n');
}

function divergenceSection(report: RunReport): string {
  const targets = report.targets.map((t) => t.name).filter((n) => report.runs.some((r) => r.target === n));
  if (targets.length < 2) return '';
  const targetHeads = targets.map((t) => `<th>${esc(t)}</th>`);
  const head = `<tr><th>scenario / step</th><th>cell</th><th>predicted</th>${targetHeads.join('')}</tr>`;
  const rows = report.divergences.map((d) => {
    const cells = targets.map((t) => {
      const o = d.observed[t];
      return o ? outcomeTd(o, '') : '<td class="muted">no result</td>';
    });
    return (
      `<tr><td class="nowrap">${esc(d.scenario)}<br><span class="muted">step ${esc(d.step)}</span></td>` +
      `<td class="mono">${esc(`${d.from} -> ${d.to} ${d.port}/${d.protocol}`)}</td>` +
      `<td>${predictedText(d.predicted)}</td>${cells.join('')}</tr>`
    );
  });
  const intro = report.divergences.length
    ? `<p class="muted">Cells where the targets observed different reachability.</p>`
    : '<p class="muted">All targets observed the same reachability on every cell they share.</p>';
  return [
    `<h2 id="divergences">Divergences across targets (${report.divergences.length})</h2>`,
    intro,
    ...(rows.length ? ['<table class="list">', head, ...rows, '</table>'] : []),
  ].join('\n');
}

function slowSection(report: RunReport): string {
  const { shown, more } = slowCells(report);
  if (!shown.length) return '';
  const head = `<tr>${SLOW_HEADER.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = shown.map(
    (s) =>
      `<tr title="${esc(cellTitle(s.cell))}">${slowRow(s)
        .map((v, i) => `<td class="${i === 3 ? 'mono' : 'nowrap'}">${esc(v)}</td>`)
        .join('')}</tr>`,
  );
  return [
    `<h2 id="slow">Correct but slow (${shown.length + more})</h2>`,
    `<p class="muted">${esc(slowIntro(report))}</p>`,
    '<table class="list">',
    head,
    ...rows,
    '</table>',
    ...(more ? [`<p class="muted">${esc(moreText(more))}</p>`] : []),
  ].join('\n');
}

function runHtml(run: ScenarioRun): string {
  const counts = countsHtml(countVerdicts(run.steps.flatMap((s) => [...s.cells, ...s.dns])));
  const failing =
    run.error !== undefined ||
    run.steps.some((s) => [...s.cells, ...s.dns].some((c) => c.verdict !== 'pass' && c.verdict !== 'not-asserted'));
  const error =
    run.error !== undefined
      ? `<div class="error"><b>${run.steps.length ? 'Stopped' : 'Could not run'}:</b> ${esc(run.error)}</div>`
      : '';
  return [
    `<details class="run"${failing ? ' open' : ''}><summary>${esc(run.scenario)} ` +
      `<span class="counts">${esc(run.file)} · ${esc(formatMs(run.durationMs))}</span>${counts}</summary>`,
    error,
    ...run.steps.map(stepHtml),
    '</details>',
  ].join('\n');
}

function targetSection(report: RunReport, t: TargetInfo): string {
  const runs = report.runs.filter((r) => r.target === t.name);
  const body = runs.length
    ? runs.map(runHtml).join('\n')
    : `<p class="muted">No scenario ran on this target. ${esc(enforcementText(t))}</p>`;
  return (
    `<section class="target" id="target-${esc(t.name)}">` +
    `<h2>Target ${esc(t.name)} <span class="counts">${esc(targetDescription(t))}</span></h2>\n${body}\n</section>`
  );
}
