/**
 * One call to the API server, bounded: client-node sets no timeout, so against a paused or
 * partitioned API server a request can wait forever (the TCP handshake completes in the kernel,
 * the answer never comes) and the whole run with it. Each attempt gets `attemptMs`; a failure that
 * says the server could not be reached (no answer in time, connection refused or reset, 429, 502
 * to 504) is retried after a pause, at most `attempts` times in all; the last error says how many
 * attempts failed and why. Every verb the harness sends is idempotent (server-side apply, delete
 * of a named object, reads), so sending one again is safe. Anything else fails at once.
 */
export interface CallBounds {
  readonly attempts: number;
  readonly attemptMs: number;
  readonly pauseMs: number;
}

/** Outlasts the 20 s API server outage the e2e fault test injects, within one attempt or two. */
export const API_CALL_BOUNDS: CallBounds = { attempts: 3, attemptMs: 45_000, pauseMs: 2_000 };

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|socket hang up|network|fetch failed|no answer/i;

export class NoAnswer extends Error {}

/** Whether an error means the API server could not be reached, so the call may be sent again. */
export function isUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'number') return code === 429 || (code >= 502 && code <= 504);
  if (e instanceof NoAnswer) return true;
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return UNREACHABLE.test(
    `${String(code ?? '')} ${(e as Error)?.message ?? ''} ${cause?.code ?? ''} ${cause?.message ?? ''}`,
  );
}

function withinTime<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`no answer from the API server within ${ms / 1000} s`)), ms);
  });
  return Promise.race([fn(), late]).finally(() => clearTimeout(timer));
}

export async function boundedCall<T>(fn: () => Promise<T>, bounds: CallBounds = API_CALL_BOUNDS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withinTime(fn, bounds.attemptMs);
    } catch (e) {
      if (!isUnreachable(e) || attempt >= bounds.attempts) {
        if (attempt > 1 && e instanceof Error)
          e.message = `${e.message} (${attempt} attempts, the API server could not be reached)`;
        throw e;
      }
      await new Promise((r) => setTimeout(r, bounds.pauseMs));
    }
  }
}
