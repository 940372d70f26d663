/**
 * argv -> options -> a command. The only place that exits the process: every failure is mapped
 * to the documented exit codes, and bad input never prints a stack trace.
 */
import { cleanupCommand, type CleanupFlags } from './commands/cleanup.js';
import { checkCommand } from './commands/check.js';
import { snapshotCommand, type SnapshotFlags } from './commands/snapshot.js';
import { reportMergeCommand, type ReportMergeFlags } from './commands/report-merge.js';
import { DIFF_FORMATS, historyDiffCommand, type HistoryDiffFlags } from './commands/history.js';
import { DIFF_DEFAULTS } from './history/diff.js';
import { DEFAULT_HISTORY } from './commands/history-store.js';
import { addCheckOptions, type CheckFlags } from './commands/check-options.js';
import { listOf, names, positiveNumber, wholeNumber } from './commands/flags.js';
import { matrixCommand, type MatrixFlags } from './commands/matrix.js';
import { Argument, Command, CommanderError, Option } from 'commander';
import { VIAS } from './model/service.js';
import { explainCommand, parseProtocol, EXPLAIN_OUTPUTS, type ExplainOptions } from './commands/explain.js';
import { processIO, type CommandIO } from './commands/io.js';
import { predictCommand, PREDICT_OUTPUTS, type PredictFormat } from './commands/predict.js';
import { validateCommand, type StreamColors, type ValidateOptions } from './commands/validate.js';
import { runCommand } from './commands/run.js';
import { addRunOptions, type RunFlags } from './commands/run-options.js';
import {
  clusterDown,
  clusterList,
  clusterUp,
  cniOption,
  kubernetesOption,
  type ClusterDownOptions,
  type ClusterUpOptions,
} from './commands/cluster.js';
import { completionCommand, SHELLS, type Shell } from './commands/completion.js';
import { examplesHelp } from './commands/help-examples.js';
import { initCommand, type InitOptions } from './commands/init.js';
import { PATTERNS } from './commands/init-patterns.js';
import { CNI_INSTALLERS } from './cluster/cni.js';
import { DEFAULT_NODES } from './cluster/kind-config.js';
import { VALIDATE_OUTPUTS } from './report/diagnostics-output.js';
import { RENDERERS } from './report/file-reporters.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { ScenarioError, formatDiagnostic } from './scenario/diagnostic.js';
import { TargetError } from './target/target-error.js';
import { KubeError } from './kube/gateway.js';

const VERSION = '0.1.0';

/** What colour depends on: whether each stream is a terminal, and the environment (NO_COLOR). */
export interface Terminal {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processTerminal = (): Terminal => ({
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
});

/** ANSI colour only on a terminal, never with NO_COLOR set and non-empty (https://no-color.org) or --no-color. */
export function streamColors(terminal: Terminal, colorFlag: boolean): StreamColors {
  const allowed = colorFlag && !terminal.env['NO_COLOR'];
  return { out: allowed && terminal.stdoutIsTTY, err: allowed && terminal.stderrIsTTY };
}

/** What every command's action needs from the program: where to write, its exit code, colour. */
interface Wiring {
  readonly io: CommandIO;
  readonly setExit: (code: ExitCode) => void;
  /** Decided when the action runs, after --no-color is parsed. */
  readonly colors: () => StreamColors;
}

export function buildProgram(
  io: CommandIO,
  setExit: (code: ExitCode) => void,
  terminal: Terminal = { stdoutIsTTY: false, stderrIsTTY: false, env: {} },
): Command {
  const program = new Command('netpol-harness')
    .description(
      'Test that Kubernetes NetworkPolicies do what they say: ' +
        'expected vs predicted (engine) vs observed (live cluster).',
    )
    .version(VERSION)
    .option('--no-color', 'no ANSI colour (also when NO_COLOR is set, or output is not a terminal)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `${examplesHelp('')}\n\n` +
        'Exit codes: 0 success, 1 cells differ from expectations, 2 infrastructure failure, 3 invalid input.',
    );
  const wiring: Wiring = {
    io,
    setExit,
    colors: () => streamColors(terminal, (program.opts() as { color: boolean }).color),
  };
  addValidate(program, wiring);
  addPredict(program, wiring);
  addExplain(program, wiring);
  addRun(program, wiring);
  addCluster(program, wiring);
  addInit(program, wiring);
  addCompletion(program, wiring);
  addCleanup(program, wiring);
  addCheck(program, wiring);
  addSnapshot(program, wiring);
  addMatrix(program, wiring);
  addReport(program, wiring);
  addHistory(program, wiring);
  return program;
}

function podCidrOption(): Option {
  return new Option(
    '--pod-cidr <cidr>',
    'block the engine draws synthetic pod IPs from (default: spec.podCIDR or 10.244.0.0/16)',
  );
}

function addValidate(program: Command, { io, setExit, colors }: Wiring): void {
  program
    .command('validate')
    .description('check scenario files (schema and semantics) and warn where expectations disagree with the engine')
    .argument('<files...>', 'scenario files, or directories of them')
    .option('--strict', 'warnings fail too (exit 1)')
    .addOption(
      new Option('-o, --output <format>', 'text, json (one document) or github (Actions annotations)')
        .choices(VALIDATE_OUTPUTS)
        .default('text'),
    )
    .addOption(podCidrOption())
    .addHelpText(
      'after',
      `${examplesHelp('validate')}\n\nExit codes: 0 valid, 1 warnings with --strict, 3 errors (or bad flags).`,
    )
    .action((files: string[], opts: ValidateOptions) => setExit(validateCommand(files, opts, io, colors())));
}

function addPredict(program: Command, { io, setExit, colors }: Wiring): void {
  program
    .command('predict')
    .description("print the engine's reachability matrix for every step of each scenario")
    .argument('<file...>', 'scenario files, or directories of them')
    .addOption(new Option('-o, --output <format>', 'output format').choices(PREDICT_OUTPUTS).default('table'))
    .addOption(podCidrOption())
    .addHelpText('after', examplesHelp('predict'))
    .action((files: string[], opts: { output: PredictFormat; podCidr?: string }) =>
      setExit(predictCommand(files, opts, io, colors().out)),
    );
}

function addExplain(program: Command, { io, setExit, colors }: Wiring): void {
  program
    .command('explain')
    .description('explain why the engine allows or blocks one cell, or one DNS lookup, in each scenario')
    .argument('<file...>', 'scenario files, or directories of them')
    .requiredOption(
      '--from <source>',
      'source: ns/workload, node:local, node:remote, or external:<name> with --via nodeport',
    )
    .option('--to <peer>', 'destination: ns/workload or external:<name>')
    .option('--port <port>', 'destination port number or name')
    .addOption(
      new Option('--protocol <protocol>', 'TCP, UDP or SCTP (default: every protocol served on that port)').argParser(
        parseProtocol,
      ),
    )
    .addOption(
      new Option(
        '--dns <name>',
        'explain a DNS lookup of <name> instead: the 53/UDP path to kube-system/kube-dns',
      ).conflicts(['to', 'port', 'protocol']),
    )
    .addOption(
      new Option(
        '--via <path>',
        "pod (default); service: through --to's Service (--port is a Service port); dns: by its DNS name; " +
          'nodeport: from --from external:<name> through its NodePort',
      )
        .choices(VIAS)
        .conflicts(['dns']),
    )
    .option('--step <step>', 'step index or name (required when the scenario has several steps)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(EXPLAIN_OUTPUTS).default('text'))
    .addOption(podCidrOption())
    .addHelpText(
      'after',
      `${examplesHelp('explain')}\n\n` +
        'Exit codes: 0 ALLOWED, 1 BLOCKED (any explained cell: as `kubectl auth can-i` answers no), ' +
        '3 invalid input (a file without the workloads, port or step asked about).',
    )
    .action((files: string[], opts: ExplainOptions) => setExit(explainCommand(files, opts, io, colors().out)));
}

function addRun(program: Command, { io, setExit, colors }: Wiring): void {
  addRunOptions(
    program
      .command('run')
      .description(
        'deploy scenarios on kind clusters or existing contexts, probe every cell, ' +
          'and compare expected, predicted and observed',
      )
      .argument('<paths...>', 'scenario files, or directories of them')
      .addHelpText('after', examplesHelp('run')),
  ).action(async (paths: string[], flags: RunFlags) => setExit(await runCommand(paths, flags, colors().out, io)));
}

function addCluster(program: Command, { io, setExit }: Wiring): void {
  const cluster = program
    .command('cluster')
    .description('kind clusters with a CNI, built from the offline kit (kept until `cluster down`)')
    .addHelpText('after', examplesHelp('cluster'));
  cluster
    .command('up')
    .description('create a kind cluster with a CNI and wait until it is really ready (reused if it exists)')
    .addOption(cniOption('CNI').makeOptionMandatory())
    .option('--nodes <n>', 'nodes: one control plane, the rest workers', String(DEFAULT_NODES))
    .option('--name <name>', 'cluster name (default netpol-harness-<cni>)')
    .addOption(kubernetesOption())
    .addHelpText('after', examplesHelp('cluster up'))
    .action(async (opts: ClusterUpOptions) => setExit(await clusterUp(opts, io)));
  cluster
    .command('down')
    .description('delete a kind cluster netpol-harness created')
    .addOption(cniOption('the cluster of this CNI (netpol-harness-<cni>)'))
    .option('--name <name>', 'the cluster with this name')
    .addOption(kubernetesOption())
    .addHelpText('after', examplesHelp('cluster down'))
    .action(async (opts: ClusterDownOptions) => setExit(await clusterDown(opts, io)));
  cluster
    .command('list')
    .description("list netpol-harness's kind clusters")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', examplesHelp('cluster list'))
    .action(async (opts: { output: 'table' | 'json' }) => setExit(await clusterList(io, opts.output)));
}

function addCleanup(program: Command, { io, setExit }: Wiring): void {
  program
    .command('cleanup')
    .description('remove what runs killed by SIGKILL or a crash left behind (found by the run label and owner)')
    .addOption(
      new Option(
        '--cni <list>',
        'kind clusters of these CNIs, at every version (default: every kind cluster of netpol-harness)',
      ).argParser(listOf(Object.keys(CNI_INSTALLERS))),
    )
    .addOption(new Option('--context <list>', 'existing kubeconfig contexts').argParser(names))
    .option('--kubeconfig <file>', 'kubeconfig for --context (default: KUBECONFIG or ~/.kube/config)')
    .option(
      '--run <id>',
      "remove this run's leftovers whatever its owner's state (default: only runs whose process here is gone)",
    )
    .option('--dry-run', 'say what would be removed, remove nothing')
    .addHelpText(
      'after',
      `${examplesHelp('cleanup')}\n\nExit codes: 0 done, 2 something could not be removed, 3 bad flags.`,
    )
    .action(async (flags: CleanupFlags) => setExit(await cleanupCommand(flags, io)));
}

function addCheck(program: Command, { io, setExit }: Wiring): void {
  addCheckOptions(
    program
      .command('check')
      .description(
        'probe real namespaces in place: probe pods stand in for each workload class, ' +
          "the real pods answer; every cell against the engine's prediction; two or more contexts: parity",
      )
      .addHelpText(
        'after',
        `${examplesHelp('check')}\n\n` +
          'Exit codes: 0 every cell as predicted (or not judged), 1 a cell contradicts the prediction, ' +
          '2 cluster unreachable, a namespace not found, a verb missing, a probe error or a leftover, 3 bad flags.',
      ),
  ).action(async (flags: CheckFlags) => setExit(await checkCommand(flags, io)));
}

function addSnapshot(program: Command, { io, setExit }: Wiring): void {
  program
    .command('snapshot')
    .description(
      'read real namespaces (read-only) and write them as a scenario to replay on kind per CNI: ' +
        'namespaces, one workload per class, the NetworkPolicies, externals for their ipBlocks',
    )
    .addOption(new Option('--context <context>', 'kubeconfig context to read').makeOptionMandatory())
    .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG or ~/.kube/config)')
    .addOption(
      new Option('-n, --namespace <list>', 'namespaces to capture, comma-separated')
        .argParser(names)
        .conflicts('allNamespaces'),
    )
    .option('-A, --all-namespaces', 'every namespace but the system and CNI ones')
    .option('-o, --output <file>', 'the scenario file; its policies go to policies/ beside it', 'repro.yaml')
    .option(
      '--observed <file>',
      'a check report (check --report F.json) of this context: the replay asserts what it observed',
    )
    .option('--name <name>', "the scenario's metadata.name (default: the file's name)")
    .option('--force', 'overwrite the scenario and policy files if they exist')
    .addHelpText(
      'after',
      `${examplesHelp('snapshot')}\n\n` +
        'Exit codes: 0 written, 2 cluster unreachable, a namespace not found or a read verb missing, ' +
        '3 bad flags, an existing file (without --force) or too many workloads for one scenario.',
    )
    .action(async (flags: SnapshotFlags) => setExit(await snapshotCommand(flags, io)));
}

function addMatrix(program: Command, { io, setExit }: Wiring): void {
  program
    .command('matrix')
    .description(
      'the nightly CNI compatibility run: every cell of a matrix file (CNI x version x Kubernetes version) ' +
        'on its own kind cluster, then one report, the history and the compatibility page',
    )
    .option('--matrix <file>', 'the matrix file', 'clusters/matrix.yaml')
    .addOption(
      new Option('--cell <list>', 'only these cells, e.g. cilium@v1.18.3/k8s@v1.34.4 (one CI job per cell)').argParser(
        names,
      ),
    )
    .option(
      '--report-dir <dir>',
      'per-cell reports in cells/, the merged report and compat.html / compat.md',
      'reports/matrix',
    )
    .option('--history <dir>', "the history folder to append the night to (default: the matrix file's history)")
    .option('--no-history', 'keep no history (a fanned-out cell job: the merge job appends the night)')
    .addOption(
      new Option('--parallel <n>', 'cells at once, each its own kind cluster (2 cores: 1)')
        .argParser(wholeNumber(1, 16))
        .default(1),
    )
    .option('--keep', 'leave the clusters this night created up at the end')
    .option('--image <ref>', 'workload/probe image (default: the one pinned in clusters/versions.yaml)')
    .option('--list', 'print the cells that would run, as a JSON array (a CI job matrix), and stop')
    .addHelpText(
      'after',
      `${examplesHelp('matrix')}\n\n` +
        'Exit codes: with a history and a night before: 0 no regression, 1 a regression (history diff). ' +
        'Otherwise 0 every cell passed, 1 a cell failed, 2 a cell or scenario could not run. ' +
        '3 a bad matrix file, scenario or flag.',
    )
    .action(async (flags: MatrixFlags) => setExit(await matrixCommand(flags, io)));
}

function addReport(program: Command, { io, setExit }: Wiring): void {
  const report = program
    .command('report')
    .description('work with run reports (report.json)')
    .addHelpText('after', examplesHelp('report'));
  report
    .command('merge')
    .description(
      'merge per-cell reports (one CI job per matrix cell) into one report, one compatibility page ' +
        'and one history append',
    )
    .addArgument(new Argument('<report...>', 'report.json files, one per cell'))
    .option('--report-dir <dir>', 'where the merged report and compat.html / compat.md go', 'reports/merged')
    .option('--history <dir>', 'append the night to this history folder and compare it with the night before')
    .option('--run-id <id>', "the night's id (default: the reports' shared run id, else the earliest's)")
    .addHelpText(
      'after',
      `${examplesHelp('report merge')}\n\n` +
        'Exit codes: with --history and a night before: 0 no regression, 1 a regression. Otherwise 0 every ' +
        'cell passed, 1 a cell failed, 2 a cell or scenario could not run. 3 bad flags or an unreadable report.',
    )
    .action((files: string[], flags: ReportMergeFlags) => setExit(reportMergeCommand(files, flags, io)));
}

function addHistory(program: Command, { io, setExit }: Wiring): void {
  const history = program
    .command('history')
    .description('the nightly history: what changed between nights')
    .addHelpText('after', examplesHelp('history'));
  history
    .command('diff')
    .description(
      'the latest night against an earlier one: regressions, fixes, deviations that appeared or vanished, ' +
        'time to converge that changed',
    )
    .option('--history <dir>', 'the history folder (one JSON Lines file per night)', DEFAULT_HISTORY)
    .option('--since <when>', 'last (the night before the latest), a date (2026-11-29) or an ISO timestamp', 'last')
    .addOption(new Option('-o, --output <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .addOption(
      new Option('--slower-factor <n>', 'time to converge is news when it grew by this factor...')
        .argParser(positiveNumber)
        .default(DIFF_DEFAULTS.convergenceFactor),
    )
    .addOption(
      new Option('--slower-by <seconds>', '...and by at least this many seconds')
        .argParser(positiveNumber)
        .default(DIFF_DEFAULTS.convergenceMinDeltaMs / 1000),
    )
    .addHelpText(
      'after',
      `${examplesHelp('history diff')}\n\n` +
        'Exit codes: 0 no regression (or nothing to compare yet), 1 a regression, ' +
        '3 bad flags or an unreadable history.',
    )
    .action((flags: HistoryDiffFlags) => setExit(historyDiffCommand(flags, io)));
}

function addInit(program: Command, { io, setExit }: Wiring): void {
  program
    .command('init')
    .description('write a starter scenario for a common pattern (to stdout, or to a new file)')
    .addOption(new Option('--pattern <pattern>', 'the pattern to start from').choices(PATTERNS).default('default-deny'))
    .option('-o, --output <file>', 'write to this new file (never overwritten) instead of stdout')
    .addHelpText('after', `${examplesHelp('init')}\n\nExit codes: 0 written, 3 the file exists (or bad flags).`)
    .action((opts: InitOptions) => setExit(initCommand(opts, io)));
}

function addCompletion(program: Command, { io, setExit }: Wiring): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags and their choices)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText('after', examplesHelp('completion'))
    .action((shell: Shell) => setExit(completionCommand(shell, program, LIST_CHOICES, io)));
}

/** Values of flags that commander knows only as parsers (lists like `--cni calico,cilium`, `--protocol`). */
const LIST_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '--cni': Object.keys(CNI_INSTALLERS),
  '--format': Object.keys(RENDERERS),
  '--protocol': ['TCP', 'UDP', 'SCTP'],
};

/**
 * Runs one command line. Colour follows the real terminal only when writing to the process's own
 * streams; tests that inject `io` get plain text unless they pass a `terminal`.
 */
export async function main(
  argv: readonly string[],
  io: CommandIO = processIO,
  terminal: Terminal = io === processIO ? processTerminal() : { stdoutIsTTY: false, stderrIsTTY: false, env: {} },
): Promise<ExitCode> {
  if (io === processIO) ignoreClosedStdout();
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    terminal,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

/**
 * `predict scenarios/ | head` closes stdout early: the reader has what it wanted, so the rest of
 * the output goes nowhere instead of killing the process with an EPIPE stack trace, and the exit
 * code stays the command's own. Other stream errors stay fatal.
 */
let ignoringClosedStdout = false;
function ignoreClosedStdout(): void {
  if (ignoringClosedStdout) return;
  ignoringClosedStdout = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
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
