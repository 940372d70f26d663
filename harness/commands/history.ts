/**
 * `history diff`: the latest night against the one before it (`--since last`) or against the
 * last night on or before a date. Exit 1 on regressions only: a night is green when nothing that
 * worked stopped working, whatever else changed.
 */
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { diffNights, hasRegressions, type DiffOptions } from '../history/diff.js';
import { parseSince, pickNights } from '../history/nights.js';
import { renderDiffMarkdown, renderDiffText } from '../report/history-diff-text.js';
import { listNights, readNight } from './history-store.js';
import type { CommandIO } from './io.js';

export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface HistoryDiffFlags {
  readonly history: string;
  readonly since: string;
  readonly output: DiffFormat;
  readonly slowerFactor: number;
  /** Seconds. */
  readonly slowerBy: number;
}

export function historyDiffCommand(flags: HistoryDiffFlags, io: CommandIO): ExitCode {
  const since = parseSince(flags.since);
  if (!since) throw new UsageError(`--since: "${flags.since}" is not last, a date (2026-11-29) or an ISO timestamp`);
  const pair = pickNights(listNights(flags.history), since);
  if ('error' in pair) {
    io.err(`history diff: ${pair.error} (in ${flags.history})`);
    return EXIT.ok;
  }
  const options: DiffOptions = { convergenceFactor: flags.slowerFactor, convergenceMinDeltaMs: flags.slowerBy * 1000 };
  const diff = diffNights(readNight(flags.history, pair.before), readNight(flags.history, pair.after), options);
  if (flags.output === 'json') io.out(JSON.stringify(diff, null, 2));
  else if (flags.output === 'markdown') io.out(renderDiffMarkdown(diff).trimEnd());
  else io.out(renderDiffText(diff).trimEnd());
  return hasRegressions(diff) ? EXIT.mismatch : EXIT.ok;
}
