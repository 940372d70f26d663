import { createWriteStream } from 'node:fs';
import { execa } from 'execa';

/**
 * The one way netpol-harness and its offline kit run programs (kind, docker, helm, go, apt):
 * through execa, with a result the caller inspects; a non-zero exit or a missing binary is never
 * thrown. Long commands can stream into a log file instead of being buffered.
 */
export interface CommandResult {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly ok: boolean;
}

export interface CommandOptions {
  /** Bound on the command's run time (default 10 min): every wait is bounded. */
  readonly timeoutMs?: number;
  readonly input?: string;
  /** Added to this process's environment. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Append the command line, stdout and stderr to this file instead of buffering them. */
  readonly logFile?: string;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 600_000;

export async function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const started = Date.now();
  const command = [file, ...args].join(' ');
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  log?.write(`\n$ ${command}\n`);
  const child = execa(file, [...args], {
    reject: false,
    timeout: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(log ? { all: true, buffer: false } : {}),
    stripFinalNewline: true,
  });
  if (log) child.all?.pipe(log, { end: false });
  const result = await child;
  if (log) await new Promise<void>((resolve) => log.end(resolve));
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    command,
    exitCode,
    signal: result.signal ?? undefined,
    stdout: text(result.stdout),
    stderr: text(result.stderr) || (result.failed && exitCode === undefined ? String(result.message ?? '') : ''),
    durationMs: Date.now() - started,
    timedOut: result.timedOut ?? false,
    ok: exitCode === 0 && !result.failed,
  };
}

/** A shell snippet under bash -euo pipefail (pipelines such as tar | docker import). */
export function runShell(script: string, options: CommandOptions = {}): Promise<CommandResult> {
  return runCommand('bash', ['-euo', 'pipefail', '-c', script], options);
}

/** "kind create cluster exited 1 after 12 s: <last stderr lines>", as zx explains a failure. */
export function explainFailure(r: CommandResult, lines = 8): string {
  const why = r.timedOut
    ? `timed out after ${Math.round(r.durationMs / 1000)} s`
    : r.exitCode === undefined
      ? `did not run (${r.signal ?? r.stderr.split('\n')[0]})`
      : `exited ${r.exitCode} after ${Math.round(r.durationMs / 1000)} s`;
  const tail = (r.stderr || r.stdout)
    .trim()
    .split('\n')
    .slice(-lines)
    .map((l) => `  ${l}`)
    .join('\n');
  const shown = r.command.length > 200 ? `${r.command.slice(0, 200)}…` : r.command;
  return `${shown} ${why}${tail ? `:\n${tail}` : ''}`;
}
