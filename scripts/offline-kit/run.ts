// The kit runs programs through the harness's one process wrapper (harness/process/command.ts).
// Its builds are long (Kubernetes alone takes about 10 min cold on 2 cores), so a command
// without a bound of its own gets two hours instead of the harness's ten minutes.
import {
  explainFailure,
  runCommand,
  runShell,
  type CommandOptions,
  type CommandResult,
} from '../../harness/process/command.js';

export type { CommandResult };
export { formatDuration } from '../../harness/util/duration.js';

const BUILD_BOUND_MS = 2 * 60 * 60_000;

export function run(file: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  return runCommand(file, args, { timeoutMs: BUILD_BOUND_MS, ...opts });
}

/** A shell snippet under bash -euo pipefail (for pipelines such as tar | docker import). */
export function sh(script: string, opts: CommandOptions = {}): Promise<CommandResult> {
  return runShell(script, { timeoutMs: BUILD_BOUND_MS, ...opts });
}

export const describeFailure = (result: CommandResult): string => explainFailure(result);
