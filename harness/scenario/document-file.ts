/**
 * A file of one YAML document checked against one of the shipped schemas (an intent, a class map):
 * its plain value, or every problem at file:line:col. Never throws for bad input.
 */
import path from 'node:path';
import { errorsOf, type Diagnostic } from './diagnostic.js';
import { readTextFile } from './files.js';
import type { ReadText } from './read-text.js';
import { checkSchema, type SchemaName } from './schema-check.js';
import { parseSource, toPlain, type SourceDocument } from './source.js';

export interface LoadedDocument {
  /** As the user named it, relative to the working directory. */
  readonly file: string;
  readonly value: unknown;
  readonly document: SourceDocument;
}

export function loadSchemaDocument(
  file: string,
  schema: SchemaName,
  what: string,
  readText: ReadText = readTextFile,
): { loaded?: LoadedDocument; diagnostics: Diagnostic[] } {
  const display = path.relative(process.cwd(), file) || file;
  const fail = (message: string) => ({
    diagnostics: [{ file: display, line: 1, col: 1, severity: 'error' as const, message }],
  });
  const read = readText(file);
  if ('error' in read) return fail(`cannot read ${what}: ${read.error}`);
  const parsed = parseSource(display, read.text);
  if (parsed.diagnostics.length) return { diagnostics: parsed.diagnostics };
  if (parsed.documents.length !== 1)
    return fail(parsed.documents.length ? `${what} file holds exactly one YAML document` : 'the file is empty');
  const document = parsed.documents[0]!;
  const plain = toPlain(document);
  if (plain.diagnostic) return { diagnostics: [plain.diagnostic] };
  const diagnostics = checkSchema(schema, plain.value, document);
  if (errorsOf(diagnostics).length) return { diagnostics };
  return { loaded: { file: display, value: plain.value, document }, diagnostics };
}
