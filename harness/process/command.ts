import { execa } from 'execa';

/** An external command's result: inspected by the caller, never thrown for a non-zero exit. */
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
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** Run a program (kind, docker, helm) through execa; a missing binary is a result too. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const started = Date.now();
  const result = await execa(file, [...args], {
    reject: false,
    timeout: options.timeoutMs ?? 600_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    stripFinalNewline: true,
  });
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : undefined;
  return {
    command: [file, ...args].join(' '),
    exitCode,
    signal: result.signal ?? undefined,
    stdout: String(result.stdout ?? ''),
    stderr:
      String(result.stderr ?? '') || (result.failed && exitCode === undefined ? String(result.message ?? '') : ''),
    durationMs: Date.now() - started,
    timedOut: result.timedOut ?? false,
    ok: exitCode === 0 && !result.failed,
  };
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
  return `${r.command} ${why}${tail ? `:\n${tail}` : ''}`;
}
