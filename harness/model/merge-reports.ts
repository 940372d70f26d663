import { findDivergences, REPORT_SCHEMA_VERSION, type RunReport } from './run-report.js';

/**
 * Per-cell reports (one CI job per matrix cell, or one `run` per target) as one report: the targets
 * and runs side by side, divergences found again across all of them, exactly as one run over the
 * same targets would have found them. Refuses reports that cannot stand side by side.
 */
export class MergeError extends Error {}

export function mergeReports(reports: readonly RunReport[], runId?: string): RunReport {
  if (reports.length === 0) throw new MergeError('no report to merge');
  const names = new Map<string, number>();
  reports.forEach((r, i) => {
    if (r.schemaVersion !== REPORT_SCHEMA_VERSION)
      throw new MergeError(
        `report ${i + 1} has schema version ${String(r.schemaVersion)}, not ${REPORT_SCHEMA_VERSION}`,
      );
    for (const t of r.targets) {
      const seen = names.get(t.name);
      if (seen !== undefined)
        throw new MergeError(`target "${t.name}" is in report ${seen + 1} and report ${i + 1}: each target once`);
      names.set(t.name, i);
    }
  });
  const slow = new Set(reports.map((r) => r.slowAfterMs));
  if (slow.size > 1)
    throw new MergeError(
      `the reports judge "slow" differently (${[...slow].join(' ms, ')} ms): run them with one --slow-after`,
    );
  const starts = reports.map((r) => Date.parse(r.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...reports.map((r, i) => starts[i]! + r.durationMs));
  const runs = reports.flatMap((r) => r.runs);
  const ids = new Set(reports.map((r) => r.runId));
  const machines = reports.flatMap((r) => (r.machine ? [r.machine] : []));
  const cleanupFailures = reports.flatMap((r) => r.cleanupFailures ?? []);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: runId ?? (ids.size === 1 ? reports[0]!.runId : reports[starts.indexOf(start)]!.runId),
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    slowAfterMs: reports[0]!.slowAfterMs,
    targets: reports.flatMap((r) => r.targets),
    runs,
    divergences: findDivergences(runs),
    ...(machines.length
      ? {
          machine: {
            cpus: Math.min(...machines.map((m) => m.cpus)),
            // Cells may have run on different machines: the heaviest load any of them saw.
            loadAverage: {
              start: Math.max(...machines.map((m) => m.loadAverage.start)),
              end: Math.max(...machines.map((m) => m.loadAverage.end)),
            },
          },
        }
      : {}),
    ...(cleanupFailures.length ? { cleanupFailures } : {}),
  };
}
