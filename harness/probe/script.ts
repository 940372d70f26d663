import { batchArgv, shellQuote, type ProbeTimeouts } from './commands.js';

export interface ScriptProbe {
  readonly id: number;
  readonly argv: readonly string[];
  /** Batch-prober spec: such probes share one netpol-server process. */
  readonly batch?: string;
}

export interface ProbeLine {
  readonly id: number;
  readonly exitCode: number;
  readonly output: string;
}

const MARK = '@@np';

/**
 * One shell script that runs all of a source pod's probes concurrently, in waves of `parallel`
 * so a pod with hundreds of cells does not fork hundreds of curls at once. Each probe prints one
 * line: marker, id, exit code, and its output folded to one line (at most 400 bytes).
 */
export function renderProbeScript(probes: readonly ScriptProbe[], parallel: number, timeouts: ProbeTimeouts): string {
  const lines = [
    `p() { i="$1"; shift; o="$("$@" 2>&1)"; c=$?; o="$(printf '%s' "$o" | tr '\\n\\r\\t' '   ' | cut -c1-400)"; ` +
      `printf '${MARK}\\t%s\\t%s\\t%s\\n' "$i" "$c" "$o"; }`,
  ];
  const batched = probes.flatMap((p) => (p.batch ? [{ id: p.id, spec: p.batch }] : []));
  // The batch prober prints its own result lines, one per probe, in the same format.
  if (batched.length) lines.push(`${batchArgv(batched, timeouts).map(shellQuote).join(' ')} &`);
  probes
    .filter((p) => !p.batch)
    .forEach((probe, n) => {
      lines.push(`p ${probe.id} ${probe.argv.map(shellQuote).join(' ')} &`);
      if ((n + 1) % parallel === 0) lines.push('wait');
    });
  lines.push('wait');
  return lines.join('\n');
}

/** Parse what the script printed; lines that are not ours (shell noise) are ignored. */
export function parseProbeOutput(stdout: string): Map<number, ProbeLine> {
  const results = new Map<number, ProbeLine>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(`${MARK}\t`)) continue;
    const [, id, code, ...rest] = line.split('\t');
    const parsedId = Number(id);
    const exitCode = Number(code);
    if (!Number.isInteger(parsedId) || !Number.isInteger(exitCode)) continue;
    results.set(parsedId, { id: parsedId, exitCode, output: rest.join('\t').trim() });
  }
  return results;
}
