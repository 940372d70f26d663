/**
 * argv -> options -> a command. The only place that exits the process: every failure is mapped
 * to the documented exit codes, and bad input never prints a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { explainCommand } from './commands/explain.js';
import { processIO, type CommandIO } from './commands/io.js';
import { predictCommand, type PredictFormat } from './commands/predict.js';
import { validateCommand } from './commands/validate.js';
import { runCommand } from './commands/run.js';
import { addRunOptions, type RunFlags } from './commands/run-options.js';
import { clusterDown, clusterList, clusterUp, type ClusterUpOptions } from './commands/cluster.js';
import { CNI_INSTALLERS } from './cluster/cni.js';
import { DEFAULT_NODES } from './cluster/kind-config.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { ScenarioError, formatDiagnostic } from './scenario/diagnostic.js';
import { TargetError } from './target/target-error.js';
import { KubeError } from './kube/gateway.js';

const VERSION = '0.1.0';

export function buildProgram(io: CommandIO, setExit: (code: ExitCode) => void): Command {
  const program = new Command('netpol-harness')
    .description(
      'Test that Kubernetes NetworkPolicies do what they say: expected vs predicted (engine) vs observed (live cluster).',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 cells differ from expectations, 2 infrastructure failure, 3 invalid input.',
    );

  const podCidr = new Option(
    '--pod-cidr <cidr>',
    'block the engine draws synthetic pod IPs from (default: spec.podCIDR or 10.244.0.0/16)',
  );

  program
    .command('validate')
    .description('check scenario files (schema and semantics) and warn where expectations disagree with the engine')
    .argument('<files...>', 'scenario files, or directories of them')
    .addOption(podCidr)
    .action((files: string[], opts: { podCidr?: string }) => setExit(validateCommand(files, opts, io)));

  program
    .command('predict')
    .description("print the engine's reachability matrix for every step of a scenario")
    .argument('<file>', 'scenario file')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(podCidr)
    .action((file: string, opts: { output: PredictFormat; podCidr?: string }) =>
      setExit(predictCommand(file, opts, io)),
    );

  program
    .command('explain')
    .description('explain why the engine allows or blocks one cell')
    .argument('<file>', 'scenario file')
    .requiredOption('--from <ns/workload>', 'source workload')
    .requiredOption('--to <peer>', 'destination: ns/workload or external:<name>')
    .requiredOption('--port <port>', 'destination port number or name')
    .option('--protocol <protocol>', 'TCP, UDP or SCTP (default: every protocol served on that port)')
    .option('--step <step>', 'step index or name (required when the scenario has several steps)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(podCidr)
    .action((file: string, opts: Parameters<typeof explainCommand>[1]) => setExit(explainCommand(file, opts, io)));

  addRunOptions(
    program
      .command('run')
      .description(
        'deploy scenarios on kind clusters or existing contexts, probe every cell, and compare expected, predicted and observed',
      )
      .argument('<paths...>', 'scenario files, or directories of them'),
  ).action(async (paths: string[], flags: RunFlags) => setExit(await runCommand(paths, flags, useColor(), io)));

  const cluster = program
    .command('cluster')
    .description('kind clusters with a CNI, built from the offline kit (kept until `cluster down`)');
  const cnis = Object.keys(CNI_INSTALLERS).join(', ');
  cluster
    .command('up')
    .description('create a kind cluster with a CNI and wait until it is really ready (reused if it exists)')
    .requiredOption('--cni <cni>', `CNI: ${cnis}`)
    .option('--nodes <n>', 'nodes: one control plane, the rest workers', String(DEFAULT_NODES))
    .option('--name <name>', 'cluster name (default netpol-harness-<cni>)')
    .action(async (opts: ClusterUpOptions) => setExit(await clusterUp(opts, io)));
  cluster
    .command('down')
    .description('delete a kind cluster netpol-harness created')
    .option('--cni <cni>', 'the default cluster of this CNI (netpol-harness-<cni>)')
    .option('--name <name>', 'the cluster with this name')
    .action(async (opts: { cni?: string; name?: string }) => setExit(await clusterDown(opts, io)));
  cluster
    .command('list')
    .description("list netpol-harness's kind clusters")
    .action(async () => setExit(await clusterList(io)));

  return program;
}

/** ANSI colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'];
}

export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: CommandIO): ExitCode {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
      ? EXIT.ok
      : EXIT.invalidInput;
  }
  if (err instanceof ScenarioError) {
    for (const d of err.diagnostics) io.err(formatDiagnostic(d));
    return EXIT.invalidInput;
  }
  if (err instanceof TargetError || err instanceof KubeError) {
    io.err(`error: ${err.message}`);
    return EXIT.infrastructure;
  }
  if (err instanceof UsageError) {
    io.err(`error: ${err.message}`);
    return EXIT.invalidInput;
  }
  io.err(`netpol-harness: internal error: ${(err as Error)?.message ?? String(err)}`);
  if (process.env['NETPOL_HARNESS_DEBUG']) io.err((err as Error)?.stack ?? '');
  return EXIT.infrastructure;
}
