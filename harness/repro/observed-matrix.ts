/**
 * `snapshot --observed`: what `check` observed on the real cluster, as the scenario's expectation
 * tables, so a replay asserts what production did, not what the spec says. One table per port and
 * protocol: rows are sources, columns destinations, `.` a handshake or reply was seen, `X` silence,
 * `-` nothing proven (ambiguous, unverifiable, an error, or a cell to itself). Cells through a
 * Service, or to a class the scenario does not carry, are left out and counted.
 */
import type { CheckContextReport, CheckReportCell } from '../model/check-report.js';

export interface ObservedTable {
  readonly port: number;
  readonly protocol: string;
  readonly table: string;
}

export interface ObservedMatrix {
  readonly tables: readonly ObservedTable[];
  readonly asserted: number;
  /** Why cells were left out, with how many. */
  readonly skipped: readonly string[];
}

/** `workloadOf` maps a class key to its workload key in the scenario (undefined: not carried). */
export function observedMatrix(
  report: CheckContextReport,
  workloadOf: (classKey: string) => string | undefined,
): ObservedMatrix {
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const groups = new Map<string, { port: number; protocol: string; cells: Array<[string, string, string]> }>();
  for (const cell of report.cells) {
    if (cell.service) {
      skip('through a Service (a scenario probes pods directly)');
      continue;
    }
    const from = workloadOf(cell.from);
    const to = workloadOf(cell.to);
    if (!from || !to) {
      skip('to or from a class the scenario does not carry');
      continue;
    }
    const mark = markOf(cell);
    if (mark === '-') skip(`${cell.evidence}: nothing to assert`);
    const id = `${cell.port.port}/${cell.port.protocol}`;
    const group = groups.get(id) ?? { port: cell.port.port, protocol: cell.port.protocol, cells: [] };
    group.cells.push([from, to, from === to ? '-' : mark]);
    groups.set(id, group);
  }
  const tables = [...groups.values()]
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))
    .map((g) => ({ port: g.port, protocol: g.protocol, table: tableText(g.cells) }));
  const asserted = [...groups.values()].flatMap((g) => g.cells).filter(([, , m]) => m !== '-').length;
  return { tables, asserted, skipped: [...skipped].map(([why, n]) => `${n} observed cell(s) ${why}`) };
}

function markOf(cell: CheckReportCell): '.' | 'X' | '-' {
  return cell.evidence === 'allowed' ? '.' : cell.evidence === 'blocked' ? 'X' : '-';
}

/** The `from\to` table, columns aligned; a pair never observed is `-`. */
function tableText(cells: ReadonlyArray<readonly [string, string, string]>): string {
  const rows = [...new Set(cells.map(([from]) => from))];
  const columns = [...new Set(cells.map(([, to]) => to))];
  const marks = new Map(cells.map(([from, to, mark]) => [`${from}\0${to}`, mark]));
  const width = Math.max('from\\to'.length, ...rows.map((r) => r.length));
  const line = (head: string, values: readonly string[]) =>
    [head.padEnd(width), ...values.map((v, i) => v.padEnd(columns[i]!.length))].join('  ').trimEnd();
  return [
    line('from\\to', columns),
    ...rows.map((r) =>
      line(
        r,
        columns.map((c) => marks.get(`${r}\0${c}`) ?? '-'),
      ),
    ),
  ].join('\n');
}
