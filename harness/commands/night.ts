/**
 * The end of a night, shared by `matrix` and `report merge`: the merged report in every format,
 * the night appended to the history, the diff against the night before, and the compatibility
 * page (HTML, and Markdown for a CI step summary). The exit code says whether the night is red.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { compatPage } from '../history/compat.js';
import { diffNights, hasRegressions, type HistoryDiff } from '../history/diff.js';
import { pickNights } from '../history/nights.js';
import { recordsFromReport } from '../history/records.js';
import type { RunReport } from '../model/run-report.js';
import { renderCompatHtml } from '../report/compat-html.js';
import { renderCompatMarkdown } from '../report/compat-markdown.js';
import { diffHeadline } from '../report/history-diff-text.js';
import { exitCodeOf } from '../run/runner.js';
import { listNights, readNight, writeNight } from './history-store.js';
import type { CommandIO } from './io.js';
import { writeReport } from './report-files.js';

export interface NightOutputs {
  readonly reportDir: string;
  /** The history folder to append the night to; absent: no history kept. */
  readonly history?: string;
  /** Target name -> its own report, relative to reportDir (the page links to it). */
  readonly reportLinks?: ReadonlyMap<string, string>;
}

export const COMPAT_FILES = { html: 'compat.html', markdown: 'compat.md' } as const;

/**
 * 1 when the night regressed against the one before; with no night before it, run's rule
 * (1 for a failing cell, 2 for a cell or scenario that could not run).
 */
export function finishNight(report: RunReport, outputs: NightOutputs, io: CommandIO): ExitCode {
  const files = writeReport(outputs.reportDir, report, ['json', 'html', 'markdown']);
  let diff: HistoryDiff | undefined;
  if (outputs.history) {
    const records = recordsFromReport(report);
    const written = writeNight(outputs.history, report.startedAt, report.runId, records);
    io.err(`history: ${records.length} record(s) in ${written}`);
    // This night against the one before it, even when a later night is already in the folder.
    const nights = listNights(outputs.history);
    const upTo = nights.slice(0, nights.findIndex((n) => n.file === path.basename(written)) + 1);
    const pair = pickNights(upTo, { kind: 'last' });
    if ('error' in pair) io.err(`history: ${pair.error}`);
    else diff = diffNights(readNight(outputs.history, pair.before), records);
  }
  const page = compatPage(report, {
    ...(diff ? { diff } : {}),
    ...(outputs.reportLinks ? { reportLinks: outputs.reportLinks } : {}),
  });
  const html = path.join(outputs.reportDir, COMPAT_FILES.html);
  const markdown = path.join(outputs.reportDir, COMPAT_FILES.markdown);
  writeFileSync(html, renderCompatHtml(page));
  writeFileSync(markdown, renderCompatMarkdown(page));
  io.err(`reports: ${[...files, html, markdown].join(', ')}`);
  if (!diff) return exitCodeOf(report);
  io.out(diffHeadline(diff));
  return hasRegressions(diff) ? EXIT.mismatch : EXIT.ok;
}
