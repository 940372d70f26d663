/**
 * `snapshot --observed`: what `check` observed on the real cluster, as the scenario's expectation
 * tables, so a replay asserts what production did, not what the spec says. One table per port and
 * protocol: rows are sources, columns destinations, `.` a handshake or reply was seen, `X` silence,
 * `-` nothing proven (ambiguous, unverifiable, an error, or a cell to itself). A table holds one
 * path: the pods' own IPs (`via: pod`), a Service's cluster IP (`service`) or its DNS name (`dns`);
 * a Service cell is keyed, as a scenario keys it, by the workload behind it and the port that
 * workload serves it on. Cells through a Service the scenario does not carry, or to a class it does
 * not carry, are left out and counted.
 */
import type { CheckContextReport, CheckReportCell } from '../model/check-report.js';

export interface ObservedTable {
  readonly via: 'pod' | 'service' | 'dns';
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

/**
 * `workloadOf` maps a class key to its workload key in the scenario (undefined: not carried);
 * `serviceOf` a Service's `ns/name` to the class key it fronts in the scenario (undefined: not carried).
 */
export function observedMatrix(
  report: CheckContextReport,
  workloadOf: (classKey: string) => string | undefined,
  serviceOf: (serviceKey: string) => string | undefined = () => undefined,
): ObservedMatrix {
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const groups = new Map<string, Omit<ObservedTable, 'table'> & { cells: Array<[string, string, string]> }>();
  for (const cell of report.cells) {
    const target = destinationOf(cell, serviceOf);
    if (!target) {
      skip('through a Service the scenario does not carry');
      continue;
    }
    const from = workloadOf(cell.from);
    const to = workloadOf(target.classKey);
    if (!from || !to) {
      skip('to or from a class the scenario does not carry');
      continue;
    }
    const mark = markOf(cell);
    if (mark === '-') skip(`${cell.evidence}: nothing to assert`);
    const { via, port } = target;
    const id = `${via} ${port.port}/${port.protocol}`;
    const group = groups.get(id) ?? { via, port: port.port, protocol: port.protocol, cells: [] };
    group.cells.push([from, to, from === to ? '-' : mark]);
    groups.set(id, group);
  }
  const tables = [...groups.values()]
    .sort((a, b) => VIA_ORDER[a.via] - VIA_ORDER[b.via] || a.port - b.port || a.protocol.localeCompare(b.protocol))
    .map((g) => ({ via: g.via, port: g.port, protocol: g.protocol, table: tableText(g.cells) }));
  const asserted = [...groups.values()].flatMap((g) => g.cells).filter(([, , m]) => m !== '-').length;
  return { tables, asserted, skipped: [...skipped].map(([why, n]) => `${n} observed cell(s) ${why}`) };
}

const VIA_ORDER: Record<ObservedTable['via'], number> = { pod: 0, service: 1, dns: 2 };

/**
 * The class a cell reaches, the path, and the port as a scenario keys it: for a Service cell, the
 * port the class behind it serves the Service port on (check lists it as `class-key port/protocol`).
 */
function destinationOf(
  cell: CheckReportCell,
  serviceOf: (serviceKey: string) => string | undefined,
): { classKey: string; via: ObservedTable['via']; port: { port: number; protocol: string } } | undefined {
  if (!cell.service) return { classKey: cell.to, via: 'pod', port: cell.port };
  const classKey = serviceOf(cell.service.name);
  if (!classKey) return undefined;
  const served = cell.service.backends.map((b) => /^(\S+) (\d+)\/(\S+)$/.exec(b)).find((m) => m?.[1] === classKey);
  if (!served) return undefined;
  return {
    classKey,
    via: cell.service.address === 'cluster-ip' ? 'service' : 'dns',
    port: { port: Number(served[2]), protocol: served[3]! },
  };
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
