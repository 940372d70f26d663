// The Kubernetes versions the kit builds. The default one (clusters/versions.yaml `kubernetes.version`)
// is built by every `npm run kit -- build`, with the etcd, CoreDNS and pause versions pinned there. The
// extra ones (`kubernetes.extraVersions`) are built on request (`--kubernetes v1.35.4`), and what their
// kubeadm asks for is read from their own module source, cmd/kubeadm/app/constants/constants.go.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Versions } from './config.js';
import { moduleDir } from './go-module.js';

/** One Kubernetes version and the component versions its node image carries. */
export interface KubernetesRelease {
  readonly version: string;
  /** The published staging modules (k8s.io/api, client-go, ...) of this release. */
  readonly stagingVersion: string;
  /** etcd's module version and the image tag kubeadm asks for (`v3.6.6`, `3.6.6-0`). */
  readonly etcd: { readonly version: string; readonly imageTag: string };
  /** CoreDNS's module version, which is also its image tag (`v1.13.1`). */
  readonly coredns: string;
  readonly pauseTag: string;
  /** The default release also builds agnhost, for the probe image, which every node image carries. */
  readonly isDefault: boolean;
}

/** What kubeadm of one release asks for: the three tags constants.go pins. */
export interface KubeadmImageTags {
  readonly etcd: string;
  readonly coredns: string;
  readonly pause: string;
}

const SEMVER = /^v1\.(\d+)\.(\d+)$/;

export function defaultRelease(v: Versions): KubernetesRelease {
  return {
    version: v.kubernetes.version,
    stagingVersion: v.kubernetes.stagingVersion,
    etcd: { version: v.etcd.version, imageTag: v.etcd.imageTag },
    coredns: v.coredns.version,
    pauseTag: v.pause.imageTag,
    isDefault: true,
  };
}

/** The versions `--kubernetes` accepts: the default first, then the extra ones. */
export function kubernetesChoices(v: Versions): string[] {
  return [v.kubernetes.version, ...(v.kubernetes.extraVersions ?? [])];
}

/**
 * The staging modules' version for a release. It is not in the module source (a module zip leaves
 * out nested modules, and k8s.io/kubernetes requires them as v0.0.0 replaced by ./staging): the
 * publishing bot tags each staging repository v0.Y.Z for Kubernetes v1.Y.Z. The build then requires
 * every staging module at exactly that version, so a wrong one fails there, never silently.
 */
export function stagingVersionFor(version: string): string {
  const m = SEMVER.exec(version);
  if (m === null) throw new Error(`${version} is not a Kubernetes release version like v1.35.4`);
  return `v0.${m[1]}.${m[2]}`;
}

function stringConstant(source: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}\\s*=\\s*"([^"]+)"`, 'm').exec(source)?.[1];
}

/**
 * The etcd tag kubeadm picks for a cluster of its own minor: `SupportedEtcdVersion[minor]`, written
 * as `35: "3.6.6-0"` (v1.34 and older) or `uint8(getSkewedKubernetesVersion(0).Minor()): "3.6.6-0"`
 * (v1.35: the skew is relative to kubeadm's own version, the release built).
 */
function supportedEtcdTag(source: string, minor: number): string | undefined {
  const map = /SupportedEtcdVersion\s*=\s*map\[uint8\]string\{([^}]*)\}/.exec(source)?.[1];
  if (map === undefined) return undefined;
  for (const line of map.split('\n')) {
    const literal = /^\s*(\d+)\s*:\s*"([^"]+)"/.exec(line);
    if (literal !== null && Number(literal[1]) === minor) return literal[2];
    const skewed = /getSkewedKubernetesVersion\((-?\d+)\)\.Minor\(\)\)\s*:\s*"([^"]+)"/.exec(line);
    if (skewed !== null && Number(skewed[1]) === 0) return skewed[2];
  }
  return undefined;
}

/** The tags kubeadm of `version` asks for, from its constants.go; a string says what is missing. Pure. */
export function kubeadmImageTags(constantsGo: string, version: string): KubeadmImageTags | string {
  const minor = Number(SEMVER.exec(version)?.[1]);
  const etcd = supportedEtcdTag(constantsGo, minor);
  const coredns = stringConstant(constantsGo, 'CoreDNSVersion');
  const pause = stringConstant(constantsGo, 'PauseVersion');
  const missing = [
    ...(etcd === undefined ? [`SupportedEtcdVersion[${minor}]`] : []),
    ...(coredns === undefined ? ['CoreDNSVersion'] : []),
    ...(pause === undefined ? ['PauseVersion'] : []),
  ];
  if (missing.length > 0 || etcd === undefined || coredns === undefined || pause === undefined)
    return `kubeadm ${version}'s constants.go has no ${missing.join(', ')}`;
  return { etcd, coredns, pause };
}

/** etcd's image tag `3.6.6-0` is its release v3.6.6 plus an image revision. */
export function etcdModuleVersion(imageTag: string): string {
  return `v${imageTag.replace(/-\d+$/, '')}`;
}

export function releaseFromTags(version: string, tags: KubeadmImageTags): KubernetesRelease {
  return {
    version,
    stagingVersion: stagingVersionFor(version),
    etcd: { version: etcdModuleVersion(tags.etcd), imageTag: tags.etcd },
    coredns: tags.coredns,
    pauseTag: tags.pause,
    isDefault: false,
  };
}

const resolved = new Map<string, Promise<KubernetesRelease | string>>();

/**
 * A release the kit can build: the default from versions.yaml, an extra one from its module source
 * (downloaded through the Go module proxy once, then read from Go's module cache). A string says
 * why not.
 */
export function kubernetesRelease(v: Versions, version: string): Promise<KubernetesRelease | string> {
  if (version === v.kubernetes.version) return Promise.resolve(defaultRelease(v));
  if (!kubernetesChoices(v).includes(version))
    return Promise.resolve(
      `Kubernetes ${version} is not in clusters/versions.yaml (kubernetes.version or kubernetes.extraVersions)`,
    );
  let release = resolved.get(version);
  if (release === undefined) {
    release = readRelease(version);
    resolved.set(version, release);
  }
  return release;
}

async function readRelease(version: string): Promise<KubernetesRelease | string> {
  const dir = await moduleDir('k8s.io/kubernetes', version);
  if (typeof dir !== 'string') return dir.error;
  const tags = kubeadmImageTags(
    readFileSync(join(dir, 'cmd', 'kubeadm', 'app', 'constants', 'constants.go'), 'utf8'),
    version,
  );
  return typeof tags === 'string' ? tags : releaseFromTags(version, tags);
}

/** One line for the build's output: what a release's node image will carry. */
export function describeRelease(k: KubernetesRelease): string {
  return `staging ${k.stagingVersion}, etcd ${k.etcd.imageTag}, CoreDNS ${k.coredns}, pause ${k.pauseTag}`;
}
