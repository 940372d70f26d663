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
    let cached: boolean;
    try {
      cached = !ctx.force && (await step.isDone(ctx));
    } catch (error) {
      // An input of this step is missing: an earlier step's output moved (say, a source edited mid-build).
      out.error(`${label}: FAILED checking its inputs: ${error instanceof Error ? error.message : String(error)}`);
      out.error(
        '  retry the whole build (earlier steps rebuild what changed, the rest is cached): npm run kit -- build',
      );
      reports.push({ id: step.id, status: 'failed', durationMs: Date.now() - started });
      return reports;
    }
    if (cached) {
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
    out.log(
      `${label}: done in ${formatDuration(durationMs)}${outcome.detail === undefined ? '' : ` (${outcome.detail})`}`,
    );
    reports.push({ id: step.id, status: 'built', durationMs });
  }
  return reports;
}
