import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { DefaultVersions } from '../model/cluster-names.js';
import { imageRegistry, mirrorImage } from './image-mirror.js';

/** clusters/ in the package: kind configs, pinned versions, image lists, RBAC. */
export const CLUSTERS_DIR = fileURLToPath(new URL('../../clusters/', import.meta.url));

export interface ClusterVersions {
  readonly kind: { readonly version: string };
  /** `version` is the default; `extraVersions` are built only by `npm run kit -- build --kubernetes VERSION`. */
  readonly kubernetes: { readonly version: string; readonly extraVersions?: readonly string[] };
  readonly calico: { readonly imageTag: string; readonly manifest?: { readonly url: string; readonly sha256: string } };
  /**
   * Built only with `npm run kit -- build --with cilium`; each of `extraVersions` only with
   * `--cilium VERSION`, its image tag being its version.
   */
  readonly cilium?: { readonly imageTag: string; readonly extraVersions?: ReadonlyArray<{ readonly version: string }> };
  readonly probe: { readonly image: string; readonly imageTag: string };
  readonly node: { readonly image: string; readonly kitRevision: number };
}

export function loadClusterVersions(): ClusterVersions {
  return parse(readFileSync(path.join(CLUSTERS_DIR, 'versions.yaml'), 'utf8')) as ClusterVersions;
}

/** The offline kit's cache (scripts/offline-kit), where its kind binary and manifests live. */
export const KIT_CACHE = process.env['NETPOL_KIT_CACHE'] ?? '/var/cache/netpol-harness-kit';

/** Our own files (kubeconfigs of the clusters we create): never the user's kubeconfig. */
export const STATE_DIR = process.env['NETPOL_HARNESS_STATE'] ?? path.join(homedir(), '.cache', 'netpol-harness');

/**
 * Every version of each CNI the kit builds, by image tag, the default first: what `--cni cni@version`
 * and a matrix cell may ask for. A CNI it does not build (ptp, kindnet) has none.
 */
export function kitCniVersions(v: ClusterVersions): Readonly<Record<string, readonly string[]>> {
  return {
    calico: [v.calico.imageTag],
    ...(v.cilium ? { cilium: [v.cilium.imageTag, ...(v.cilium.extraVersions ?? []).map((e) => e.version)] } : {}),
  };
}

/** The versions a cluster gets when none is asked for; names leave them out (model/cluster-names.ts). */
export function kitDefaultVersions(v: ClusterVersions): DefaultVersions {
  const cni = Object.fromEntries(Object.entries(kitCniVersions(v)).map(([name, [first = '']]) => [name, first]));
  return { cni, kubernetes: v.kubernetes.version };
}

/** The Kubernetes versions kind clusters can run: the default first, then those the kit builds on request. */
export function kubernetesVersions(v: ClusterVersions): string[] {
  return [v.kubernetes.version, ...(v.kubernetes.extraVersions ?? [])];
}

/** NETPOL_HARNESS_NODE_IMAGE replaces the default version's node image only; other versions are the kit's. */
export const nodeImageOverride = (v: ClusterVersions, kubernetesVersion: string): string | undefined =>
  kubernetesVersion === v.kubernetes.version ? process.env['NETPOL_HARNESS_NODE_IMAGE'] || undefined : undefined;

/** The node image of a Kubernetes version (the default one unless said): `kind-node:<version>-kit<rev>`. */
export function kitNodeImage(v: ClusterVersions, kubernetesVersion = v.kubernetes.version): string {
  return nodeImageOverride(v, kubernetesVersion) ?? `${v.node.image}:${kubernetesVersion}-kit${v.node.kitRevision}`;
}

export function probeImage(v: ClusterVersions): string {
  return (
    process.env['NETPOL_HARNESS_PROBE_IMAGE'] ?? mirrorImage(`${v.probe.image}:${v.probe.imageTag}`, imageRegistry())
  );
}

/** kind from PATH, else the kit's build. */
export function kindBinary(v: ClusterVersions): string {
  const kit = path.join(KIT_CACHE, 'go', `kind-${v.kind.version}`, 'bin', 'kind');
  return process.env['NETPOL_HARNESS_KIND'] ?? (existsSync(kit) ? kit : 'kind');
}

/** Does this machine's kernel (the one kind nodes share) speak SCTP? */
export function kernelHasSctp(): boolean {
  return existsSync('/proc/sys/net/sctp');
}
