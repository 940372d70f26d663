/**
 * Parity between contexts: the same cells (matched by source class, destination class and port;
 * classes are matched by namespace and owner name, `ns/name`) side by side, the cells where the
 * contexts disagree, and for each the likely causes from the environment rows that differ and
 * concern either end of the cell. Pure: it compares reports already made.
 */
import type {
  CheckContextReport,
  CheckDivergence,
  CheckReportCell,
  EnvironmentDiffRow,
  EnvironmentRow,
} from '../model/check-report.js';

export const ABSENT = '-';

export interface Parity {
  readonly divergences: readonly CheckDivergence[];
  readonly environment: readonly EnvironmentDiffRow[];
}

/** How one context's names line up with the others' (`check --map`): class keys and namespaces. */
export interface Renaming {
  readonly classKey: (key: string) => string;
  readonly namespace: (name: string) => string;
}

/** A context's report in the names the comparison uses: cells, classes and environment rows. */
export function renamed(report: CheckContextReport, to: Renaming): CheckContextReport {
  const row = (r: EnvironmentRow): EnvironmentRow => ({
    ...r,
    attribute: renameAttribute(r.attribute, to),
    ...(r.namespace !== undefined ? { namespace: to.namespace(r.namespace) } : {}),
    ...(r.classes ? { classes: r.classes.map(to.classKey) } : {}),
  });
  return {
    ...report,
    namespaces: report.namespaces.map(to.namespace),
    classes: report.classes.map((c) => ({ ...c, key: to.classKey(c.key) })),
    cells: report.cells.map((c) => ({
      ...c,
      from: to.classKey(c.from),
      to: c.service ? renameService(c.to, to) : to.classKey(c.to),
      ...(c.service
        ? {
            service: {
              ...c.service,
              name: renameService(c.service.name, to),
              backends: c.service.backends.map((b) => b.replace(/^\S+/, (k) => to.classKey(k))),
            },
          }
        : {}),
    })),
    environment: report.environment.map(row),
  };
}

/** A Service's `ns/name`, or a Service cell's `svc:ns/name`: its namespace mapped, its name kept. */
function renameService(key: string, to: Renaming): string {
  const m = /^((?:svc|svc-dns):)?([^/]+)\/(.+)$/.exec(key);
  return m ? `${m[1] ?? ''}${to.namespace(m[2]!)}/${m[3]}` : key;
}

/** The attributes that name a namespace or a class: `namespace N labels`, `class K labels`, `Kind ns/name`. */
function renameAttribute(attribute: string, to: Renaming): string {
  const ns = /^namespace (\S+) labels$/.exec(attribute);
  if (ns) return `namespace ${to.namespace(ns[1]!)} labels`;
  const cls = /^class (\S+) labels$/.exec(attribute);
  if (cls) return `class ${to.classKey(cls[1]!)} labels`;
  const namespaced = /^(\S+) ([^/\s]+)\/(\S+)$/.exec(attribute);
  if (namespaced) return `${namespaced[1]} ${to.namespace(namespaced[2]!)}/${namespaced[3]}`;
  return attribute;
}

function namespaceOf(key: string): string {
  return key.split('/')[0]!;
}

export function compareContexts(contexts: readonly CheckContextReport[]): Parity {
  const environment = environmentDiff(contexts);
  const differing = new Map(
    environment.filter((r) => r.differs).map((r) => [r.attribute, rowScope(r.attribute, contexts)]),
  );
  const byKey = contexts.map((c) => groupCells(c.cells));
  const keys = [...new Set(byKey.flatMap((m) => [...m.keys()]))];
  const divergences: CheckDivergence[] = [];
  for (const key of keys) {
    const cells = byKey.map((m) => m.get(key));
    const observed = Object.fromEntries(contexts.map((c, i) => [c.context, summarize(cells[i], 'evidence')]));
    if (new Set(Object.values(observed)).size < 2) continue;
    const predicted = Object.fromEntries(contexts.map((c, i) => [c.context, summarize(cells[i], 'predicted')]));
    const cell = cells.find((c) => c)![0]!;
    divergences.push({
      from: cell.from,
      to: cell.to,
      port: cell.port,
      observed,
      predicted,
      causes: causesOf(cell, observed, predicted, environment, differing),
    });
  }
  return { divergences, environment };
}

function cellKey(c: Pick<CheckReportCell, 'from' | 'to' | 'port'>): string {
  return `${c.from}|${c.to}|${c.port.port}/${c.port.protocol}`;
}

/** Cells by class pair and port (several with --all-replicas: one per destination pod). */
function groupCells(cells: readonly CheckReportCell[]): Map<string, CheckReportCell[]> {
  const m = new Map<string, CheckReportCell[]>();
  for (const c of cells) m.set(cellKey(c), [...(m.get(cellKey(c)) ?? []), c]);
  return m;
}

function summarize(cells: readonly CheckReportCell[] | undefined, field: 'evidence' | 'predicted'): string {
  if (!cells?.length) return ABSENT;
  return [...new Set(cells.map((c) => c[field]))].sort().join('/');
}

/** Every attribute of any context, its value in each (`-` where absent); differing rows first. */
export function environmentDiff(contexts: readonly CheckContextReport[]): EnvironmentDiffRow[] {
  const attributes = [...new Set(contexts.flatMap((c) => c.environment.map((r) => r.attribute)))];
  const rows = attributes.map((attribute): EnvironmentDiffRow => {
    const values = Object.fromEntries(
      contexts.map((c) => [c.context, c.environment.find((r) => r.attribute === attribute)?.value ?? ABSENT]),
    );
    return { attribute, values, differs: new Set(Object.values(values)).size > 1 };
  });
  return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
}

/** The namespace and classes a row concerns, from whichever context has it. */
function rowScope(
  attribute: string,
  contexts: readonly CheckContextReport[],
): Pick<EnvironmentRow, 'namespace' | 'classes'> {
  const rows = contexts.flatMap((c) => c.environment.filter((r) => r.attribute === attribute));
  const namespace = rows.find((r) => r.namespace !== undefined)?.namespace;
  const classes = [...new Set(rows.flatMap((r) => r.classes ?? []))];
  return { ...(namespace !== undefined ? { namespace } : {}), ...(rows.some((r) => r.classes) ? { classes } : {}) };
}

/**
 * Why a cell may differ, most specific first. When the engine predicts differently, the objects
 * differ (a policy, a label): the rows about the cell's two ends say which. When it predicts the
 * same, the cluster does (a CNI, a setting, a policy the engine does not model), or a probe failed.
 */
function causesOf(
  cell: CheckReportCell,
  observed: Readonly<Record<string, string>>,
  predicted: Readonly<Record<string, string>>,
  environment: readonly EnvironmentDiffRow[],
  differing: ReadonlyMap<string, Pick<EnvironmentRow, 'namespace' | 'classes'>>,
): string[] {
  // A Service cell's far end is the classes behind it.
  const far = cell.service ? cell.service.backends.map((b) => b.split(' ')[0]!) : [cell.to];
  const ends = new Set([cell.from, ...far]);
  const fromNs = namespaceOf(cell.from);
  const toNs = namespaceOf(cell.service?.name ?? cell.to);
  // A row about classes (a policy selects them, a class's labels) concerns cells with one at an end;
  // a namespace's labels concern cells that cross into or out of it (namespaceSelectors select peers).
  const concerns = (attribute: string, ownNamespaceOnly: boolean) => {
    const scope = differing.get(attribute);
    if (!scope) return false;
    if (scope.classes) return scope.classes.some((k) => ends.has(k));
    if (scope.namespace === undefined) return !ownNamespaceOnly;
    return fromNs !== toNs && (scope.namespace === fromNs || scope.namespace === toNs);
  };
  const rows = environment.filter((r) => r.differs);
  const describe = (r: EnvironmentDiffRow) =>
    `${r.attribute}: ${Object.entries(r.values)
      .map(([context, value]) => `${value} in ${context}`)
      .join(', ')}`;
  const specific = rows.filter((r) => concerns(r.attribute, true)).map(describe);
  const clusterWide = rows.filter(
    (r) => !differing.get(r.attribute)?.namespace && !differing.get(r.attribute)?.classes,
  );
  const failed = Object.entries(observed).filter(([, v]) => /error|ambiguous|unverifiable/.test(v));
  const causes: string[] = [];
  if (Object.values(observed).includes(ABSENT)) causes.push('a class exists in one context only');
  if (new Set(Object.values(predicted)).size > 1)
    causes.push(
      'the engine predicts differently: the objects differ',
      ...(specific.length ? specific : ['no row about either end differs: see the environment table']),
    );
  else {
    causes.push(
      'the engine predicts the same: the clusters enforce differently',
      ...specific,
      ...clusterWide.map(describe),
    );
  }
  for (const [context, value] of failed) causes.push(`in ${context} the probe gave no evidence (${value})`);
  return [...new Set(causes)];
}
