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
  readonly cilium: {
    readonly module: string;
    readonly version: string;
    readonly commit: string;
    readonly commitDate: string;
    readonly imageTag: string;
    readonly gobgp: string;
    readonly clang: string;
  };
  readonly helm: { readonly module: string; readonly version: string };
  readonly node: { readonly image: string; readonly kitRevision: number };
}

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

export function loadVersions(file = join(clustersDir, 'versions.yaml')): Versions {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  for (const path of required) {
    const value = field(doc, path);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`clusters/versions.yaml: ${path} must be a string or number`);
    }
  }
  checkExtraVersions(doc as Versions);
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

/** kind binary built by the kit (steps/go-builds.ts kindBuild); PATH is not relied on. */
export function kindBinary(v: Versions): string {
  return join(cache.go, `kind-${v.kind.version}`, 'bin', 'kind');
}
