/**
 * `check`'s console report: per context, one matrix per port in the notation of `run` (`.` allowed,
 * `X` blocked; `!` a cell that contradicts the prediction, `?` no evidence either way, `*` governed by
 * a policy the engine does not model), the cells that did not pass with their evidence, what was not
 * probed and why, and the counts; with several contexts, the parity report after them.
 */
import {
  countVerdicts,
  type CheckContextReport,
  type CheckReport,
  type CheckReportCell,
} from '../model/check-report.js';
import { groupByPort, renderTable } from './matrix-text.js';
import { environmentValue } from './check-words.js';
import { renderParityText } from './parity-text.js';

export function renderCheckText(report: CheckReport): string {
  const parts = report.contexts.map(renderContext);
  if (report.parity) parts.push(renderParityText(report.parity, report.contexts));
  return `${parts.join('\n\n')}\n`;
}

function renderContext(c: CheckContextReport): string {
  const env = (attribute: string) => environmentValue(c, attribute);
  const head =
    `context ${c.context}: namespaces ${c.namespaces.join(', ')}; ${c.classes.length} workload classes ` +
    `(${c.classes.reduce((n, k) => n + k.replicas, 0)} pods); CNI ${env('cni')}; ` +
    `Kubernetes ${env('kubernetes version')}`;
  if (c.error) return `${head}\n  error: ${c.error}`;
  const counts = countVerdicts(c.cells);
  const lines = [head, ...matrices(c.cells)];
  const odd = c.cells.filter((x) => x.verdict !== 'pass');
  if (odd.length) lines.push('', 'cells that did not pass:', ...odd.map((x) => `  ${describe(x)}`));
  if (c.notProbed.length) lines.push('', 'not probed from:', ...c.notProbed.map((n) => `  ${n.source}: ${n.reason}`));
  if (c.notes.length) lines.push('', 'notes:', ...c.notes.map((n) => `  ${n}`));
  if (!c.stable) lines.push('', 'the matrix still changed when the convergence timeout ended');
  if (c.cleanupErrors.length) lines.push('', 'could not remove:', ...c.cleanupErrors.map((e) => `  ${e}`));
  lines.push(
    '',
    `${counts.cells} cells: ${counts.pass} pass, ${counts.fail} fail, ${counts.inconclusive} inconclusive, ` +
      `${counts.notJudged} not judged`,
  );
  return lines.join('\n');
}

function matrices(cells: readonly CheckReportCell[]): string[] {
  return portMatrices(cells).flatMap((g) => ['', `port ${g.label}`, renderTable(g.cells, (i) => markOf(g.cells[i]!))]);
}

/**
 * The cells per port, as matrices of sources x destinations; with --all-replicas a destination is
 * a pod (`class(pod)`), so each column is one probe target.
 */
export function portMatrices(cells: readonly CheckReportCell[]): Array<{ label: string; cells: CheckReportCell[] }> {
  const perPod = new Set(cells.map((c) => `${c.from}|${c.to}|${c.port.port}/${c.port.protocol}`)).size < cells.length;
  return groupByPort(cells.map((c) => ({ ...c, to: perPod && c.pod ? `${c.to}(${c.pod})` : c.to })));
}

export function markOf(c: Pick<CheckReportCell, 'evidence' | 'verdict'>): string {
  const seen = c.evidence === 'allowed' ? '.' : c.evidence === 'blocked' ? 'X' : '?';
  switch (c.verdict) {
    case 'pass':
      return seen;
    case 'fail':
      return `${seen}!`;
    case 'not judged':
      return `${seen}*`;
    default:
      return '?';
  }
}

export function describe(c: CheckReportCell): string {
  const where = c.service
    ? ` (${c.service.host}, behind it ${c.service.backends.join(', ') || 'nothing'})`
    : c.pod
      ? ` (${c.pod}${c.ip ? ` ${c.ip}` : ''})`
      : '';
  const port = `${c.port.port}/${c.port.protocol}${c.port.name ? ` ${c.port.name}` : ''}`;
  const governed = c.governedBy?.length ? `; may be governed by ${c.governedBy.join(', ')}` : '';
  return (
    `${c.from} -> ${c.to}${where} ${port}: ${c.expected ? `expected ${c.expected} (intent), ` : ''}` +
    `predicted ${c.predicted}, observed ${c.evidence} ` +
    `[${c.verdict}]: ${c.detail}${governed}`
  );
}
