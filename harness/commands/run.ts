import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { newRunId } from '../model/cluster-names.js';
import type { Scenario } from '../model/scenario.js';
import type { TargetInfo } from '../model/run-report.js';
import { ConsoleReporter } from '../report/console.js';
import { fileReporters, type ReportFormat } from '../report/file-reporters.js';
import { ReporterMultiplexer } from '../report/reporter.js';
import { exitCodeOf, runAll } from '../run/runner.js';
import { type PreparedTarget } from '../target/session.js';
import { defaultSettings, type RunSettings } from '../run/settings.js';
import { errorsOf, ScenarioError } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { expandScenarioPaths, type CommandIO } from './io.js';
import { loadClusterVersions, probeImage } from '../cluster/versions.js';
import { attachExternals, prepareTargets, type TargetRequest } from './run-targets.js';

export interface RunOptions {
  readonly cni?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly keep?: boolean;
  readonly sctp?: boolean;
  readonly probeExternals?: boolean;
  readonly freshPods?: boolean;
  readonly reportDir: string;
  readonly format: string;
  readonly quiet?: boolean;
  readonly color: boolean;
  readonly connectTimeout: string;
  readonly convergeTimeout: string;
  readonly slowAfter: string;
  readonly concurrency: string;
  readonly image?: string;
  readonly prober: string;
}

/** Load every scenario before touching any cluster: bad input is exit 3 with nothing created. */
export function loadAll(paths: readonly string[]): Scenario[] {
  const files = expandScenarioPaths(paths);
  if (!files.length) throw new UsageError('no scenario files given');
  const results = files.map((f) => loadScenario(f));
  const errors = results.flatMap((r) => errorsOf(r.diagnostics));
  if (errors.length) throw new ScenarioError(errors);
  return results.map((r) => r.scenario!);
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

export function targetRequests(options: RunOptions): TargetRequest[] {
  const list = (v?: string) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const requests: TargetRequest[] = [
    ...list(options.cni).map((cni): TargetRequest => ({ kind: 'kind', cni, keep: options.keep ?? false })),
    ...list(options.context).map((context): TargetRequest => ({
      kind: 'context',
      context,
      sctp: options.sctp ?? false,
      probeExternals: options.probeExternals ?? false,
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    })),
  ];
  if (!requests.length)
    throw new UsageError(
      'say where to run: --cni calico,ptp,kindnet (kind clusters) and/or --context NAME[,NAME] (existing clusters)',
    );
  return requests;
}

/** `run`: scenarios on every target, one report; Ctrl-C and errors still clean up what the run created. */
export async function runCommand(paths: readonly string[], options: RunOptions, io: CommandIO): Promise<ExitCode> {
  const scenarios = loadAll(paths);
  const requests = targetRequests(options);
  const formats = options.format
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean) as ReportFormat[];
  const unknown = formats.filter((f) => !['json', 'junit', 'markdown', 'html'].includes(f));
  if (unknown.length)
    throw new UsageError(`--format: unknown ${unknown.join(', ')} (choose from json, junit, markdown, html)`);
  const controller = new AbortController();
  if (options.prober !== 'batch' && options.prober !== 'tools')
    throw new UsageError(`--prober must be batch or tools, got "${options.prober}"`);
  const settings: RunSettings = defaultSettings(newRunId(), {
    prober: options.prober,
    timeouts: {
      connectSeconds: positive(options.connectTimeout, '--connect-timeout'),
      totalSeconds: positive(options.connectTimeout, '--connect-timeout') * 2,
    },
    converge: {
      stableRounds: 2,
      timeoutMs: positive(options.convergeTimeout, '--converge-timeout') * 1000,
      intervalMs: 200,
    },
    slowAfterMs: positive(options.slowAfter, '--slow-after') * 1000,
    scenarioConcurrency: positive(options.concurrency, '--concurrency'),
    keepNamespaces: false,
    reusePods: !options.freshPods,
    signal: controller.signal,
    image: { image: options.image ?? probeImage(loadClusterVersions()), pullPolicy: 'IfNotPresent' },
  });
  const outputs = Object.fromEntries(
    formats.map((f) => [
      f,
      path.join(
        options.reportDir,
        { json: 'report.json', junit: 'junit.xml', markdown: 'report.md', html: 'report.html' }[f],
      ),
    ]),
  );
  const reporters = new ReporterMultiplexer([
    new ConsoleReporter((t) => process.stdout.write(t), { color: options.color, quiet: options.quiet ?? false }),
    ...fileReporters(outputs, (file, content) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }),
  ]);
  // Flags are all checked above: from here on, Ctrl-C means "stop and clean up", never a leaked handler.
  const onSignal = (signal: string) => {
    if (controller.signal.aborted) return;
    io.err(`\n${signal}: stopping; removing what this run created ...`);
    controller.abort();
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  let prepared: Array<PreparedTarget | { info: TargetInfo }> = [];
  let removeExternals = async (): Promise<void> => undefined;
  try {
    if (!options.quiet)
      io.err(`run ${settings.runId}: ${scenarios.length} scenario(s) on ${requests.length} target(s)`);
    await reporters.onRunStart({
      runId: settings.runId,
      startedAt: new Date().toISOString(),
      targets: requests.map((r) => (r.kind === 'kind' ? r.cni : r.context)),
      scenarios: scenarios.map((s) => s.name),
    });
    prepared = await prepareTargets(requests, settings, io, controller.signal);
    const withExternals = await attachExternals(prepared, scenarios, settings, io, controller.signal);
    removeExternals = withExternals.remove;
    const report = await runAll(scenarios, withExternals.targets, settings, {
      onTargetReady: (t) => void reporters.onTargetReady(t),
      onStepDone: (scenario, target, step) =>
        void reporters.onStepDone({ scenario: scenario.name, file: scenario.file, target }, step),
    });
    await reporters.onRunEnd(report);
    for (const line of reporters.describeFailures()) io.err(line);
    if (formats.length) io.err(`reports: ${Object.values(outputs).join(', ')}`);
    return controller.signal.aborted ? EXIT.infrastructure : exitCodeOf(report);
  } finally {
    await removeExternals().catch((e: Error) => io.err(`cleanup: ${e.message}`));
    for (const t of prepared)
      if ('release' in t) await t.release().catch((e: Error) => io.err(`cleanup: ${e.message}`));
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}
