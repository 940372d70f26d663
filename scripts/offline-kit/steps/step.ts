// One build step: a cheap check whether its output is already there, and the work.
import { join } from 'node:path';
import { cache, type Versions } from '../config.js';

export interface StepContext {
  readonly versions: Versions;
  /** Rebuild even if the step's output exists. */
  readonly force: boolean;
  /** Prints a progress line under the current step. */
  progress(message: string): void;
}

export type StepOutcome =
  { readonly kind: 'done'; readonly detail?: string } | { readonly kind: 'failed'; readonly reason: string };

export interface Step {
  /** Stable id, used by `--from` / `--only` and in retry hints. */
  readonly id: string;
  readonly title: string;
  /** True when the step's output already exists (the step is then skipped unless --force). */
  isDone(ctx: StepContext): Promise<boolean>;
  run(ctx: StepContext): Promise<StepOutcome>;
}

export const done = (detail?: string): StepOutcome => ({ kind: 'done', detail });
export const failed = (reason: string): StepOutcome => ({ kind: 'failed', reason });

export function stepLog(id: string): string {
  return join(cache.logs, `${id}.log`);
}
