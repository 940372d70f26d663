import { sleep } from './pool.js';

/** A bounded wait ran out; says what it was waiting for and what it saw last. */
export class WaitTimeout extends Error {
  readonly kind = 'timeout' as const;
}

/**
 * Poll `check` until it returns a value, at most `timeoutMs`. `check` returns undefined to keep
 * waiting and may describe the current state for the timeout message.
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<{ done: T } | { waiting: string }>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    if (options.signal?.aborted) throw new WaitTimeout(`interrupted while waiting for ${what}`);
    const state = await check();
    if ('done' in state) return state.done;
    last = state.waiting;
    if (Date.now() >= deadline)
      throw new WaitTimeout(`gave up after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}: ${last}`);
    await sleep(options.intervalMs ?? 500, options.signal);
  }
}
