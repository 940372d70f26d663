/** ANSI styling that is a no-op when colour is off (the caller decides from the TTY and NO_COLOR). */
export interface Style {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function makeStyle(color: boolean): Style {
  if (!color) return { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };
  return { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/**
 * Pads plain-text columns to a common width; `paint` colours a cell after padding so escape
 * codes never count towards the width.
 */
export function alignColumns(
  rows: readonly string[][],
  paint: (text: string, row: number, col: number) => string = (t) => t,
): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row, r) =>
    row
      .map((cell, c) => paint(c === row.length - 1 ? cell : cell.padEnd(widths[c] ?? 0), r, c))
      .join('  ')
      .trimEnd(),
  );
}

export function indent(lines: readonly string[], by = '  '): string[] {
  return lines.map((l) => (l ? by + l : l));
}
