/**
 * The parity part of `check --context a,b`: the cells where the contexts disagree, each with its
 * likely causes, then the environment side by side (attribute x context, differing rows first).
 */
import type { CheckContextReport, CheckReport } from '../model/check-report.js';
import { parityTitle } from './check-words.js';

type ParityPart = NonNullable<CheckReport['parity']>;

export function renderParityText(parity: ParityPart, contexts: readonly CheckContextReport[]): string {
  const names = contexts.map((c) => c.context);
  const lines = [parityTitle(names)];
  if (!parity.divergences.length) lines.push('  every cell observed the same in every context');
  else lines.push(`  ${parity.divergences.length} divergent cell(s):`);
  for (const d of parity.divergences) {
    const seen = names.map((n) => `${n} ${d.observed[n]}`).join(', ');
    lines.push(`  ${d.from} -> ${d.to} ${d.port.port}/${d.port.protocol}: ${seen}`);
    for (const cause of d.causes) lines.push(`      ${cause}`);
  }
  const rows = parity.environment;
  const width = Math.max('attribute'.length, ...rows.map((r) => r.attribute.length));
  const widths = names.map((n) => Math.max(n.length, ...rows.map((r) => (r.values[n] ?? '').length)));
  const line = (first: string, rest: string[], mark: string) =>
    `${mark} ${first.padEnd(width)}  ${rest.map((v, i) => v.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  lines.push(
    '',
    `environment (${rows.filter((r) => r.differs).length} of ${rows.length} rows differ, marked !):`,
    line('attribute', names, ' '),
    ...rows.map((r) =>
      line(
        r.attribute,
        names.map((n) => r.values[n] ?? '-'),
        r.differs ? '!' : ' ',
      ),
    ),
  );
  return lines.join('\n');
}
