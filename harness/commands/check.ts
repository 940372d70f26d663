/**
 * `check --context C[,C2...] --namespace a,b`: probe real namespaces in place. For each context it
 * reads the namespaces read-only, groups pods into workload classes, predicts every class pair with
 * the engine and plans a probe pod per source class (harness/run/check-context.ts). Every context is
 * read and its RBAC checked before anything is created anywhere; then, one context at a time, the
 * probe pods are created, probed from until the matrix holds still, and removed (also on Ctrl-C or
 * SIGTERM). With two or more contexts the report compares them cell by cell, with the environment
 * rows that explain each difference. --dry-run prints every object and probe instead.
 */
import { writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { loadClusterVersions, probeImage } from '../cluster/versions.js';
import { compareContexts, renamed } from '../inventory/parity.js';
import { loadClassMap, mappedKey, type ClassMap } from '../scenario/class-map.js';
import type { KubeGateway } from '../kube/gateway.js';
import { LiveGateway } from '../kube/live-gateway.js';
import {
  CHECK_REPORT_SCHEMA_VERSION,
  checkStatus,
  type CheckContextReport,
  type CheckReport,
} from '../model/check-report.js';
import { newRunId } from '../model/cluster-names.js';
import { formatOwner } from '../model/run-owner.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { CHECK_RENDERERS, checkReportFormat } from '../report/check-files.js';
import { renderCheckText } from '../report/check-text.js';
import {
  assertCheckAccess,
  checkContextLive,
  describeAccess,
  liveAccess,
  notesOf,
  planContext,
  probedNamespaces,
  type PlannedContext,
} from '../run/check-context.js';
import { checkRound, CHECK_DEFAULTS, RUN_DEFAULTS } from '../run/settings.js';
import { TargetError } from '../target/target-error.js';
import { errorsOf, ScenarioError } from '../scenario/diagnostic.js';
import { loadIntent, type Intent } from '../scenario/intent.js';
import { checkTimeouts, namespaceRequest, type CheckFlags } from './check-options.js';
import { renderDryRun } from './check-dry-run.js';
import type { CommandIO } from './io.js';
import { onSignalsAbort } from './signals.js';

/** What check needs from outside: injected, so tests run it on a recorded or in-memory cluster. */
export interface CheckDeps {
  readonly gateway: (context: string, kubeconfig?: string) => KubeGateway;
  readonly image: () => string;
  readonly runId: () => string;
  /** `host:pid`, recorded on every object check creates. */
  readonly owner: () => string;
  readonly writeFile: (file: string, content: string) => void;
  /** Probe timing; tests shorten it. */
  readonly podStartTimeoutMs: number;
}

export const LIVE_CHECK_DEPS: CheckDeps = {
  gateway: (context, kubeconfig) => {
    try {
      return new LiveGateway(kubeconfig, context);
    } catch (e) {
      throw new TargetError((e as Error).message);
    }
  },
  image: () => probeImage(loadClusterVersions()),
  runId: () => newRunId(),
  owner: () => formatOwner({ host: hostname(), pid: process.pid }),
  writeFile: (file, content) => writeFileSync(file, content),
  podStartTimeoutMs: CHECK_DEFAULTS.podStartTimeoutSeconds * 1000,
};

export async function checkCommand(
  flags: CheckFlags,
  io: CommandIO,
  deps: CheckDeps = LIVE_CHECK_DEPS,
): Promise<ExitCode> {
  const request = namespaceRequest(flags);
  const intent = flags.expect ? intentOrFail(flags.expect) : undefined;
  const classMap = flags.map ? classMapOrFail(flags.map, flags.context) : undefined;
  const run = { runId: deps.runId(), owner: deps.owner() };
  const timeouts = checkTimeouts(flags);
  const image: WorkloadImage = { image: flags.image ?? deps.image(), pullPolicy: 'IfNotPresent' };
  const startedAt = new Date().toISOString();
  const loadAtStart = loadOneMinute();
  // Read-only: every context is read, classed and planned before anything is created anywhere.
  const planned: Array<{ gw: KubeGateway; planned: PlannedContext }> = [];
  for (const context of flags.context) {
    const gw = deps.gateway(context, flags.kubeconfig);
    const options = {
      runId: run.runId,
      timeouts,
      allReplicas: flags.allReplicas ?? false,
      via: { pods: flags.via.includes('pod'), services: flags.via.includes('service') },
      clusterDomain: flags.clusterDomain,
      ...(intent ? { intent } : {}),
    };
    planned.push({ gw, planned: await planContext(gw, context, request, options) });
  }
  if (flags.dryRun) {
    for (const p of planned) await printDryRun(p.gw, p.planned, flags, io, { run, image });
    return EXIT.ok;
  }
  for (const p of planned) await assertCheckAccess(p.gw, p.planned);
  const controller = new AbortController();
  return onSignalsAbort(
    controller,
    io,
    async () => {
      const contexts = [];
      for (const { gw, planned: p } of planned) {
        if (controller.signal.aborted) break;
        const where = probedNamespaces(p.plan).join(', ') || 'no namespace';
        io.err(
          `check ${run.runId} on ${p.context}: ${p.plan.probePods.length} probe pod(s) in ${where}, ` +
            `${p.plan.cells.length} cells`,
        );
        contexts.push(
          await checkContextLive(gw, p, {
            run,
            image,
            activeDeadlineSeconds: flags.activeDeadline,
            timeouts,
            round: checkRound(flags.maxInFlight),
            converge: {
              stableRounds: RUN_DEFAULTS.stableRounds,
              timeoutMs: RUN_DEFAULTS.convergeTimeoutSeconds * 1000,
              intervalMs: RUN_DEFAULTS.roundIntervalMs,
            },
            podStartTimeoutMs: deps.podStartTimeoutMs,
            signal: controller.signal,
          }),
        );
      }
      const report: CheckReport = {
        schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
        runId: run.runId,
        startedAt,
        finishedAt: new Date().toISOString(),
        dryRun: false,
        ...(intent ? { intent: { file: intent.file, name: intent.name } } : {}),
        contexts,
        ...(contexts.length > 1 ? { parity: compareContexts(contexts.map((c) => inMapNames(c, classMap))) } : {}),
        machine: { cpus: cpus().length, loadAverage: { start: loadAtStart, end: loadOneMinute() } },
      };
      if (flags.output === 'json') io.out(CHECK_RENDERERS.json(report).trimEnd());
      else io.out(renderCheckText(report).trimEnd());
      const unwritten = writeReports(flags.report ?? [], report, deps, io);
      if (controller.signal.aborted || unwritten) return EXIT.infrastructure;
      return checkExitCode(report);
    },
    'this check',
  );
}

/** The intent file on its own (YAML, schema): exit 3 at its file:line before any cluster is asked. */
function intentOrFail(file: string): Intent {
  const { intent, diagnostics } = loadIntent(file);
  if (!intent) throw new ScenarioError(errorsOf(diagnostics));
  return intent;
}

/** The class map on its own (YAML, schema), and every context it names must be one checked: exit 3 otherwise. */
function classMapOrFail(file: string, contexts: readonly string[]): ClassMap {
  const { map, diagnostics } = loadClassMap(file);
  if (!map) throw new ScenarioError(errorsOf(diagnostics));
  const unknown = Object.keys(map.contexts).filter((c) => !contexts.includes(c));
  if (unknown.length)
    throw new UsageError(
      `${map.file}: maps context(s) ${unknown.join(', ')}, which --context does not name (${contexts.join(', ')})`,
    );
  return map;
}

function inMapNames(report: CheckContextReport, map: ClassMap | undefined): CheckContextReport {
  const m = map?.contexts[report.context];
  if (!m) return report;
  return renamed(report, { classKey: (k) => mappedKey(m, k), namespace: (n) => m.namespaces[n] ?? n });
}

function loadOneMinute(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

/** Each --report file in its format; a file that cannot be written is said, and counted (exit 2). */
function writeReports(files: readonly string[], report: CheckReport, deps: CheckDeps, io: CommandIO): number {
  let failed = 0;
  for (const file of files) {
    try {
      deps.writeFile(file, CHECK_RENDERERS[checkReportFormat(file) ?? 'json'](report));
    } catch (e) {
      failed++;
      io.err(`could not write the report ${file}: ${(e as Error).message}`);
    }
  }
  return failed;
}

/** The exit code of a finished check: 1 failed, 2 incomplete, 0 passed (model/check-report.ts's checkStatus). */
export function checkExitCode(report: CheckReport): ExitCode {
  const status = checkStatus(report);
  return status === 'failed' ? EXIT.mismatch : status === 'incomplete' ? EXIT.infrastructure : EXIT.ok;
}

async function printDryRun(
  gw: KubeGateway,
  planned: PlannedContext,
  flags: CheckFlags,
  io: CommandIO,
  { run, image }: { run: { runId: string; owner: string }; image: WorkloadImage },
): Promise<void> {
  const { inventory, plan } = planned;
  const denied = await gw.deniedAccess(liveAccess(probedNamespaces(plan)));
  const notes = [
    ...notesOf(inventory),
    ...planned.notes,
    ...(denied.length ? [`the live path would be refused: ${denied.map(describeAccess).join(', ')} denied`] : []),
  ];
  io.out(
    renderDryRun({
      context: planned.context,
      namespaces: inventory.snapshot.namespaces,
      classes: inventory.classing.classes,
      plan,
      run,
      image,
      timeouts: checkTimeouts(flags),
      activeDeadlineSeconds: flags.activeDeadline,
      notes,
    }),
  );
}
