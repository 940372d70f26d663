import type { RunReport } from '../model/run-report.js';
import { portText, predictedText } from './words.js';

export const DIVERGENCE_HEADER = ['scenario', 'step', 'from', 'to', 'port', 'predicted'];

/**
 * The divergence table as plain rows: one column per target that ran anything, `-` where a target
 * has no result for the cell. Undefined when fewer than two targets ran: nothing to compare.
 */
export function divergenceRows(report: RunReport): { targets: string[]; rows: string[][] } | undefined {
  const targets = report.targets.map((t) => t.name).filter((name) => report.runs.some((r) => r.target === name));
  if (targets.length < 2) return undefined;
  const rows = report.divergences.map((d) => [
    d.scenario,
    d.step,
    d.from,
    d.to,
    portText(d),
    predictedText(d.predicted),
    ...targets.map((t) => d.observed[t] ?? '-'),
  ]);
  return { targets, rows };
}
