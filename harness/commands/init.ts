import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import type { CommandIO } from './io.js';
import { starterScenario, type Pattern } from './init-patterns.js';

export interface InitOptions {
  readonly pattern: Pattern;
  readonly output?: string;
}

/** This package's root: the folder above us whose package.json is netpol-harness's (src or dist). */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'netpol-harness'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no netpol-harness package.json above ${from}`);
  }
}

/**
 * The `$schema` for a file written at `target`: relative inside this package (a clone), so the
 * line stays true when the clone moves; else the absolute path of the installed package's schema.
 */
export function schemaReference(target: string, root = packageRoot()): string {
  const schema = path.join(root, 'schema', 'scenario.schema.json');
  const dir = path.dirname(path.resolve(target));
  const inside = path.relative(root, dir).split(path.sep)[0] !== '..' && !path.isAbsolute(path.relative(root, dir));
  return inside ? path.relative(dir, schema).split(path.sep).join('/') : schema;
}

/** `init`: a starter scenario on stdout, or in a new file (never over an existing one). */
export function initCommand(options: InitOptions, io: CommandIO): ExitCode {
  // On stdout the file will most likely land in the working directory (`> my-scenario.yaml`).
  const target = options.output ?? path.join(process.cwd(), 'scenario.yaml');
  const text = starterScenario(options.pattern, schemaReference(target));
  if (options.output === undefined) {
    io.out(text.trimEnd());
    return EXIT.ok;
  }
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  try {
    writeFileSync(target, text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`${target} already exists; not overwriting it (remove it or choose another -o)`);
    throw new UsageError(`cannot write ${target}: ${(e as Error).message}`);
  }
  io.err(`wrote ${target} (pattern ${options.pattern}); next: netpol-harness validate ${target}`);
  return EXIT.ok;
}
