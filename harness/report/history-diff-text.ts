import type { Change, ConvergenceChange, HistoryDiff } from '../history/diff.js';
import { escapeMarkdownCell } from './escape.js';
import { formatMs } from './words.js';

/**
 * `history diff` for people: a headline, then each kind of change with its cells. The same
 * sections feed the console, the Markdown summary and the top of the compatibility page.
 */
export interface DiffSection {
  readonly title: string;
  /** Regressions are the only red section; the rest is news. */
  readonly red: boolean;
  readonly lines: readonly string[];
}

export function diffHeadline(diff: HistoryDiff): string {
  const since = `since ${diff.before.night} (${diff.before.run})`;
  if (diff.regressions.length) return `${diff.regressions.length} regression(s) ${since}`;
  const news = diffSections(diff).reduce((n, s) => n + s.lines.length, 0);
  return news ? `no regression ${since}; ${news} other change(s)` : `nothing changed ${since}`;
}

export function diffSections(diff: HistoryDiff): DiffSection[] {
  const sections: DiffSection[] = [
    { title: 'Regressions', red: true, lines: diff.regressions.map(changeLine) },
    { title: 'Fixed', red: false, lines: diff.fixes.map(changeLine) },
    { title: 'New known deviations accepted', red: false, lines: diff.newDeviations.map(changeLine) },
    {
      title: 'Deviations gone (the CNI now does what the spec says: the deviation can be removed)',
      red: false,
      lines: diff.vanishedDeviations.map(changeLine),
    },
    { title: 'Newly inconclusive (evidence lost)', red: false, lines: diff.newlyInconclusive.map(changeLine) },
    { title: 'Slower to converge', red: false, lines: diff.slower.map(convergenceLine) },
    { title: 'Faster to converge', red: false, lines: diff.faster.map(convergenceLine) },
    { title: 'Matrix cells added', red: false, lines: diff.cellsAdded },
    { title: 'Matrix cells removed', red: false, lines: diff.cellsRemoved },
  ];
  return sections.filter((s) => s.lines.length > 0);
}

function changeLine(c: Change): string {
  const where = c.what ? `${c.cell}: ${c.what}` : c.cell;
  return `${where}: ${c.before} -> ${c.after}${c.why ? ` (${c.why})` : ''}`;
}

function convergenceLine(c: ConvergenceChange): string {
  return `${c.cell}: ${c.what}: ${formatMs(c.beforeMs)} -> ${formatMs(c.afterMs)}`;
}

/** The console form: headline, then each section with its lines indented. */
export function renderDiffText(diff: HistoryDiff): string {
  const out = [diffHeadline(diff)];
  for (const s of diffSections(diff)) {
    out.push('', `${s.title} (${s.lines.length}):`);
    for (const line of s.lines) out.push(`  ${line}`);
  }
  return out.join('\n') + '\n';
}

/** Markdown for a CI step summary: the headline, then each section folded (regressions open). */
export function renderDiffMarkdown(diff: HistoryDiff, maxLines = 50): string {
  const out = [`### ${diff.regressions.length ? '❌' : '✅'} ${escapeMarkdownCell(diffHeadline(diff))}`, ''];
  for (const s of diffSections(diff)) {
    out.push(`<details${s.red ? ' open' : ''}><summary>${s.title} (${s.lines.length})</summary>`, '');
    for (const line of s.lines.slice(0, maxLines)) out.push(`- ${escapeMarkdownCell(line)}`);
    if (s.lines.length > maxLines) out.push(`- ... and ${s.lines.length - maxLines} more`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
