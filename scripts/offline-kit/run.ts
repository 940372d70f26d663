// Running external commands through execa. A non-zero exit is a result the
// caller inspects, never an exception; long commands stream into a log file.
import { createWriteStream } from 'node:fs';
import { execa } from 'execa';

export interface CommandResult {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly input?: string;
  /** Append stdout and stderr to this file instead of buffering them. */
  readonly logFile?: string;
  /** Bound on the command's run time; undefined means none. */
  readonly timeoutMs?: number;
}

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const started = Date.now();
  const command = [file, ...args].join(' ');
  const log = opts.logFile === undefined ? undefined : createWriteStream(opts.logFile, { flags: 'a' });
  log?.write(`\n$ ${command}\n`);
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env === undefined ? undefined : { ...process.env, ...opts.env },
    input: opts.input,
    reject: false,
    all: log !== undefined,
    timeout: opts.timeoutMs,
    buffer: log === undefined,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
  });
  if (log !== undefined) child.all?.pipe(log, { end: false });
  const result = await child;
  if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
  return {
    command,
    exitCode: result.exitCode,
    ok: result.exitCode === 0 && !result.timedOut,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    durationMs: Date.now() - started,
  };
}

/** Runs a shell snippet with bash -euo pipefail (for pipelines such as tar | docker import). */
export function sh(script: string, opts: RunOptions = {}): Promise<CommandResult> {
  return run('bash', ['-euo', 'pipefail', '-c', script], opts);
}

/** The last lines of a result's stderr (or stdout), for error messages. */
export function tail(result: CommandResult, lines = 8): string {
  const text = (result.stderr.trim() === '' ? result.stdout : result.stderr).trim();
  return text.split('\n').slice(-lines).join('\n');
}

export function describeFailure(result: CommandResult): string {
  const why = result.exitCode === undefined ? 'was killed or timed out' : `exited with ${result.exitCode}`;
  const detail = tail(result);
  return `\`${result.command.slice(0, 200)}\` ${why}${detail === '' ? '' : `:\n${detail}`}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
