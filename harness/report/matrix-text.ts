import type { CellRef } from '../model/expectations.js';

export type Mark = '.' | 'X' | '-';

/** Cells grouped by (port, protocol, path), in first-seen order: one printed table each. */
export function groupByPort<C extends { port: { port: number; protocol: string }; via?: string | undefined }>(
  cells: readonly C[],
): Array<{ label: string; cells: C[] }> {
  const groups = new Map<string, C[]>();
  for (const cell of cells) {
    const label = `${cell.port.port}/${cell.port.protocol}${cell.via ? ` via ${cell.via}` : ''}`;
    groups.set(label, [...(groups.get(label) ?? []), cell]);
  }
  return [...groups].map(([label, grouped]) => ({ label, cells: grouped }));
}

/**
 * The notation reports print and matrix expectations accept: rows are sources, columns are
 * destinations, `.` allowed, `X` blocked, `-` not asserted; blank where a destination does not serve the port.
 * Reports may return longer marks (a failing cell's `X!`); columns widen to fit them.
 */
export function renderTable(
  cells: ReadonlyArray<{ from: string; to: string }>,
  markOf: (i: number) => Mark | string,
  corner = 'from\\to',
): string {
  const rows = [...new Set(cells.map((c) => c.from))];
  const cols = [...new Set(cells.map((c) => c.to))];
  const marks = new Map(cells.map((c, i) => [`${c.from}|${c.to}`, markOf(i)]));
  const width0 = Math.max(corner.length, ...rows.map((r) => r.length));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => marks.get(`${r}|${c}`)?.length ?? 1)));
  const line = (first: string, rest: string[]) =>
    [first.padEnd(width0), ...rest.map((r, i) => r.padEnd(widths[i]!))].join(' ').trimEnd();
  return [
    line(corner, cols),
    ...rows.map((r) =>
      line(
        r,
        cols.map((c) => marks.get(`${r}|${c}`) ?? ' '),
      ),
    ),
  ].join('\n');
}

export function predictionTables(cells: readonly CellRef[]): string {
  const keyed = cells.map((c) => ({
    from: c.from.key,
    to: c.to.key,
    port: c.port,
    via: c.via,
    allowed: c.predicted,
    unspecified: c.unspecified !== undefined,
  }));
  const mark = (c: (typeof keyed)[number]) => (c.unspecified ? '?' : c.allowed ? '.' : 'X');
  return groupByPort(keyed)
    .map((g) => `port ${g.label}\n${renderTable(g.cells, (i) => mark(g.cells[i]!))}`)
    .join('\n\n');
}
