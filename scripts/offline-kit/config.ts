// Pinned versions (clusters/versions.yaml) and the cache layout outside the repo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const kitFiles = fileURLToPath(new URL('./files/', import.meta.url));
export const clustersDir = join(repoRoot, 'clusters');

export interface Versions {
  readonly debian: { readonly suite: string };
  readonly kind: { readonly module: string; readonly version: string };
  readonly kubernetes: {
    readonly version: string;
    readonly stagingVersion: string;
    /** Built only on request (`npm run kit -- build --kubernetes v1.35.4`), each with its own node image. */
    readonly extraVersions?: readonly string[];
  };
  readonly crictl: { readonly module: string; readonly version: string };
  readonly etcd: { readonly module: string; readonly version: string; readonly imageTag: string };
  readonly coredns: { readonly module: string; readonly version: string };
  readonly pause: { readonly imageTag: string };
  readonly calico: {
    readonly module: string;
    readonly version: string;
    readonly apiVersion: string;
    readonly imageTag: string;
  };
  readonly probe: { readonly image: string; readonly imageTag: string };
  /** Built only with `npm run kit -- build --with cilium`. */
  readonly cilium: CiliumPins & {
    readonly module: string;
    readonly imageTag: string;
    /** Built only on request (`--cilium v1.18.2`), each cached by its version, which is also its image tag. */
    readonly extraVersions?: readonly CiliumExtraVersion[];
  };
  readonly helm: { readonly module: string; readonly version: string };
  readonly node: { readonly image: string; readonly kitRevision: number };
}

/** What one Cilium version pins: the tag's commit and date (its version string), its gobgp fork, its clang. */
export interface CiliumPins {
  readonly version: string;
  readonly commit: string;
  readonly commitDate: string;
  readonly gobgp: string;
  readonly clang: string;
  /** Debian packages its agent image needs besides clang and the base ones. */
  readonly packages?: readonly string[];
}

/** An entry of `cilium.extraVersions`: the pins that differ from the default version's (the rest are its). */
export type CiliumExtraVersion = Pick<CiliumPins, 'version' | 'commit' | 'commitDate'> &
  Partial<Pick<CiliumPins, 'gobgp' | 'clang' | 'packages'>>;

function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) {
      throw new Error(`clusters/versions.yaml: missing ${path}`);
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const required = [
  'debian.suite',
  'kind.module',
  'kind.version',
  'kubernetes.version',
  'kubernetes.stagingVersion',
  'crictl.module',
  'crictl.version',
  'etcd.module',
  'etcd.version',
  'etcd.imageTag',
  'coredns.module',
  'coredns.version',
  'pause.imageTag',
  'calico.module',
  'calico.version',
  'calico.apiVersion',
  'calico.imageTag',
  'probe.image',
  'probe.imageTag',
  'cilium.module',
  'cilium.version',
  'cilium.commit',
  'cilium.commitDate',
  'cilium.imageTag',
  'cilium.gobgp',
  'cilium.clang',
  'helm.module',
  'helm.version',
  'node.image',
  'node.kitRevision',
] as const;

/** `kubernetes.extraVersions`: absent, or a list of release versions other than the default, each once. */
function checkExtraVersions(doc: Versions): void {
  const extra: unknown = doc.kubernetes.extraVersions;
  if (extra === undefined) return;
  const problem = (why: string) => new Error(`clusters/versions.yaml: kubernetes.extraVersions ${why}`);
  if (!Array.isArray(extra)) throw problem('must be a list of versions like v1.35.4');
  for (const [i, version] of extra.entries()) {
    if (typeof version !== 'string' || !/^v1\.\d+\.\d+$/.test(version))
      throw problem(`must be a list of versions like v1.35.4, got ${String(version)}`);
    if (version === doc.kubernetes.version) throw problem(`repeats the default version ${version}`);
    if (extra.indexOf(version) !== i) throw problem(`lists ${version} twice`);
  }
}

const ciliumExtraFields = ['version', 'commit', 'commitDate', 'gobgp', 'clang', 'packages'];

/** One `cilium.extraVersions` entry, or why it is wrong. */
function ciliumExtraProblem(entry: unknown, doc: Versions): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return 'must be a list of objects with version, commit and commitDate';
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !ciliumExtraFields.includes(k));
  if (unknown.length > 0) return `has an unknown field ${unknown.join(', ')} (fields: ${ciliumExtraFields.join(', ')})`;
  if (typeof e['version'] !== 'string' || !/^v1\.\d+\.\d+$/.test(e['version']))
    return `needs a version like v1.18.2, got ${String(e['version'])}`;
  if (e['version'] === doc.cilium.version) return `repeats the default version ${e['version']}`;
  if (typeof e['commit'] !== 'string' || !/^[0-9a-f]{12,40}$/.test(e['commit']))
    return `${e['version']}: commit must be the tag's commit hash (12 to 40 hex digits)`;
  if (typeof e['commitDate'] !== 'string' || Number.isNaN(Date.parse(e['commitDate'])))
    return `${e['version']}: commitDate must be a date like 2025-10-22T21:44:47Z`;
  for (const key of ['gobgp', 'clang'])
    if (key in e && typeof e[key] !== 'string') return `${e['version']}: ${key} must be a string`;
  const packages = e['packages'];
  if (packages !== undefined && (!Array.isArray(packages) || packages.some((p) => typeof p !== 'string')))
    return `${e['version']}: packages must be a list of Debian package names`;
  return undefined;
}

/** `cilium.extraVersions`: absent, or a list of versions other than the default, each once, with their pins. */
function checkCiliumExtraVersions(doc: Versions): void {
  const extra: unknown = doc.cilium.extraVersions;
  if (extra === undefined) return;
  const problem = (why: string) => new Error(`clusters/versions.yaml: cilium.extraVersions ${why}`);
  if (!Array.isArray(extra)) throw problem('must be a list of objects with version, commit and commitDate');
  const seen = new Set<string>();
  for (const entry of extra) {
    const why = ciliumExtraProblem(entry, doc);
    if (why !== undefined) throw problem(why);
    const { version } = entry as CiliumExtraVersion;
    if (seen.has(version)) throw problem(`lists ${version} twice`);
    seen.add(version);
  }
}

export function loadVersions(file = join(clustersDir, 'versions.yaml')): Versions {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  for (const path of required) {
    const value = field(doc, path);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`clusters/versions.yaml: ${path} must be a string or number`);
    }
  }
  checkExtraVersions(doc as Versions);
  checkCiliumExtraVersions(doc as Versions);
  return doc as Versions;
}

/** Where builds and images are cached: outside the repo, keyed by version. */
export const cacheRoot = process.env['NETPOL_KIT_CACHE'] ?? '/var/cache/netpol-harness-kit';

export const cache = {
  root: cacheRoot,
  logs: join(cacheRoot, 'logs'),
  go: join(cacheRoot, 'go'),
  rootfs: join(cacheRoot, 'rootfs'),
  images: join(cacheRoot, 'images'),
} as const;

/** The node image of a Kubernetes version (the default one unless said). */
export function nodeImageRef(v: Versions, kubernetesVersion = v.kubernetes.version): string {
  return `${v.node.image}:${kubernetesVersion}-kit${v.node.kitRevision}`;
}

/** The Cilium versions the kit builds: the default first, then those built on request (`--cilium`). */
export function ciliumChoices(v: Versions): string[] {
  return [v.cilium.version, ...(v.cilium.extraVersions ?? []).map((e) => e.version)];
}

/**
 * The pins with Cilium at another listed version: the extra version's own fields, the default's for
 * the rest, and its version as its image tag. Every Cilium step reads `cilium` from what it is given,
 * so the same steps build any version, each cached under its own tag. The default version: `v` itself.
 */
export function withCiliumVersion(v: Versions, version: string): Versions {
  if (version === v.cilium.version) return v;
  const extra = (v.cilium.extraVersions ?? []).find((e) => e.version === version);
  if (extra === undefined)
    throw new Error(`Cilium ${version} is not in clusters/versions.yaml (cilium.version or cilium.extraVersions)`);
  return { ...v, cilium: { ...v.cilium, ...extra, imageTag: extra.version } };
}

/** kind binary built by the kit (steps/go-builds.ts kindBuild); PATH is not relied on. */
export function kindBinary(v: Versions): string {
  return join(cache.go, `kind-${v.kind.version}`, 'bin', 'kind');
}
