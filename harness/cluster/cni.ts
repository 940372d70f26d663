import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeGateway, KubeObject } from '../kube/gateway.js';
import { waitRolledOut } from './readiness.js';
import { CLUSTERS_DIR, KIT_CACHE, type ClusterVersions } from './versions.js';

/** A CNI the harness can put on a kind cluster, and how to know it is really ready. */
export interface CniInstaller {
  readonly name: string;
  /** The kind config (in clusters/) for this CNI: default CNI disabled or not, pod subnet. */
  readonly kindConfig: string;
  install(gw: KubeGateway, v: ClusterVersions, signal?: AbortSignal): Promise<void>;
}

const READY_TIMEOUT_MS = 300_000;

/** Calico in VXLAN mode, iptables dataplane: the kit's patched copy of the pinned upstream manifest. */
export const calico: CniInstaller = {
  name: 'calico',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-calico.yaml'),
  async install(gw, v, signal) {
    const manifest = path.join(KIT_CACHE, 'manifests', `calico-vxlan-${v.calico.imageTag}.yaml`);
    if (!existsSync(manifest)) throw new Error(`no Calico manifest at ${manifest}: run \`npm run kit -- build\` (offline) first`);
    const docs = parseAllDocuments(readFileSync(manifest, 'utf8')).map((d) => d.toJS() as KubeObject | null).filter((d): d is KubeObject => d !== null);
    // CRDs first, so nothing that depends on them races their registration.
    for (const doc of [...docs.filter((d) => d.kind === 'CustomResourceDefinition'), ...docs.filter((d) => d.kind !== 'CustomResourceDefinition')]) await gw.apply(doc);
    await waitRolledOut(gw, 'DaemonSet', 'kube-system', 'calico-node', READY_TIMEOUT_MS, signal);
    await waitRolledOut(gw, 'Deployment', 'kube-system', 'calico-kube-controllers', READY_TIMEOUT_MS, signal);
  },
};

/** kind's own kindnet: nothing to install; it enforces policy only where the kernel has NFT_QUEUE. */
export const kindnet: CniInstaller = {
  name: 'kindnet',
  kindConfig: path.join(CLUSTERS_DIR, 'kind-kindnet.yaml'),
  async install(gw, _v, signal) {
    await waitRolledOut(gw, 'DaemonSet', 'kube-system', 'kindnet', READY_TIMEOUT_MS, signal);
  },
};

export const CNI_INSTALLERS: Readonly<Record<string, CniInstaller>> = { calico, kindnet };
