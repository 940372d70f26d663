/**
 * `check`'s flags: parsed and converted by commander (exit 3 with the reason before anything
 * starts), their defaults read from RUN_DEFAULTS and CHECK_POD_DEFAULTS, as kubectl spells them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CHECK_REPORT_EXTENSIONS, checkReportFormat } from '../report/check-files.js';
import { UsageError } from '../exit-codes.js';
import type { NamespaceRequest } from '../inventory/namespaces.js';
import { CHECK_POD_DEFAULTS } from '../probe/check-pod.js';
import { CHECK_DEFAULTS, probeTimeouts, RUN_DEFAULTS } from '../run/settings.js';
import type { ProbeTimeouts } from '../probe/commands.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../inventory/service-routes.js';
import { dnsDomain, listOf, names, positiveNumber, wholeNumber } from './flags.js';

/** What commander hands the action, already typed and checked. */
export type CheckOutput = 'text' | 'json';

/** `--via`: the pods by IP; the Services by cluster IP and by DNS name. */
export const CHECK_PATHS = ['pod', 'service'] as const;
export type CheckPath = (typeof CHECK_PATHS)[number];

export interface CheckFlags {
  /** One context, or several for parity. */
  readonly context: readonly string[];
  readonly kubeconfig?: string;
  readonly namespace?: readonly string[];
  readonly allNamespaces?: boolean;
  readonly dryRun?: boolean;
  readonly allReplicas?: boolean;
  readonly connectTimeout: number;
  readonly activeDeadline: number;
  readonly image?: string;
  readonly output: CheckOutput;
  /** `--report FILE`, repeatable: the format follows the extension (.json, .md, .html). */
  readonly report?: readonly string[];
  readonly maxInFlight: number;
  readonly expect?: string;
  readonly map?: string;
  readonly via: readonly CheckPath[];
  readonly clusterDomain: string;
}

export function addCheckOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--context <list>', 'kubeconfig context(s) to check; two or more compare them cell by cell')
        .argParser(names)
        .makeOptionMandatory(),
    )
    .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG or ~/.kube/config)')
    .addOption(
      new Option('-n, --namespace <list>', 'namespaces to check, comma-separated (system ones only when named)')
        .argParser(names)
        .conflicts('allNamespaces'),
    )
    .option('-A, --all-namespaces', 'every namespace but the system and CNI ones')
    .option('--dry-run', 'print every object check would create and every probe it would send; create nothing')
    .option('--all-replicas', 'probe every replica of a destination class, not one pod per class')
    .addOption(
      new Option(
        '--via <paths>',
        `what to connect to, comma-separated: ${CHECK_PATHS.join(', ')} (pods by IP; Services by cluster IP and ` +
          'by DNS name, judged for the pods behind them)',
      )
        .argParser(listOf(CHECK_PATHS))
        .default(['pod'], 'pod'),
    )
    .addOption(
      new Option('--cluster-domain <domain>', "the cluster's DNS domain, for Services' names (--via service)")
        .argParser(dnsDomain)
        .default(DEFAULT_CLUSTER_DOMAIN),
    )
    .addOption(
      new Option('--connect-timeout <seconds>', 'per-probe connect timeout (seconds)')
        .argParser(positiveNumber)
        .default(RUN_DEFAULTS.connectTimeoutSeconds),
    )
    .addOption(
      new Option('--active-deadline <seconds>', 'the probe pods are killed by their node after this (seconds)')
        .argParser(wholeNumber(30, 3600))
        .default(CHECK_POD_DEFAULTS.activeDeadlineSeconds),
    )
    .addOption(
      new Option(
        '--max-in-flight <n>',
        'at most this many probes at once across the cluster (real servers answer them)',
      )
        .argParser(wholeNumber(1, 256))
        .default(CHECK_DEFAULTS.maxInFlight),
    )
    .addOption(
      new Option('-o, --output <format>', 'console output: text, or json (the check report on stdout)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addOption(
      new Option(
        '--report <file>',
        `also write the report to this file, in the format of its extension (${CHECK_REPORT_EXTENSIONS.join(', ')}); ` +
          'repeat for several',
      ).argParser(reportFiles),
    )
    .option(
      '--expect <file>',
      "your intent (kind: Intent; a scenario's expect notation over real names, ns/owner-name): " +
        'cells it names are judged against it',
    )
    .option(
      '--map <file>',
      'parity: how classes and namespaces named differently in a context line up (kind: ClassMap)',
    )
    .option('--image <ref>', 'probe image (default: the one pinned in clusters/versions.yaml)');
}

/** Collects repeated --report files; an extension no renderer writes is exit 3, before anything starts. */
function reportFiles(file: string, previous: readonly string[] | undefined): string[] {
  if (!checkReportFormat(file))
    throw new InvalidArgumentError(
      `"${file}": the extension names the format: ${CHECK_REPORT_EXTENSIONS.join(', ')} (JSON, Markdown, HTML).`,
    );
  return [...(previous ?? []), file];
}

export function namespaceRequest(
  flags: Pick<CheckFlags, 'allNamespaces' | 'namespace'>,
  verb = 'check',
): NamespaceRequest {
  if (flags.allNamespaces) return { all: true };
  if (flags.namespace?.length) return { names: flags.namespace };
  throw new UsageError(`say which namespaces to ${verb}: --namespace a,b or --all-namespaces`);
}

/** The one conversion of --connect-timeout into the probes' timeouts. */
export function checkTimeouts(flags: CheckFlags): ProbeTimeouts {
  return probeTimeouts(flags.connectTimeout);
}
