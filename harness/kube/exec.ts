import { Writable } from 'node:stream';
import type { Exec, V1Status } from '@kubernetes/client-node';
import type { ExecResult } from './gateway.js';

const MAX_OUTPUT = 4 * 1024 * 1024;

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (size < MAX_OUTPUT) chunks.push(chunk);
      size += chunk.length;
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * client-node's exec resolves when the websocket opens, not when the command ends, and its status
 * callback may never fire. This wrapper settles exactly once: on the status, on the socket closing,
 * on an error, or on the timeout, and says which.
 */
export function execAndWait(
  exec: Exec,
  namespace: string,
  pod: string,
  container: string,
  argv: readonly string[],
  timeoutMs: number,
): Promise<ExecResult> {
  const started = Date.now();
  const out = collector();
  const err = collector();
  return new Promise<ExecResult>((resolve) => {
    let settled = false;
    let socket: { close(): void } | undefined;
    const finish = (result: Omit<ExecResult, 'stdout' | 'stderr' | 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Let the streams flush what the socket already delivered.
      setImmediate(() => {
        try {
          socket?.close();
        } catch {
          /* already closed */
        }
        resolve({ ...result, stdout: out.text(), stderr: err.text(), durationMs: Date.now() - started });
      });
    };
    const timer = setTimeout(
      () => finish({ failure: `exec in ${namespace}/${pod} did not finish within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const onStatus = (status: V1Status) => finish(statusResult(status));
    exec
      .exec(namespace, pod, container, [...argv], out.stream, err.stream, null, false, onStatus)
      .then((ws) => {
        socket = ws;
        ws.on('close', () =>
          setTimeout(() => finish({ failure: 'the exec stream closed without reporting an exit status' }), 200),
        );
        ws.on('error', (e: Error) => finish({ failure: `exec stream error: ${e.message}` }));
      })
      .catch((e: unknown) => finish({ failure: `exec in ${namespace}/${pod} could not start: ${describe(e)}` }));
  });
}

function statusResult(status: V1Status): { exitCode?: number; failure?: string } {
  if (status.status === 'Success') return { exitCode: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined && /^\d+$/.test(cause.message)) return { exitCode: Number(cause.message) };
  return { failure: `exec failed: ${status.message ?? status.reason ?? 'unknown status'}` };
}

export function describe(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { message?: string; code?: number; body?: unknown };
    const body = typeof o.body === 'string' ? o.body : o.body ? JSON.stringify(o.body) : '';
    return [o.code ? `HTTP ${o.code}` : '', o.message ?? '', body.slice(0, 300)].filter(Boolean).join(': ');
  }
  return String(e);
}
