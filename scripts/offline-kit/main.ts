// Offline kit: builds kind node, Calico and probe images from Debian packages and
// the Go module proxy, without any container registry.
//   npm run kit -- build [--with cilium] [--kubernetes VERSION[,VERSION]] [--from STEP] [--only STEP]
//                        [--force]
//   npm run kit -- doctor | status | clean [--all] | try-cluster [NAME] [--kubernetes VERSION]
import { loadVersions } from './config.js';
import { doctor, printFindings } from './doctor.js';
import { formatDuration } from './run.js';
import { kubernetesChoices } from './kubernetes-release.js';
import { clean, status } from './status.js';
import { tryCluster } from './try-cluster.js';
import { buildSteps, groupOfStep, kubernetesOfStep, optionalGroups, type OptionalGroup } from './steps/all.js';
import { runSteps } from './steps/runner.js';

interface BuildArgs {
  readonly from?: string;
  readonly only?: string;
  readonly force: boolean;
  readonly with: ReadonlySet<OptionalGroup>;
  /** Extra Kubernetes versions to build besides the default one. */
  readonly kubernetes: readonly string[];
}

/** Adds `cilium` (or a comma list) to the optional groups; returns a name that is not a group. */
function addGroups(groups: Set<OptionalGroup>, list: string): string | undefined {
  for (const g of list.split(',')) {
    if (!optionalGroups.includes(g as OptionalGroup)) return g;
    groups.add(g as OptionalGroup);
  }
  return undefined;
}

const notListed = (version: string, choices: readonly string[]): string =>
  `--kubernetes: "${version}" is not in clusters/versions.yaml ` +
  `(choose from ${choices.join(', ')}; the first is the default build)`;

/** Adds each version of a comma list (`v1.35.4` or `1.35.4`); returns one versions.yaml does not list. */
function addKubernetes(versions: Set<string>, list: string, choices: readonly string[]): string | undefined {
  for (const item of list.split(',').map((s) => s.trim())) {
    const version = item.startsWith('v') ? item : `v${item}`;
    if (!choices.includes(version)) return item;
    versions.add(version);
  }
  return undefined;
}

function parseBuildArgs(argv: readonly string[]): BuildArgs | string {
  let from: string | undefined;
  let only: string | undefined;
  let force = false;
  const groups = new Set<OptionalGroup>();
  const kubernetes = new Set<string>();
  const choices = kubernetesChoices(loadVersions());
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') force = true;
    else if (arg === '--with') {
      const unknown = addGroups(groups, argv[++i] ?? '');
      if (unknown !== undefined) return `--with: unknown group "${unknown}" (choose from ${optionalGroups.join(', ')})`;
    } else if (arg === '--kubernetes') {
      const unknown = addKubernetes(kubernetes, argv[++i] ?? '', choices);
      if (unknown !== undefined) return notListed(unknown, choices);
    } else if (arg === '--from') from = argv[++i];
    else if (arg === '--only') only = argv[++i];
    else return `unknown argument ${arg ?? ''}`;
  }
  for (const id of [from, only]) {
    const group = id === undefined ? undefined : groupOfStep(loadVersions(), id);
    if (group !== undefined) groups.add(group);
    const version = id === undefined ? undefined : kubernetesOfStep(loadVersions(), id);
    if (version !== undefined) kubernetes.add(version);
  }
  return { from, only, force, with: groups, kubernetes: [...kubernetes] };
}

async function build(argv: readonly string[]): Promise<number> {
  const args = parseBuildArgs(argv);
  if (typeof args === 'string') return usage(args);
  const versions = loadVersions();
  let steps = buildSteps(versions, args.with, args.kubernetes);
  const ids = steps.map((s) => s.id);
  const wanted = args.only ?? args.from;
  if (wanted !== undefined && !ids.includes(wanted)) return usage(`no step ${wanted}; steps: ${ids.join(', ')}`);
  if (args.only !== undefined) steps = steps.filter((s) => s.id === args.only);
  else if (args.from !== undefined) steps = steps.slice(ids.indexOf(args.from));
  const started = Date.now();
  const ctx = { versions, force: args.force, progress: (m: string) => console.log(`      ${m}`) };
  const reports = await runSteps(steps, ctx);
  const failedStep = reports.find((r) => r.status === 'failed');
  console.log(
    `kit build: ${failedStep === undefined ? 'ok' : `failed at ${failedStep.id}`} ` +
      `in ${formatDuration(Date.now() - started)}`,
  );
  return failedStep === undefined ? 0 : 1;
}

function usage(problem?: string): number {
  if (problem !== undefined) console.error(`kit: ${problem}`);
  console.error(
    'usage: npm run kit -- build [--with cilium] [--kubernetes VERSION[,VERSION]] [--from STEP] [--only STEP] ' +
      '[--force] | doctor | status | clean [--all] | try-cluster [NAME] [--kubernetes VERSION]',
  );
  return 2;
}

/** `try-cluster [NAME] [--kubernetes VERSION]`: the default name is `kit-calico`. */
async function tryClusterCommand(argv: readonly string[]): Promise<number> {
  const versions = loadVersions();
  const at = argv.indexOf('--kubernetes');
  const version = at === -1 ? versions.kubernetes.version : (argv[at + 1] ?? '');
  const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 2)];
  if (!kubernetesChoices(versions).includes(version)) return usage(notListed(version, kubernetesChoices(versions)));
  return tryCluster(versions, rest[0] ?? 'kit-calico', console, version);
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'build':
      return build(rest);
    case 'doctor':
      return printFindings(await doctor(loadVersions()));
    case 'status':
      return status(loadVersions());
    case 'try-cluster':
      return tryClusterCommand(rest);
    case 'clean':
      return clean(loadVersions(), rest.includes('--all'));
    default:
      return usage(command === undefined ? undefined : `unknown command ${command}`);
  }
}

process.exitCode = await main(process.argv.slice(2));
