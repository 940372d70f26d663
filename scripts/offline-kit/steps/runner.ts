// Runs steps in order with progress and timings; stops at the first failure
// and says which step failed, where its log is, and how to retry.
import { mkdirSync } from 'node:fs';
import { cache } from '../config.js';
import { formatDuration } from '../run.js';
import { stepLog, type Step, type StepContext } from './step.js';

export interface StepReport {
  readonly id: string;
  readonly status: 'built' | 'cached' | 'failed';
  readonly durationMs: number;
}

export async function runSteps(steps: readonly Step[], ctx: StepContext, out = console): Promise<StepReport[]> {
  mkdirSync(cache.logs, { recursive: true });
  const reports: StepReport[] = [];
  const total = steps.length;
  for (const [index, step] of steps.entries()) {
    const label = `[${index + 1}/${total}] ${step.id}`;
    const started = Date.now();
    if (!ctx.force && (await step.isDone(ctx))) {
      out.log(`${label}: ${step.title}: cached`);
      reports.push({ id: step.id, status: 'cached', durationMs: Date.now() - started });
      continue;
    }
    out.log(`${label}: ${step.title} ... (log: ${stepLog(step.id)})`);
    let outcome;
    try {
      outcome = await step.run(ctx);
    } catch (error) {
      outcome = { kind: 'failed' as const, reason: error instanceof Error ? error.message : String(error) };
    }
    const durationMs = Date.now() - started;
    if (outcome.kind === 'failed') {
      out.error(`${label}: FAILED after ${formatDuration(durationMs)}\n  ${outcome.reason.replace(/\n/g, '\n  ')}`);
      out.error(`  log: ${stepLog(step.id)}`);
      out.error(`  retry this step and the rest: npm run kit -- build --from ${step.id}`);
      reports.push({ id: step.id, status: 'failed', durationMs });
      return reports;
    }
    out.log(`${label}: done in ${formatDuration(durationMs)}${outcome.detail === undefined ? '' : ` (${outcome.detail})`}`);
    reports.push({ id: step.id, status: 'built', durationMs });
  }
  return reports;
}
