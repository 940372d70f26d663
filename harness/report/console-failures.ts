import type { CellResult, DnsResult } from '../model/run-report.js';
import type { Style } from './console-style.js';
import { indent } from './console-style.js';
import { failingPortTables, MATRIX_LEGEND } from './failing-matrices.js';
import { failureLines, type FailingStep } from './words.js';

/** The failures section of the console summary: matrices of failing ports, then one entry per failing cell. */
export function renderFailures(failing: readonly FailingStep[], style: Style): string[] {
  if (!failing.length) return [];
  const out = [style.bold('Failures'), ...indent(MATRIX_LEGEND.map(style.dim)), ''];
  for (const f of failing) out.push(...indent(renderFailingStep(f, style)), '');
  return out;
}

function renderFailingStep(f: FailingStep, style: Style): string[] {
  const n = f.cells.length + f.dns.length;
  const head =
    `${style.red(style.bold('FAIL'))} ${f.run.scenario} on ${f.run.target}, step ${f.step.name}: ` +
    `${n} failing cell${n === 1 ? '' : 's'}`;
  const out = [head];
  for (const table of failingPortTables(f.step)) {
    out.push(
      `  port ${table.label}`,
      ...indent(
        table.text.split('\n').map((l) => paintMarks(l, style)),
        '    ',
      ),
    );
  }
  for (const c of [...f.cells, ...f.dns]) out.push(...indent(failureEntry(c, style)));
  return out;
}

function paintMarks(line: string, style: Style): string {
  return line.replace(/[.X?]!/g, (m) => style.red(style.bold(m))).replace(/[.X?]~/g, (m) => style.yellow(m));
}

function failureEntry(c: CellResult | DnsResult, style: Style): string[] {
  const [headline, diagnosis, evidence, reproduce] = failureLines(c);
  return [`${style.red('x')} ${headline}`, `    ${diagnosis}`, `    ${evidence}`, `    ${style.dim(reproduce)}`];
}
