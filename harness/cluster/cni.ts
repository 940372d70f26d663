import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeGateway } from '../kube/gateway.js';
import type { KubeObject } from '../model/kube-object.js';
import { explainFailure, runCommand } from '../process/command.js';
import { TargetError } from '../target/target-error.js';
import { pollUntil } from '../util/poll.js';
import { downloadCalicoManifest } from './calico-manifest.js';
import { loadImagesIntoNodes } from './image-load.js';
import { imageRegistry, mirrorImages } from './image-mirror.js';
import { ptpNodeScript, type NodeNetwork } from './ptp-network.js';
import { waitRolledOut } from './readiness.js';
import { CLUSTERS_DIR, KIT_CACHE, kindBinary, kitCniVersions, type ClusterVersions } from './versions.js';

export interface InstallContext {
  readonly gw: KubeGateway;
  readonly versions: ClusterVersions;
  /** The kind cluster's name: its node containers are `docker exec`-able by their node names. */
  readonly cluster: string;
  /** The CNI's version, one of kitCniVersions; absent: the kit's default. */
  readonly cniVersion?: string;
  readonly signal?: AbortSignal;
}

/** A CNI the harness can put on a kind cluster, and how to know it is really ready. */
export interface CniInstaller {
  readonly name: string;
  /** The kind config (in clusters/) for this CNI: default CNI disabled or not, pod subnet. */
  readonly kindConfig: string;
  /** What it is, for `cluster list` and help. */
  readonly description: string;
  /** Why it cannot be installed at this version here (the kit has not built it), asked before `kind create`. */
  notBuilt?(versions: ClusterVersions, cniVersion?: string): string | undefined;
  install(ctx: InstallContext): Promise<void>;
}

const READY_TIMEOUT_MS = 300_000;

/** Calico in VXLAN mode, iptables dataplane: the kit's patched copy of the pinned upstream manifest. */
export const calico: CniInstaller = {
  name: 'calico',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-calico.yaml'),
  description: 'Calico (VXLAN, iptables dataplane): enforces NetworkPolicy',
  async install({ gw, versions, signal }) {
    const docs = parseAllDocuments(await calicoManifest(versions))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((d): d is KubeObject => d !== null);
    // CRDs first, so nothing that depends on them races their registration.
    for (const doc of [
      ...docs.filter((d) => d.kind === 'CustomResourceDefinition'),
      ...docs.filter((d) => d.kind !== 'CustomResourceDefinition'),
    ])
      await gw.apply(mirrorImages(doc, imageRegistry()));
    await waitRolledOut(gw, 'DaemonSet', 'kube-system', 'calico-node', READY_TIMEOUT_MS, signal);
    await waitRolledOut(gw, 'Deployment', 'kube-system', 'calico-kube-controllers', READY_TIMEOUT_MS, signal);
  },
};

/**
 * The offline kit's patched copy; without a kit, the pinned upstream file (checksum verified), patched
 * the same way.
 */
async function calicoManifest(versions: ClusterVersions): Promise<string> {
  const kit = path.join(KIT_CACHE, 'manifests', `calico-vxlan-${versions.calico.imageTag}.yaml`);
  if (existsSync(kit)) return readFileSync(kit, 'utf8');
  const pinned = versions.calico.manifest;
  if (!pinned) throw new Error(`no Calico manifest at ${kit}: run \`npm run kit -- build\` (offline) first`);
  try {
    return await downloadCalicoManifest(pinned.url, pinned.sha256);
  } catch (e) {
    throw new Error(
      `no offline kit manifest at ${kit}, and the online one could not be used: ${(e as Error).message}. ` +
        'Offline, run `npm run kit -- build` first',
    );
  }
}

/** kind's own kindnet: nothing to install; it enforces policy only where the kernel has NFT_QUEUE. */
export const kindnet: CniInstaller = {
  name: 'kindnet',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-kindnet.yaml'),
  description: "kind's default CNI (needs a node image with kindnetd): enforces NetworkPolicy only with NFT_QUEUE",
  async install({ gw, signal }) {
    await waitRolledOut(gw, 'DaemonSet', 'kube-system', 'kindnet', READY_TIMEOUT_MS, signal);
  },
};

type NodeObject = KubeObject & {
  spec?: { podCIDR?: string };
  status?: { addresses?: Array<{ type: string; address: string }> };
};

/** Every node with its pod CIDR (allocated by the controller manager) and InternalIP. */
async function nodeNetworks(gw: KubeGateway, signal?: AbortSignal): Promise<NodeNetwork[]> {
  return pollUntil<NodeNetwork[]>(
    'every node to get a pod CIDR',
    async () => {
      const nodes = (await gw.list('v1', 'Node')) as NodeObject[];
      const networks = nodes.map((n) => ({
        name: n.metadata.name,
        podCidr: n.spec?.podCIDR ?? '',
        internalIp: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
      }));
      const waiting = networks.filter((n) => !n.podCidr || !n.internalIp).map((n) => n.name);
      return nodes.length && !waiting.length
        ? { done: networks }
        : { waiting: waiting.length ? `no pod CIDR or address yet: ${waiting.join(', ')}` : 'no nodes' };
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 1000, ...(signal ? { signal } : {}) },
  );
}

/**
 * The non-enforcing baseline, buildable anywhere: the CNI reference plugins (ptp, host-local) the
 * node image carries, set up on each node the way kindnet would (its pod CIDR, routes to the
 * others). The kit cannot build kindnetd here (its module is not on the Go module proxy).
 */
export const ptp: CniInstaller = {
  name: 'ptp',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-ptp.yaml'),
  description: 'CNI reference plugins ptp + host-local: pod networking, no NetworkPolicy (the non-enforcing baseline)',
  async install({ gw, signal }) {
    const networks = await nodeNetworks(gw, signal);
    for (const node of networks) {
      const done = await runCommand('docker', ['exec', '-i', node.name, 'sh'], {
        input: ptpNodeScript(node, networks),
        timeoutMs: 60_000,
        ...(signal ? { signal } : {}),
      });
      if (!done.ok) throw new Error(`setting up ptp networking on ${node.name}: ${explainFailure(done)}`);
    }
  },
};

/** Every container and init container image the objects name, once each. Pure. */
export function containerImages(objects: readonly unknown[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) {
        const image =
          (key === 'containers' || key === 'initContainers') && v && typeof v === 'object'
            ? (v as { image?: unknown }).image
            : undefined;
        if (typeof image === 'string') found.add(image);
        walk(v);
      }
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(objects);
  return [...found];
}

/** The manifest the kit rendered for a Cilium version (its image tag): `manifests/cilium-<tag>.yaml`. */
const ciliumManifest = (tag: string): string => path.join(KIT_CACHE, 'manifests', `cilium-${tag}.yaml`);

/** The kit command that builds a Cilium version: the default with `--with cilium`, another with `--cilium`. */
export function ciliumKitCommand(versions: ClusterVersions, tag: string): string {
  return tag === versions.cilium?.imageTag
    ? 'npm run kit -- build --with cilium'
    : `npm run kit -- build --with cilium --cilium ${tag}`;
}

const ciliumTag = (versions: ClusterVersions, cniVersion?: string): string | undefined =>
  cniVersion ?? versions.cilium?.imageTag;

function ciliumNotBuilt(versions: ClusterVersions, cniVersion?: string): string | undefined {
  const tag = ciliumTag(versions, cniVersion);
  if (!tag) return 'clusters/versions.yaml has no cilium.imageTag';
  return existsSync(ciliumManifest(tag))
    ? undefined
    : `no Cilium ${tag} manifest at ${ciliumManifest(tag)}: run \`${ciliumKitCommand(versions, tag)}\` (offline) first`;
}

/**
 * Cilium from the offline kit (`npm run kit -- build --with cilium`, and `--cilium VERSION` for
 * another version): the chart of the pinned module rendered by helm at build time. VXLAN, kube-proxy
 * kept, no Envoy (l7Proxy off).
 */
export const cilium: CniInstaller = {
  name: 'cilium',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-cilium.yaml'),
  description: 'Cilium (VXLAN, kube-proxy kept, no L7 proxy): enforces NetworkPolicy',
  notBuilt: ciliumNotBuilt,
  async install({ gw, versions, cluster, cniVersion, signal }) {
    const problem = ciliumNotBuilt(versions, cniVersion);
    if (problem) throw new Error(problem);
    const tag = ciliumTag(versions, cniVersion) ?? '';
    const docs = parseAllDocuments(readFileSync(ciliumManifest(tag), 'utf8'))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((d): d is KubeObject => d !== null);
    const registry = imageRegistry();
    // Loaded at creation, not baked into the node image: baking them would rebuild and grow the node
    // image for every Calico user.
    const missing = (image: string) =>
      `${image} is not in the local docker: run \`${ciliumKitCommand(versions, tag)}\` (offline), ` +
      'or set NETPOL_HARNESS_IMAGE_REGISTRY to a mirror that has it';
    if (!registry)
      await loadImagesIntoNodes(kindBinary(versions), cluster, containerImages(docs), {
        missing,
        ...(signal ? { signal } : {}),
      });
    for (const doc of docs) await gw.apply(mirrorImages(doc, registry));
    await waitRolledOut(gw, 'DaemonSet', 'kube-system', 'cilium', READY_TIMEOUT_MS, signal);
    await waitRolledOut(gw, 'Deployment', 'kube-system', 'cilium-operator', READY_TIMEOUT_MS, signal);
  },
};

export const CNI_INSTALLERS: Readonly<Record<string, CniInstaller>> = { calico, cilium, ptp, kindnet };

/** Each CNI the harness installs, with the versions the kit builds (the default first; none for ptp, kindnet). */
export function cniChoices(v: ClusterVersions): Record<string, readonly string[]> {
  const built = kitCniVersions(v);
  return Object.fromEntries(Object.keys(CNI_INSTALLERS).map((cni) => [cni, built[cni] ?? []]));
}

/** A version of the CNI the kit builds (absent: the default), or a TargetError listing the ones it does. */
export function checkCniVersion(v: ClusterVersions, cni: string, cniVersion: string | undefined): void {
  const built = kitCniVersions(v)[cni] ?? [];
  if (cniVersion === undefined || built.includes(cniVersion)) return;
  throw new TargetError(
    built.length
      ? `${cni} ${cniVersion} is not one the offline kit builds (choose from ${built.join(', ')}; ` +
          'clusters/versions.yaml lists them)'
      : `${cni} has no versions to choose from`,
  );
}
