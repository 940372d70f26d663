/**
 * `matrix`: the nightly CNI compatibility run. Every cell of the matrix file (a CNI at a version on
 * a Kubernetes version) gets its own kind cluster: brought up, given every scenario set, torn
 * down. A cell that cannot come up is a red column with its reason, never an aborted night. Then
 * one merged report, the night appended to the history, the diff against the night before and
 * the compatibility page (commands/night.ts).
 */
import path from 'node:path';
import { kitCniVersions, kubernetesVersions, loadClusterVersions, probeImage } from '../cluster/versions.js';
import { CNI_INSTALLERS } from '../cluster/cni.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { newRunId } from '../model/cluster-names.js';
import type { PlannedCell } from '../model/matrix-plan.js';
import { mergeReports } from '../model/merge-reports.js';
import { REPORT_SCHEMA_VERSION, type RunReport, type TargetInfo } from '../model/run-report.js';
import type { Scenario } from '../model/scenario.js';
import { summaryLine } from '../report/words.js';
import { runAll } from '../run/runner.js';
import { RUN_DEFAULTS } from '../run/settings.js';
import { ScenarioError } from '../scenario/diagnostic.js';
import { errorsOf } from '../scenario/diagnostic.js';
import { loadMatrix } from '../scenario/matrix-file.js';
import type { PreparedTarget } from '../target/session.js';
import { mapLimit } from '../util/pool.js';
import { DEFAULT_HISTORY } from './history-store.js';
import type { CommandIO } from './io.js';
import { finishNight } from './night.js';
import { writeReport } from './report-files.js';
import { settingsFromFlags, type RunFlags } from './run-options.js';
import { loadAll } from './run.js';
import { attachExternals, prepareTargets, removeOrphanExternals } from './run-targets.js';
import { onSignalsAbort } from './signals.js';

export interface MatrixFlags {
  readonly matrix: string;
  /** Only these cells (ids as `calico@v3.31.0/k8s@v1.34.4`): one CI job per cell. */
  readonly cell?: readonly string[];
  readonly reportDir: string;
  /** A folder, or false for --no-history; absent: the matrix file's, else DEFAULT_HISTORY. */
  readonly history?: string | false;
  readonly parallel: number;
  readonly keep?: boolean;
  readonly image?: string;
  /** Print the cells to run (JSON, for a CI job matrix) and stop. */
  readonly list?: boolean;
}

export const CELLS_DIR = 'cells';

export async function matrixCommand(flags: MatrixFlags, io: CommandIO): Promise<ExitCode> {
  const { plan, diagnostics } = loadMatrix(flags.matrix);
  for (const d of diagnostics.filter((x) => x.severity !== 'error'))
    io.err(`${d.file}:${d.line}:${d.col}: ${d.message}`);
  if (!plan) throw new ScenarioError(errorsOf(diagnostics));
  const cells = selectCells(plan.cells, flags.cell);
  if (flags.list) {
    io.out(JSON.stringify(cells.filter((c) => !c.skip).map((c) => c.id)));
    return EXIT.ok;
  }
  checkCellsAgainstKit(cells);
  const scenarios = loadAll(plan.scenarios);
  const history = flags.history === false ? undefined : (flags.history ?? plan.history ?? DEFAULT_HISTORY);
  const controller = new AbortController();
  const runId = newRunId();
  const image = { image: flags.image ?? probeImage(loadClusterVersions()), pullPolicy: 'IfNotPresent' } as const;
  io.err(
    `matrix ${plan.name}, night ${runId}: ${cells.length} cell(s) x ${scenarios.length} scenario(s), ` +
      `${flags.parallel} at a time`,
  );
  return onSignalsAbort(
    controller,
    io,
    async () => {
      await removeOrphanExternals(io);
      // Each cell's own page, relative to the night's, for the compatibility page's column links.
      const links = new Map<string, string>();
      const reports = await mapLimit(cells, flags.parallel, async (cell) => {
        if (cell.skip) {
          io.err(`[${cell.id}] skipped: ${cell.skip}`);
          return undefined;
        }
        if (controller.signal.aborted) return downReport(cell, runId, 'not started: the night was stopped');
        const report = await runCell(cell, scenarios, runId, image, flags, controller.signal, io);
        const dir = path.join(flags.reportDir, CELLS_DIR, cell.slug);
        writeReport(dir, report, ['json', 'html', 'markdown', 'junit']);
        links.set(cell.id, path.join(CELLS_DIR, cell.slug, 'report.html'));
        io.err(`[${cell.id}] ${summaryLine(report)} (${dir})`);
        return report;
      });
      const ran = reports.filter((r): r is RunReport => r !== undefined);
      if (!ran.length) {
        io.err('matrix: every selected cell is skipped: nothing ran');
        return EXIT.ok;
      }
      const code = finishNight(
        mergeReports(ran, runId),
        { reportDir: flags.reportDir, ...(history ? { history } : {}), reportLinks: links },
        io,
      );
      return controller.signal.aborted ? EXIT.infrastructure : code;
    },
    'this night',
  );
}

function selectCells(cells: readonly PlannedCell[], wanted: readonly string[] | undefined): PlannedCell[] {
  if (!wanted?.length) return [...cells];
  const unknown = wanted.filter((id) => !cells.some((c) => c.id === id));
  if (unknown.length)
    throw new UsageError(
      `--cell: no cell ${unknown.join(', ')} in the matrix (cells: ${cells.map((c) => c.id).join(', ')})`,
    );
  return cells.filter((c) => wanted.includes(c.id));
}

/**
 * Every cell asks for a CNI, a CNI version and a Kubernetes version the kit builds (clusters/versions.yaml,
 * extra versions included: whether they are built here shows when the cell comes up): else exit 3.
 */
function checkCellsAgainstKit(cells: readonly PlannedCell[]): void {
  const versions = loadClusterVersions();
  const cniVersions = kitCniVersions(versions);
  const kubernetes = kubernetesVersions(versions);
  for (const c of cells) {
    if (c.skip) continue;
    if (!(c.cni in CNI_INSTALLERS))
      throw new UsageError(`cell ${c.id}: unknown CNI ${c.cni} (choices: ${Object.keys(CNI_INSTALLERS).join(', ')})`);
    const built = cniVersions[c.cni] ?? [];
    if (!built.includes(c.cniVersion))
      throw new UsageError(
        `cell ${c.id}: the kit builds ${c.cni} ${built.length ? built.join(', ') : '(not at all)'}, ` +
          `not ${c.cniVersion} (clusters/versions.yaml)`,
      );
    if (!kubernetes.includes(c.kubernetes))
      throw new UsageError(`cell ${c.id}: the kit builds Kubernetes ${kubernetes.join(', ')}, not ${c.kubernetes}`);
  }
}

/** One cell: its cluster up, every scenario, its cluster down; a cluster that does not come up is a red report. */
async function runCell(
  cell: PlannedCell,
  scenarios: readonly Scenario[],
  runId: string,
  image: { image: string; pullPolicy: 'IfNotPresent' },
  flags: MatrixFlags,
  signal: AbortSignal,
  io: CommandIO,
): Promise<RunReport> {
  const settings = settingsFromFlags(cellFlags(cell, flags), runId, image, signal);
  const tagged: CommandIO = { out: (t) => io.out(t), err: (t) => io.err(t.startsWith('[') ? t : `[${cell.id}] ${t}`) };
  let prepared: Array<PreparedTarget | { info: TargetInfo }> = [];
  let removeExternals = async (): Promise<void> => undefined;
  try {
    const request = {
      kind: 'kind',
      cni: cell.cni,
      cniVersion: cell.cniVersion,
      kubernetesVersion: cell.kubernetes,
      keep: flags.keep ?? false,
    } as const;
    const targets = await prepareTargets([request], settings, tagged, signal);
    prepared = await Promise.all(targets.map((t) => asCell(t, cell)));
    const withExternals = await attachExternals(prepared, scenarios, settings, tagged, signal);
    removeExternals = withExternals.remove;
    return await runAll(scenarios, withExternals.targets, settings, {
      onTargetNote: (_target, note) => tagged.err(note),
    });
  } finally {
    await removeExternals().catch((e: Error) => tagged.err(`cleanup: ${e.message}`));
    for (const t of prepared)
      if ('release' in t) await t.release().catch((e: Error) => tagged.err(`cleanup: ${e.message}`));
  }
}

/** run's settings path, with the cell's own settings where the matrix gives them. */
function cellFlags(cell: PlannedCell, flags: MatrixFlags): RunFlags {
  const s = cell.settings;
  return {
    cni: [{ cni: cell.cni, version: cell.cniVersion }],
    reportDir: flags.reportDir,
    format: [],
    output: 'text',
    connectTimeout: s.connectTimeout ?? RUN_DEFAULTS.connectTimeoutSeconds,
    ...(s.convergeTimeout !== undefined ? { convergeTimeout: s.convergeTimeout } : {}),
    slowAfter: s.slowAfter ?? RUN_DEFAULTS.slowAfterSeconds,
    concurrency: RUN_DEFAULTS.concurrency,
    prober: RUN_DEFAULTS.prober,
  };
}

/**
 * The target as the matrix names it (its cell id, its versions even when it did not come up), and
 * refused when the cluster runs another CNI or Kubernetes version than the cell asks for: its
 * results would be filed under the wrong column.
 */
async function asCell(
  t: PreparedTarget | { info: TargetInfo },
  cell: PlannedCell,
): Promise<PreparedTarget | { info: TargetInfo }> {
  const info = {
    ...t.info,
    name: cell.id,
    cniVersion: t.info.cniVersion ?? cell.cniVersion,
    kubernetesVersion: t.info.kubernetesVersion ?? cell.kubernetes,
  };
  if (!('session' in t)) return { info: { enforcement: undefined, ...info } };
  const wrong = [
    t.info.cniVersion !== cell.cniVersion ? `${cell.cni} ${t.info.cniVersion ?? '(version unreadable)'}` : '',
    t.info.kubernetesVersion !== cell.kubernetes ? `Kubernetes ${t.info.kubernetesVersion ?? '(unknown)'}` : '',
  ].filter(Boolean);
  if (wrong.length) {
    await t.release();
    return {
      info: {
        ...info,
        enforcement: undefined,
        error: `the cluster runs ${wrong.join(' and ')}, not what ${cell.id} asks for`,
      },
    };
  }
  return { ...t, info, session: { ...t.session, name: cell.id } };
}

function downReport(cell: PlannedCell, runId: string, error: string): RunReport {
  const info: TargetInfo = {
    name: cell.id,
    kind: 'kind',
    cni: cell.cni,
    cniVersion: cell.cniVersion,
    kubernetesVersion: cell.kubernetes,
    context: '',
    enforcement: undefined,
    error,
    capabilities: { sctp: false },
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    slowAfterMs: RUN_DEFAULTS.slowAfterSeconds * 1000,
    targets: [info],
    runs: [],
    divergences: [],
  };
}
