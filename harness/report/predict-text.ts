/** `predict`'s tables: one per (port, protocol) and one of DNS cells per step, `.` allowed and `X` blocked. */
import type { StepPrediction } from '../engine/predict-step.js';
import type { Style } from './console-style.js';
import { predictionTables, renderTable } from './matrix-text.js';

export function renderPrediction(scenario: string, steps: readonly StepPrediction[], style: Style): string {
  const blocks = steps.map((p) => {
    const dns = p.dns.map((d) => ({ from: d.from, to: d.name }));
    const dnsTable = renderTable(dns, (i) => (p.dns[i]!.resolves ? '.' : 'X'), 'dns');
    return [`step ${p.step.name}`, predictionTables(p.cells), dnsTable].join('\n\n');
  });
  const unspecified = steps.some((p) => p.cells.some((c) => c.unspecified));
  const question = ', ? unspecified by the spec (not asserted unless a rule says so)';
  const legend = `. allowed, X blocked${unspecified ? question : ''}`;
  const text = [`scenario ${scenario} (engine prediction; ${legend})`, ...blocks].join('\n\n');
  return paintMarks(text, style);
}

/**
 * Colours the marks of rendered tables after their columns are padded, so escape codes never count
 * towards a width: in a table row (a peer, then marks) every lone `.` is green and every lone `X` red.
 */
export function paintMarks(text: string, style: Style): string {
  return text
    .split('\n')
    .map((line) => {
      const [peer, ...marks] = line.split(' ').filter(Boolean);
      const isRow =
        peer !== undefined && marks.length > 0 && marks.every((m) => m === '.' || m === 'X' || m === '-' || m === '?');
      return isRow ? line.replace(/(?<= )[.X](?= |$)/g, (m) => (m === '.' ? style.green(m) : style.red(m))) : line;
    })
    .join('\n');
}
