/**
 * The scenario layer's only contact with the file system: everything else in scenario/ is pure and
 * reads through the ReadText function it is given (tests pass their own).
 */
import { readFileSync, statSync } from 'node:fs';
import type { ReadText } from './read-text.js';
import { MAX_SOURCE_BYTES } from './source.js';

/** The JSON Schema shipped in the package: the same one editors use through yaml-language-server. */
export const SCHEMA_URL = new URL('../../schema/scenario.schema.json', import.meta.url);

/** The nightly matrix's schema (`netpol-harness matrix`), shipped beside it. */
export const MATRIX_SCHEMA_URL = new URL('../../schema/matrix.schema.json', import.meta.url);

export function readShippedSchema(url: URL = SCHEMA_URL): Record<string, unknown> {
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

export const readTextFile: ReadText = (file) => {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { error: 'is a directory' };
    // A device or pipe (/dev/zero, /dev/urandom) reports size 0 but never ends: refuse before reading.
    if (!stat.isFile()) return { error: 'is not a regular file' };
    if (stat.size > MAX_SOURCE_BYTES) return { error: `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB` };
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message,
    };
  }
};
