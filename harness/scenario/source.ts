import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import type { Diagnostic, Severity, SourcePosition } from './diagnostic.js';
import { excessiveNesting, MAX_NESTING_DEPTH } from './nesting.js';

/**
 * Inputs larger than this are refused before parsing: scenarios are hand-written (the examples are
 * under 10 KiB), and parsing 1 MiB of YAML already takes seconds.
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;
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
    return {
      documents: [],
      diagnostics: [
        {
          file,
          line: 1,
          col: 1,
          severity: 'error',
          message:
            `file is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB; ` +
            'scenarios and policy files are expected to be small',
        },
      ],
    };
  }
  const tooDeep = excessiveNesting(text);
  if (tooDeep !== undefined)
    return {
      documents: [],
      diagnostics: [{ ...positionIn(text, tooDeep, file), severity: 'error', message: nestedTooDeeply() }],
    };
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      logLevel: 'error',
    }) as Document.Parsed[];
  } catch (err) {
    return {
      documents: [],
      diagnostics: [
        { file, line: 1, col: 1, severity: 'error', message: `cannot parse YAML: ${(err as Error).message}` },
      ],
    };
  }
  if (!Array.isArray(docs)) docs = [];
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  for (const doc of docs) {
    const source = new SourceDocument(file, doc, lines, text);
    // The pre-scan should catch deep nesting; should a stack overflow still surface, say what it means, once.
    const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
    for (const err of overflow ? [overflow] : doc.errors) {
      diagnostics.push({
        ...source.positionAt(err.pos[0]),
        severity: 'error',
        message: overflow ? nestedTooDeeply() : `invalid YAML: ${firstLine(err.message)}`,
      });
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
    const message =
      err instanceof RangeError
        ? nestedTooDeeply()
        : /alias count/i.test((err as Error).message)
          ? 'refusing a document whose aliases expand to too many nodes ' +
            `(more than ${MAX_ALIAS_COUNT} alias uses, as in a "billion laughs" attack); write the values out`
          : `cannot load YAML: ${firstLine((err as Error).message)}`;
    return { diagnostic: { ...source.positionAt(0), severity: 'error', message } };
  }
}

function nestedTooDeeply(): string {
  return `document is nested more than ${MAX_NESTING_DEPTH} levels deep; scenarios and policies need far fewer`;
}

/** line:col of an offset, for diagnostics raised before a LineCounter exists. */
function positionIn(text: string, offset: number, file: string): SourcePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { file, line: before.split('\n').length, col: offset - lineStart + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
