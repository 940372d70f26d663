import { PassThrough, Writable } from 'node:stream';
import type { Exec } from '@kubernetes/client-node';
import { describe } from './exec.js';
import type { ExecResult, ShellSession } from './gateway.js';

/**
 * One exec of `sh` kept open; each script is written to its stdin followed by an end marker, and the
 * result is the output up to that marker. An exec costs about 0.7 s here (API server, kubelet,
 * runtime); paying it once per pod instead of once per probe round is most of a round's time.
 */
export async function openLiveShell(
  exec: Exec,
  namespace: string,
  pod: string,
  container: string,
): Promise<ShellSession> {
  const stdin = new PassThrough();
  let buffer = '';
  let stderr = '';
  let closed = false;
  let pending: { marker: string; resolve: (r: ExecResult) => void; started: number; timer: NodeJS.Timeout } | undefined;
  const settle = (result: Omit<ExecResult, 'durationMs'>) => {
    if (!pending) return;
    const { resolve, started, timer } = pending;
    clearTimeout(timer);
    pending = undefined;
    resolve({ ...result, durationMs: Date.now() - started });
  };
  const fail = (why: string) => {
    closed = true;
    settle({ stdout: buffer, stderr, failure: why });
  };
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      buffer += chunk.toString('utf8');
      if (pending) {
        const at = buffer.indexOf(pending.marker);
        if (at >= 0) {
          const out = buffer.slice(0, at);
          buffer = buffer.slice(at + pending.marker.length);
          settle({ stdout: out, stderr, exitCode: 0 });
          stderr = '';
        }
      }
      done();
    },
  });
  const errStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stderr += chunk.toString('utf8');
      done();
    },
  });
  let socket: { close(): void; on(event: string, fn: (...args: unknown[]) => void): void };
  try {
    socket = await exec.exec(namespace, pod, container, ['sh'], stdout, errStream, stdin, false, () =>
      fail('the shell exited'),
    );
  } catch (e) {
    throw new Error(`cannot open a shell in ${namespace}/${pod}: ${describe(e)}`);
  }
  socket.on('close', () => fail('the shell connection closed'));
  socket.on('error', (e) => fail(`shell connection error: ${(e as Error).message}`));
  let round = 0;
  return {
    get closed() {
      return closed;
    },
    run(script, timeoutMs) {
      if (closed) return Promise.resolve({ stdout: '', stderr: '', failure: 'the shell is closed', durationMs: 0 });
      const marker = `@@np-end-${++round}-${Date.now()}\n`;
      return new Promise<ExecResult>((resolve) => {
        const timer = setTimeout(() => {
          closed = true;
          settle({
            stdout: buffer,
            stderr,
            failure: `the probe script in ${namespace}/${pod} did not finish within ${timeoutMs} ms`,
          });
        }, timeoutMs);
        pending = { marker, resolve, started: Date.now(), timer };
        buffer = '';
        stdin.write(`${script}\necho '${marker.trim()}'\n`);
      });
    },
    close() {
      closed = true;
      try {
        stdin.end('exit\n');
        socket.close();
      } catch {
        /* already gone */
      }
    },
  };
}
