import { main, type Terminal } from '../../harness/cli.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Not a terminal: no colour, as in CI. */
export const NO_TTY: Terminal = { stdoutIsTTY: false, stderrIsTTY: false, env: {} };

/** The whole CLI in-process, as a user runs it, with what it printed on stdout and stderr. */
export async function runCli(argv: readonly string[], terminal: Terminal = NO_TTY): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, terminal);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
