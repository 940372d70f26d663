/** Words the check reports share (console, Markdown, HTML), so they say the same thing. */
import type { CheckContextReport, CheckReport, checkStatus } from '../model/check-report.js';

export const STATUS_TEXT: Record<ReturnType<typeof checkStatus>, string> = {
  passed: 'passed',
  failed: 'FAILED: a cell contradicts the prediction or intent',
  incomplete: 'INCOMPLETE: it could not tell everything (see below)',
};

/** The run in one line: id, times, intent, machine load. */
export function describeCheck(report: CheckReport): string {
  const parts = [`run ${report.runId}, ${report.startedAt} to ${report.finishedAt}`];
  if (report.intent) parts.push(`judged against intent ${report.intent.name} (${report.intent.file})`);
  if (report.machine)
    parts.push(
      `${report.machine.cpus} CPUs, load average ${report.machine.loadAverage.start} at the start, ` +
        `${report.machine.loadAverage.end} at the end`,
    );
  return parts.join('; ');
}

/** A context's environment value, `unknown` when it was not found. */
export function environmentValue(c: CheckContextReport, attribute: string): string {
  return c.environment.find((r) => r.attribute === attribute)?.value ?? 'unknown';
}

export function parityTitle(contexts: readonly string[]): string {
  return `parity: ${contexts.join(' vs ')}`;
}
