import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where commands write: injected, so integration tests capture output without spawning processes. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Files named on the command line; a directory stands for its top-level *.yaml / *.yml files. */
export function expandScenarioPaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      return [p];
    }
    if (!isDir) return [p];
    return readdirSync(p)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(p, f));
  });
}
