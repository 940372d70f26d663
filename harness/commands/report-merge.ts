/**
 * `report merge`: per-cell reports (one CI job per matrix cell) as one night: one report, one
 * compatibility page, one history append. The fan-out half of the nightly workflow
 * (docs/matrix.md, .github/workflows/nightly.yml).
 */
import path from 'node:path';
import type { ExitCode } from '../exit-codes.js';
import { UsageError } from '../exit-codes.js';
import { MergeError, mergeReports } from '../model/merge-reports.js';
import type { CommandIO } from './io.js';
import { finishNight } from './night.js';
import { readReport } from './report-files.js';

export interface ReportMergeFlags {
  readonly reportDir: string;
  readonly history?: string;
  readonly runId?: string;
}

export function reportMergeCommand(files: readonly string[], flags: ReportMergeFlags, io: CommandIO): ExitCode {
  const reports = files.map(readReport);
  let merged;
  try {
    merged = mergeReports(reports, flags.runId);
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`report merge: ${e.message}`);
    throw e;
  }
  // Each cell's page beside its report.json, linked relative to the merged page.
  const links = new Map<string, string>();
  reports.forEach((r, i) => {
    const html = path.join(path.dirname(files[i]!), 'report.html');
    for (const t of r.targets) links.set(t.name, path.relative(flags.reportDir, html));
  });
  io.err(`report merge: ${reports.length} report(s), ${merged.targets.length} target(s), ${merged.runs.length} run(s)`);
  return finishNight(
    merged,
    { reportDir: flags.reportDir, ...(flags.history ? { history: flags.history } : {}), reportLinks: links },
    io,
  );
}
