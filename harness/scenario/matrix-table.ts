import type { ViaPattern } from '../model/service.js';
import type { ExpectMatrix, MatrixMark, PortPattern, ProtocolPattern } from '../model/scenario.js';
import type { SourcePosition } from '../model/position.js';
import type { DiagnosticSink } from './reporter.js';

export interface TableLine {
  readonly tokens: ReadonlyArray<{ text: string; position: SourcePosition }>;
}

const MARKS: Record<string, MatrixMark> = { '.': '.', X: 'X', x: 'X', '-': '-' };

/**
 * Split a table string into tokens that know where they were written: each non-empty line is found
 * again in the source text after the scalar's start, so a bad mark is reported at its own line:col.
 */
export function tokenizeTable(table: string, sink: DiagnosticSink): TableLine[] {
  const node = sink.source.nodeAt(sink.base) as { range?: [number, number, number] } | undefined;
  const start = node?.range?.[0] ?? 0;
  const end = node?.range?.[2] ?? start;
  const raw = sink.source.text.slice(start, end);
  let cursor = 0;
  const lines: TableLine[] = [];
  for (const line of table.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const found = raw.indexOf(trimmed, cursor);
    const lineOffset = found >= 0 ? start + found : start;
    if (found >= 0) cursor = found + trimmed.length;
    const tokens = [...trimmed.matchAll(/\S+/g)].map((m) => ({
      text: m[0],
      position: sink.source.positionAt(found >= 0 ? lineOffset + (m.index ?? 0) : start),
    }));
    lines.push({ tokens });
  }
  return lines;
}

export interface MatrixPeerCheck {
  source(text: string, position: SourcePosition): boolean;
  destination(text: string, position: SourcePosition): boolean;
}

/** A literal expectation table: header of destinations, one row per source, `.` `X` `-` marks. */
export function parseMatrix(
  raw: { port: PortPattern; protocol: ProtocolPattern; via?: ViaPattern; table: string },
  sink: DiagnosticSink,
  peers: MatrixPeerCheck,
): ExpectMatrix | undefined {
  const tableSink = sink.at(['table']);
  const lines = tokenizeTable(raw.table, tableSink);
  const report = (position: SourcePosition, message: string) =>
    sink.out.push({ ...position, severity: 'error', message });
  const [header, ...rows] = lines;
  if (!header || header.tokens.length < 2 || rows.length === 0) {
    tableSink.error(
      [],
      'a matrix needs a header line (a corner label, then destinations) ' +
        'and at least one row (a source, then one mark per destination)',
    );
    return undefined;
  }
  const before = sink.out.length;
  const destinations = header.tokens.slice(1);
  destinations.forEach((d) => peers.destination(d.text, d.position));
  const sources: string[] = [];
  const marks: MatrixMark[][] = [];
  const markOrigins: SourcePosition[][] = [];
  for (const row of rows) {
    const [first, ...cells] = row.tokens;
    if (!first) continue;
    peers.source(first.text, first.position);
    if (cells.length !== destinations.length) {
      report(first.position, `row ${first.text} has ${cells.length} marks for ${destinations.length} destinations`);
      continue;
    }
    const rowMarks = cells.map((c) => {
      const mark = MARKS[c.text];
      if (!mark) report(c.position, `"${c.text}" is not a mark: use . (allowed), X (blocked) or - (not asserted)`);
      return mark ?? '-';
    });
    sources.push(first.text);
    marks.push(rowMarks);
    markOrigins.push(cells.map((c) => c.position));
  }
  if (sink.out.length > before) return undefined;
  return {
    port: raw.port,
    protocol: raw.protocol,
    via: raw.via ?? '*',
    sources,
    destinations: destinations.map((d) => d.text),
    marks,
    markOrigins,
    origin: sink.position(),
  };
}
