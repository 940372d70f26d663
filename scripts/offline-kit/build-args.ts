// `npm run kit -- build`'s arguments: optional groups, extra Kubernetes and Cilium versions, where to
// start. Pure, but for the pinned versions it is given.
import { ciliumChoices, type Versions } from './config.js';
import { kubernetesChoices } from './kubernetes-release.js';
import { ciliumOfStep, groupOfStep, kubernetesOfStep, optionalGroups, type OptionalGroup } from './steps/all.js';

export interface BuildArgs {
  readonly from?: string;
  readonly only?: string;
  readonly force: boolean;
  readonly with: ReadonlySet<OptionalGroup>;
  /** Extra Kubernetes versions to build besides the default one. */
  readonly kubernetes: readonly string[];
  /** Extra Cilium versions to build besides the default one. */
  readonly cilium: readonly string[];
}

/** Adds `cilium` (or a comma list) to the optional groups; returns a name that is not a group. */
function addGroups(groups: Set<OptionalGroup>, list: string): string | undefined {
  for (const g of list.split(',')) {
    if (!optionalGroups.includes(g as OptionalGroup)) return g;
    groups.add(g as OptionalGroup);
  }
  return undefined;
}

export const notListed = (flag: string, version: string, choices: readonly string[]): string =>
  `${flag}: "${version}" is not in clusters/versions.yaml ` +
  `(choose from ${choices.join(', ')}; the first is the default build)`;

/** Adds each version of a comma list (`v1.35.4` or `1.35.4`); returns one versions.yaml does not list. */
function addVersions(versions: Set<string>, list: string, choices: readonly string[]): string | undefined {
  for (const item of list.split(',').map((s) => s.trim())) {
    const version = item.startsWith('v') ? item : `v${item}`;
    if (!choices.includes(version)) return item;
    versions.add(version);
  }
  return undefined;
}

/**
 * `build`'s arguments, checked against clusters/versions.yaml, or what is wrong with them (one line).
 * Naming a step of an optional group or of an extra version (`--from cilium-v1.18.2`) implies it.
 */
export function parseBuildArgs(argv: readonly string[], v: Versions): BuildArgs | string {
  let from: string | undefined;
  let only: string | undefined;
  let force = false;
  const groups = new Set<OptionalGroup>();
  const kubernetes = new Set<string>();
  const cilium = new Set<string>();
  const choices = { kubernetes: kubernetesChoices(v), cilium: ciliumChoices(v) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') force = true;
    else if (arg === '--with') {
      const unknown = addGroups(groups, argv[++i] ?? '');
      if (unknown !== undefined) return `--with: unknown group "${unknown}" (choose from ${optionalGroups.join(', ')})`;
    } else if (arg === '--kubernetes' || arg === '--cilium') {
      const [versions, listed] = arg === '--cilium' ? [cilium, choices.cilium] : [kubernetes, choices.kubernetes];
      const unknown = addVersions(versions, argv[++i] ?? '', listed);
      if (unknown !== undefined) return notListed(arg, unknown, listed);
    } else if (arg === '--from') from = argv[++i];
    else if (arg === '--only') only = argv[++i];
    else return `unknown argument ${arg ?? ''}`;
  }
  for (const id of [from, only].filter((s) => s !== undefined)) {
    const [group, version, ciliumVersion] = [groupOfStep(v, id), kubernetesOfStep(v, id), ciliumOfStep(v, id)];
    if (group !== undefined) groups.add(group);
    if (version !== undefined) kubernetes.add(version);
    if (ciliumVersion !== undefined) cilium.add(ciliumVersion);
  }
  return { from, only, force, with: groups, kubernetes: [...kubernetes], cilium: [...cilium] };
}
