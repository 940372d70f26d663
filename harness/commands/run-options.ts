/**
 * `run`'s flags: parsed, validated and converted by commander (exit 3 with the choices for a bad
 * value, before anything starts), their defaults read from RUN_DEFAULTS, and turned into
 * RunSettings in one place.
 */
import { Option, type Command } from 'commander';
import { CNI_INSTALLERS, cniChoices } from '../cluster/cni.js';
import { kubernetesVersions as listedVersions, loadClusterVersions } from '../cluster/versions.js';
import { RENDERERS, type ReportFormat } from '../report/file-reporters.js';
import { convergeTimeoutFor, defaultSettings, probeTimeouts, RUN_DEFAULTS, type RunSettings } from '../run/settings.js';
import type { Prober } from '../probe/commands.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { UsageError } from '../exit-codes.js';
import type { CniRef } from '../model/cni-ref.js';
import { cniRefs, kubernetesVersions, listOf, names, positiveNumber, wholeNumber } from './flags.js';
import type { TargetRequest } from './run-targets.js';
import { VIAS, type Via } from '../model/service.js';

export const CONSOLE_OUTPUTS = ['text', 'json'] as const;
export type ConsoleOutput = (typeof CONSOLE_OUTPUTS)[number];
const REPORT_FORMATS = Object.keys(RENDERERS) as ReportFormat[];
const PROBERS: readonly Prober[] = ['batch', 'tools'];

/** What commander hands the action, already typed and checked. */
export interface RunFlags {
  /** Kind clusters' CNIs, each at the kit's default version unless it names one (`cilium@v1.18.2`). */
  readonly cni?: readonly CniRef[];
  /** Kubernetes versions of the --cni clusters (each CNI at each version); absent: the default version. */
  readonly kubernetes?: readonly string[];
  readonly context?: readonly string[];
  readonly kubeconfig?: string;
  readonly keep?: boolean;
  readonly sctp?: boolean;
  readonly probeExternals?: boolean;
  readonly freshPods?: boolean;
  readonly reportDir: string;
  readonly format: readonly ReportFormat[];
  readonly output: ConsoleOutput;
  readonly quiet?: boolean;
  readonly connectTimeout: number;
  /** Absent: RUN_DEFAULTS' window for the CNIs asked for (convergeTimeoutFor). */
  readonly convergeTimeout?: number;
  readonly slowAfter: number;
  readonly concurrency: number;
  readonly image?: string;
  readonly prober: Prober;
  /** For scenarios captured by `snapshot --observed`: explain every cell where a target and production differ. */
  readonly explainDivergence?: boolean;
  /** Leave the run's namespaces (pods, policies) in place at the end, marked kept. */
  readonly keepNamespaces?: boolean;
  /** Host-network probe pods on --context targets too. */
  readonly allowHostNetwork?: boolean;
  /** AdminNetworkPolicy and BaselineAdminNetworkPolicy on --context targets (confined to the run's namespaces). */
  readonly allowClusterScoped?: boolean;
  /** Replaces every scenario's spec.probe.via. */
  readonly via?: readonly Via[];
  /** Replaces every scenario's spec.probe.services. */
  readonly services?: 'declared' | 'all';
}

export function addRunOptions(command: Command): Command {
  const d = RUN_DEFAULTS;
  return command
    .addOption(cniListOption())
    .addOption(kubernetesListOption())
    .addOption(
      new Option('--context <list>', 'existing kubeconfig contexts to run on (e.g. staging,production)').argParser(
        names,
      ),
    )
    .option('--kubeconfig <file>', 'kubeconfig for --context (default: KUBECONFIG or ~/.kube/config)')
    .option('--keep', 'leave kind clusters this run created up at the end')
    .option(
      '--keep-namespaces',
      "leave the run's namespaces, pods and policies in place at the end (to inspect, or to snapshot); " +
        'the next run leaves them alone, cleanup --run ID removes them',
    )
    .option('--sctp', 'probe SCTP cells on --context targets (their nodes must have SCTP)')
    .option(
      '--allow-host-network',
      'on --context targets, start host-network probe pods for node sources (spec.probe.fromNodes; kind: always). ' +
        'They share a node network, serve nothing and are never Ready; their namespace is labelled PSA privileged',
    )
    .option(
      '--allow-cluster-scoped',
      "on --context targets, apply the scenarios' AdminNetworkPolicies and BaselineAdminNetworkPolicy (kind: " +
        "always). Each selector is limited to the run's own namespaces; a BaselineAdminNetworkPolicy someone " +
        'else has in force is never replaced',
    )
    .option(
      '--probe-externals',
      "on --context targets, probe the scenarios' externals at their declared addresses: only servers you own " +
        '(a TCP handshake or a UDP reply counts as allowed)',
    )
    .option(
      '--explain-divergence',
      'for scenarios captured by snapshot --observed: under the triage, explain (policy and rule) every cell ' +
        'where a target and production differ',
    )
    .option('--report-dir <dir>', 'where report files go', 'reports')
    .addOption(
      new Option('--format <list>', `report files to write: ${REPORT_FORMATS.join(',')} ('' for none)`)
        .argParser(listOf(REPORT_FORMATS, { allowEmpty: true }))
        .default(REPORT_FORMATS, REPORT_FORMATS.join(',')),
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        'console output: text (progress and summary) or json (the run report on stdout)',
      )
        .choices(CONSOLE_OUTPUTS)
        .default('text'),
    )
    .addOption(seconds('--connect-timeout <seconds>', 'per-probe connect timeout', d.connectTimeoutSeconds))
    .addOption(
      new Option(
        '--converge-timeout <seconds>',
        'how long a step may take to match the prediction (seconds; default: ' +
          [
            String(d.convergeTimeoutSeconds),
            ...Object.entries(d.convergeTimeoutSecondsByCni).map(([cni, s]) => `${s} with --cni ${cni}`),
          ].join(', ') +
          ')',
      ).argParser(positiveNumber),
    )
    .addOption(
      seconds(
        '--slow-after <seconds>',
        'a passing cell that settles later than this after a change is listed as correct but slow',
        d.slowAfterSeconds,
      ),
    )
    .addOption(
      new Option('--concurrency <n>', 'scenarios run at once on one target')
        .argParser(wholeNumber(1, 64))
        .default(d.concurrency),
    )
    .option('--image <ref>', 'workload/probe image (default: the one pinned in clusters/versions.yaml)')
    .option(
      '--fresh-pods',
      'deploy new pods for every scenario, ' +
        'even where the previous scenario had the same namespaces, workloads and ports',
    )
    .addOption(
      new Option(
        '--prober <kind>',
        'batch: one netpol-server process per pod and round; tools: curl, agnhost connect and nslookup per cell',
      )
        .choices(PROBERS)
        .default(d.prober),
    )
    .addOption(
      new Option(
        '--via <list>',
        `paths to probe every scenario on, replacing its spec.probe.via: ${VIAS.join(',')} ` +
          '(service and dns reach workloads with a Service)',
      ).argParser(listOf(VIAS)),
    )
    .addOption(
      new Option(
        '--services <which>',
        "all: every serving workload without a Service gets one on each served port (the upstream suite's)",
      ).choices(['declared', 'all']),
    )
    .option('-q, --quiet', 'only failures and the summary');
}

/** `--cni`: CNIs and their versions come from the installers and clusters/versions.yaml. */
function cniListOption(): Option {
  const choices = cniChoices(loadClusterVersions());
  const others = Object.entries(choices).flatMap(([cni, [, ...extra]]) => extra.map((v) => `${cni}@${v}`));
  return new Option(
    '--cni <list>',
    `kind clusters to run on, one per CNI: ${Object.keys(choices).join(', ')} (reused if they exist)` +
      (others.length ? `; another CNI version the kit builds: ${others.join(', ')}` : ''),
  ).argParser(cniRefs(choices));
}

/** `--kubernetes`: its choices and default come from clusters/versions.yaml, the one place they live. */
function kubernetesListOption(): Option {
  const [byDefault = '', ...extra] = listedVersions(loadClusterVersions());
  const others = extra.length
    ? `also ${extra.join(', ')}, once built with npm run kit -- build --kubernetes VERSION`
    : 'no other';
  return new Option(
    '--kubernetes <list>',
    `Kubernetes versions of the --cni clusters, one cluster per CNI and version (default ${byDefault}; ${others})`,
  ).argParser(kubernetesVersions([byDefault, ...extra]));
}

function seconds(flags: string, description: string, fallback: number): Option {
  return new Option(flags, `${description} (seconds)`).argParser(positiveNumber).default(fallback);
}

/** Each --cni (at its version) at each --kubernetes version (the default versions when none is given). */
function kindRequests(flags: RunFlags): TargetRequest[] {
  if (flags.kubernetes?.length && !flags.cni?.length)
    throw new UsageError('--kubernetes picks the version of --cni kind clusters: say which CNI, e.g. --cni calico');
  const versions: ReadonlyArray<string | undefined> = flags.kubernetes?.length ? flags.kubernetes : [undefined];
  return (flags.cni ?? []).flatMap(({ cni, version }) =>
    versions.map((kubernetesVersion): TargetRequest => ({
      kind: 'kind',
      cni,
      ...(version ? { cniVersion: version } : {}),
      ...(kubernetesVersion ? { kubernetesVersion } : {}),
      keep: flags.keep ?? false,
    })),
  );
}

export function targetRequests(flags: RunFlags): TargetRequest[] {
  const requests: TargetRequest[] = [
    ...kindRequests(flags),
    ...(flags.context ?? []).map((context): TargetRequest => ({
      kind: 'context',
      context,
      sctp: flags.sctp ?? false,
      probeExternals: flags.probeExternals ?? false,
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    })),
  ];
  if (!requests.length)
    throw new UsageError(
      `say where to run: --cni ${Object.keys(CNI_INSTALLERS).join(',')} (kind clusters) ` +
        'and/or --context NAME[,NAME] (existing clusters)',
    );
  return requests;
}

/** The flags as RunSettings: the only conversion from the CLI's units (seconds) to the run's (ms). */
export function settingsFromFlags(
  flags: RunFlags,
  runId: string,
  image: WorkloadImage,
  signal: AbortSignal,
): RunSettings {
  const base = defaultSettings(runId);
  return defaultSettings(runId, {
    image,
    prober: flags.prober,
    timeouts: probeTimeouts(flags.connectTimeout),
    converge: {
      ...base.converge,
      timeoutMs: (flags.convergeTimeout ?? convergeTimeoutFor((flags.cni ?? []).map((c) => c.cni))) * 1000,
    },
    slowAfterMs: flags.slowAfter * 1000,
    scenarioConcurrency: flags.concurrency,
    reusePods: !flags.freshPods,
    keepNamespaces: flags.keepNamespaces ?? false,
    allowHostNetwork: flags.allowHostNetwork ?? false,
    signal,
  });
}
