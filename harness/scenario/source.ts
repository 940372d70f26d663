import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, Severity, SourcePosition } from './diagnostic.js';

/** Inputs larger than this are refused before parsing: scenarios are hand-written. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** Alias expansion cap: a "billion laughs" document fails fast instead of exhausting memory. */
export const MAX_ALIAS_COUNT = 200;

export type YamlPath = ReadonlyArray<string | number>;

/** One YAML document with the means to turn a path into file:line:col. */
export class SourceDocument {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    readonly text: string,
  ) {}

  positionAt(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /** The node at `path`, or the deepest existing ancestor. `key` points at the map key instead of its value. */
  locate(path: YamlPath, options: { key?: boolean } = {}): SourcePosition {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isAlias(node)) break;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        if (!pair) break;
        const last = i === path.length - 1;
        const target = last && options.key ? pair.key : (pair.value ?? pair.key);
        node = target;
        offset = rangeStart(target) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        node = item;
        offset = rangeStart(item) ?? offset;
      } else {
        break;
      }
    }
    return this.positionAt(offset);
  }

  /** The YAML node at `path`, if it exists. */
  nodeAt(path: YamlPath): Node | undefined {
    const node = this.doc.getIn(path, true);
    return node && typeof node === 'object' ? (node as Node) : undefined;
  }

  diagnostic(severity: Severity, path: YamlPath, message: string, options: { key?: boolean } = {}): Diagnostic {
    return { ...this.locate(path, options), severity, message };
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range?.[0];
  }
  return undefined;
}

export interface ParsedSource {
  readonly documents: SourceDocument[];
  readonly diagnostics: Diagnostic[];
}

/** Parse text into YAML documents; syntax errors become diagnostics, never exceptions. */
export function parseSource(file: string, text: string): ParsedSource {
  if (Buffer.byteLength(text) > MAX_SOURCE_BYTES) {
    return { documents: [], diagnostics: [{ file, line: 1, col: 1, severity: 'error', message: `file is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB; scenarios and policy files are expected to be small` }] };
  }
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (err) {
    return { documents: [], diagnostics: [{ file, line: 1, col: 1, severity: 'error', message: `cannot parse YAML: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(docs)) docs = [];
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  for (const doc of docs) {
    const source = new SourceDocument(file, doc, lines, text);
    for (const err of doc.errors) {
      diagnostics.push({ ...source.positionAt(err.pos[0]), severity: 'error', message: `invalid YAML: ${firstLine(err.message)}` });
    }
    if (doc.errors.length === 0 && doc.contents !== null) documents.push(source);
  }
  return { documents, diagnostics };
}

/** doc.toJS with the alias cap; a resource-exhaustion attempt or runaway nesting becomes a diagnostic. */
export function toPlain(source: SourceDocument): { value?: unknown; diagnostic?: Diagnostic } {
  try {
    return { value: source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    const message = err instanceof RangeError ? 'document is nested too deeply' : `cannot load YAML: ${firstLine((err as Error).message)}`;
    return { diagnostic: { ...source.positionAt(0), severity: 'error', message } };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
