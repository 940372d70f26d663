// Offline kit: builds kind node, Calico and probe images from Debian packages and
// the Go module proxy, without any container registry.
//   npm run kit -- build [--with cilium] [--cilium VERSION[,VERSION]] [--kubernetes VERSION[,VERSION]]
//                        [--from STEP] [--only STEP] [--force]
//   npm run kit -- doctor | status | clean [--all] | try-cluster [NAME] [--kubernetes VERSION]
import { notListed, parseBuildArgs } from './build-args.js';
import { loadVersions } from './config.js';
import { doctor, printFindings } from './doctor.js';
import { formatDuration } from './run.js';
import { kubernetesChoices } from './kubernetes-release.js';
import { clean, status } from './status.js';
import { tryCluster } from './try-cluster.js';
import { buildSteps } from './steps/all.js';
import { runSteps } from './steps/runner.js';

async function build(argv: readonly string[]): Promise<number> {
  const versions = loadVersions();
  const args = parseBuildArgs(argv, versions);
  if (typeof args === 'string') return usage(args);
  let steps = buildSteps(versions, args);
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
    'usage: npm run kit -- build [--with cilium] [--cilium VERSION[,VERSION]] [--kubernetes VERSION[,VERSION]] ' +
      '[--from STEP] [--only STEP] [--force] | doctor | status | clean [--all] | ' +
      'try-cluster [NAME] [--kubernetes VERSION]',
  );
  return 2;
}

/** `try-cluster [NAME] [--kubernetes VERSION]`: the default name is `kit-calico`. */
async function tryClusterCommand(argv: readonly string[]): Promise<number> {
  const versions = loadVersions();
  const at = argv.indexOf('--kubernetes');
  const version = at === -1 ? versions.kubernetes.version : (argv[at + 1] ?? '');
  const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 2)];
  if (!kubernetesChoices(versions).includes(version))
    return usage(notListed('--kubernetes', version, kubernetesChoices(versions)));
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
