import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { newRunId } from '../model/cluster-names.js';
import type { Scenario } from '../model/scenario.js';
import type { TargetInfo } from '../model/run-report.js';
import { ConsoleReporter } from '../report/console.js';
import { fileReporters } from '../report/file-reporters.js';
import { renderJson } from '../report/json.js';
import { replayWarnings } from '../report/replay-warnings.js';
import { replayTriage } from '../report/replay-triage.js';
import { makeStyle } from '../report/console-style.js';
import { ReporterMultiplexer, type Reporter } from '../report/reporter.js';
import { exitCodeOf, runAll } from '../run/runner.js';
import type { PreparedTarget } from '../target/session.js';
import { errorsOf, ScenarioError } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { withProbePaths } from '../scenario/services.js';
import { hasServices } from '../run/services.js';
import { expandScenarioPaths, type CommandIO } from './io.js';
import { onSignalsAbort } from './signals.js';
import { REPORT_FILES } from './report-files.js';
import { kindTargetName } from '../cluster/kind-target.js';
import { loadClusterVersions, probeImage } from '../cluster/versions.js';
import { attachExternals, prepareTargets, removeOrphanExternals } from './run-targets.js';
import { settingsFromFlags, targetRequests, type RunFlags } from './run-options.js';

/** Load every scenario before touching any cluster: bad input is exit 3 with nothing created. */
export function loadAll(paths: readonly string[]): Scenario[] {
  const files = expandScenarioPaths(paths);
  if (!files.length) throw new UsageError('no scenario files given');
  const results = files.map((f) => loadScenario(f));
  const errors = results.flatMap((r) => errorsOf(r.diagnostics));
  if (errors.length) throw new ScenarioError(errors);
  return results.map((r) => r.scenario!);
}

function reportersFor(flags: RunFlags, color: boolean): { reporters: ReporterMultiplexer; files: string[] } {
  const outputs = Object.fromEntries(flags.format.map((f) => [f, path.join(flags.reportDir, REPORT_FILES[f])]));
  const consoleReporters: Reporter[] =
    flags.output === 'text'
      ? [new ConsoleReporter((t) => process.stdout.write(t), { color, quiet: flags.quiet ?? false })]
      : [];
  const writeFile = (file: string, content: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  return {
    reporters: new ReporterMultiplexer([...consoleReporters, ...fileReporters(outputs, writeFile)]),
    files: Object.values(outputs),
  };
}

/**
 * Cluster-scoped policies can affect everyone on a cluster: on an existing cluster they are applied only
 * when asked for (exit 3 before anything is created, otherwise).
 */
function refuseClusterScopedOnContexts(scenarios: readonly Scenario[], flags: RunFlags): void {
  if (!flags.context?.length || flags.allowClusterScoped) return;
  const using = scenarios.filter((s) => s.steps.some((step) => step.clusterPolicies.length > 0));
  if (!using.length) return;
  throw new UsageError(
    `${using.map((s) => s.file).join(', ')}: AdminNetworkPolicy and BaselineAdminNetworkPolicy are cluster-scoped, ` +
      `and ${flags.context.join(', ')} is an existing cluster: pass --allow-cluster-scoped to apply them there ` +
      "(every selector limited to the run's own namespaces), or run them on kind (--cni calico)",
  );
}

/** `run`: scenarios on every target, one report; Ctrl-C and errors still clean up what the run created. */
export async function runCommand(
  paths: readonly string[],
  flags: RunFlags,
  color: boolean,
  io: CommandIO,
): Promise<ExitCode> {
  const scenarios = loadAll(paths).map((s) => withProbePaths(s, flags));
  const services = scenarios.some(hasServices);
  refuseClusterScopedOnContexts(scenarios, flags);
  const clusterScoped = scenarios.some((s) => s.steps.some((step) => step.clusterPolicies.length > 0));
  const requests = targetRequests(flags).map((r) => (r.kind === 'context' ? { ...r, services, clusterScoped } : r));
  for (const line of scenarios.flatMap(replayWarnings)) io.err(line);
  const controller = new AbortController();
  const image = { image: flags.image ?? probeImage(loadClusterVersions()), pullPolicy: 'IfNotPresent' } as const;
  const settings = settingsFromFlags(flags, newRunId(), image, controller.signal);
  const { reporters, files } = reportersFor(flags, color);
  // Flags are all checked above: from here on, Ctrl-C means "stop and clean up", never a leaked handler.
  return onSignalsAbort(controller, io, async () => {
    let prepared: Array<PreparedTarget | { info: TargetInfo }> = [];
    let removeExternals = async (): Promise<void> => undefined;
    try {
      if (!flags.quiet)
        io.err(`run ${settings.runId}: ${scenarios.length} scenario(s) on ${requests.length} target(s)`);
      await reporters.onRunStart({
        runId: settings.runId,
        startedAt: new Date().toISOString(),
        targets: requests.map((r) => (r.kind === 'kind' ? kindTargetName(r) : r.context)),
        scenarios: scenarios.map((s) => s.name),
      });
      if (requests.some((r) => r.kind === 'kind')) await removeOrphanExternals(io);
      prepared = await prepareTargets(requests, settings, io, controller.signal);
      const withExternals = await attachExternals(prepared, scenarios, settings, io, controller.signal);
      removeExternals = withExternals.remove;
      const report = await runAll(scenarios, withExternals.targets, settings, {
        onTargetReady: (t) => void reporters.onTargetReady(t),
        onTargetNote: (target, note) => io.err(`[${target}] ${note}`),
        onStepDone: (scenario, target, step) =>
          void reporters.onStepDone({ scenario: scenario.name, file: scenario.file, target }, step),
      });
      await reporters.onRunEnd(report);
      for (const line of reporters.describeFailures()) io.err(line);
      const triage = replayTriage(report, scenarios, {
        explain: flags.explainDivergence ?? false,
        style: makeStyle(color && flags.output === 'text'),
      });
      for (const line of triage) (flags.output === 'text' ? io.out : io.err)(line);
      if (flags.output === 'json') io.out(renderJson(report).trimEnd());
      if (files.length) io.err(`reports: ${files.join(', ')}`);
      if (flags.keepNamespaces)
        io.err(
          `kept the namespaces of run ${settings.runId} (labelled netpol-harness/run=${settings.runId}); ` +
            `remove them with: netpol-harness cleanup --run ${settings.runId} ` +
            (flags.context?.length ? `--context ${flags.context[0]}` : `--cni ${flags.cni?.[0]?.cni ?? 'calico'}`),
        );
      return controller.signal.aborted ? EXIT.infrastructure : exitCodeOf(report);
    } finally {
      await removeExternals().catch((e: Error) => io.err(`cleanup: ${e.message}`));
      for (const t of prepared)
        if ('release' in t) await t.release().catch((e: Error) => io.err(`cleanup: ${e.message}`));
    }
  });
}
