import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LiveGateway } from '../kube/live-gateway.js';
import { kindClusterLabel, type KindClusterKey } from '../model/cluster-names.js';
import { explainFailure, runCommand } from '../process/command.js';
import { TargetError } from '../target/target-error.js';
import { CNI_INSTALLERS, checkCniVersion } from './cni.js';
import { isolateCoreDns } from './coredns.js';
import { loadImagesIntoNodes } from './image-load.js';
import { DEFAULT_NODES, kindConfigWithNodes } from './kind-config.js';
import { builtNodeImage, checkKubernetesVersion } from './node-image.js';
import { waitNodesReady, waitRolledOut } from './readiness.js';
import { STATE_DIR, kindBinary, kitCniVersions, kitDefaultVersions, loadClusterVersions } from './versions.js';

export interface KindClusterSpec {
  readonly cni: string;
  /**
   * A version of the CNI the kit builds (kitCniVersions: `cilium.version` or one of
   * `cilium.extraVersions`); absent, the default. Another one gets a cluster of its own.
   */
  readonly cniVersion?: string;
  /**
   * A Kubernetes version of clusters/versions.yaml (`kubernetes.version`, the default, or one of
   * `kubernetes.extraVersions`); its node image must be built (`npm run kit -- build --kubernetes V`).
   */
  readonly kubernetesVersion?: string;
  /** Cluster name; default kindClusterNameFor(spec). */
  readonly name?: string;
  /** Nodes when the cluster is created (one control plane, the rest workers); a reused cluster keeps its own. */
  readonly nodes?: number;
  /** Images the cluster needs; loaded from the local docker into the nodes when missing there. */
  readonly images?: readonly string[];
  /** Pods per node when the cluster is created (the kubelet's default is 110). */
  readonly maxPods?: number;
}

/** A kind cluster that is up, with its CNI ready, and the harness's own kubeconfig for it. */
export interface KindCluster {
  readonly name: string;
  readonly cni: string;
  readonly kubeconfig: string;
  readonly context: string;
  readonly gw: LiveGateway;
  /** This call created it (else it was reused). */
  readonly created: boolean;
  remove(): Promise<void>;
}

/** Progress lines while a cluster comes up ("creating ...", "installing calico ...", "ready after 67 s"). */
export type Progress = (message: string) => void;

/** `netpol-harness-<cni>`; NETPOL_HARNESS_CLUSTER_PREFIX changes the prefix (parallel jobs on one host). */
export const clusterPrefix = (): string => process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] ?? 'netpol-harness';

/** The cluster of a CNI at the default Kubernetes version: `netpol-harness-calico`. */
export const kindClusterName = (cni: string): string => `${clusterPrefix()}-${cni}`;

/**
 * kindClusterName at the default versions (the name clusters always had), and
 * `netpol-harness-calico-k8s-v1-35-4` or `netpol-harness-cilium-v1-18-2` at others, so clusters of
 * several versions live side by side.
 */
export function kindClusterNameFor(key: KindClusterKey): string {
  return kindClusterLabel(clusterPrefix(), key, kitDefaultVersions(loadClusterVersions()));
}

const kubeconfigPath = (name: string) => path.join(STATE_DIR, 'kubeconfig', name);
const recordPath = (name: string) => path.join(STATE_DIR, 'clusters', `${name}.json`);
const kindConfigPath = (name: string) => path.join(STATE_DIR, 'kind-config', `${name}.yaml`);

/** What `cluster list` shows of a cluster the harness created. */
export interface ClusterRecord {
  readonly name: string;
  readonly cni: string;
  readonly nodes: number;
  readonly nodeImage: string;
  /** Absent in records written before clusters had a version of their own (the default, then). */
  readonly kubernetesVersion?: string;
  /** The CNI's version as the kit builds it; absent for ptp and kindnet, and in records written before. */
  readonly cniVersion?: string;
  readonly createdAt: string;
}

export function readClusterRecord(name: string): ClusterRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordPath(name), 'utf8')) as ClusterRecord;
  } catch {
    return undefined;
  }
}

/**
 * Create a kind cluster for a CNI, or reuse it when it exists: its own kubeconfig file (the
 * user's current context is never touched), CoreDNS cut off from upstream, the CNI installed and
 * waited for, images loaded. A cluster this call created and could not set up is deleted.
 */
export async function ensureKindCluster(
  spec: KindClusterSpec,
  progress: Progress,
  signal?: AbortSignal,
): Promise<KindCluster> {
  const installer = CNI_INSTALLERS[spec.cni];
  if (!installer)
    throw new TargetError(`unknown CNI "${spec.cni}" (supported here: ${Object.keys(CNI_INSTALLERS).join(', ')})`);
  const v = loadClusterVersions();
  const kubernetesVersion = spec.kubernetesVersion ?? v.kubernetes.version;
  checkKubernetesVersion(v, kubernetesVersion);
  checkCniVersion(v, spec.cni, spec.cniVersion);
  // The version the CNI will run (the kit's default unless one is asked for): installed and recorded.
  const cniVersion = spec.cniVersion ?? kitCniVersions(v)[spec.cni]?.[0];
  const kind = kindBinary(v);
  const name = spec.name ?? kindClusterNameFor({ ...spec, kubernetesVersion });
  const kubeconfig = kubeconfigPath(name);
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  const opts = signal ? { signal } : {};
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const existing = await runCommand(kind, ['get', 'clusters'], opts);
  if (!existing.ok) throw new TargetError(`cannot run kind: ${explainFailure(existing)}`);
  let reuse = existing.stdout.split('\n').includes(name);
  if (reuse) {
    progress(`reusing kind cluster ${name}`);
    const exported = await runCommand(kind, ['export', 'kubeconfig', '--name', name, '--kubeconfig', kubeconfig], opts);
    if (!exported.ok) {
      // Listed but broken (a half-finished delete leaves node containers without a control plane): replace it.
      progress(`${name} is broken (${exported.stderr.split('\n')[0]}); deleting and creating it again`);
      const deleted = await runCommand(kind, ['delete', 'cluster', '--name', name], opts);
      if (!deleted.ok) throw new TargetError(`cannot delete the broken cluster ${name}: ${explainFailure(deleted)}`);
      reuse = false;
    }
  }
  const remove = () => deleteKindCluster(name);
  if (!reuse) {
    const notBuilt = installer.notBuilt?.(v, cniVersion);
    if (notBuilt) throw new TargetError(notBuilt);
    const nodeImage = await builtNodeImage(v, kubernetesVersion, opts);
    const nodes = spec.nodes ?? DEFAULT_NODES;
    const config = kindConfigPath(name);
    mkdirSync(path.dirname(config), { recursive: true });
    writeFileSync(
      config,
      kindConfigWithNodes(
        readFileSync(installer.kindConfig, 'utf8'),
        nodes,
        spec.maxPods ? { maxPods: spec.maxPods } : {},
      ),
    );
    progress(`creating kind cluster ${name}: ${nodes} node(s), node image ${nodeImage} ...`);
    const created = await runCommand(
      kind,
      ['create', 'cluster', '--name', name, '--image', nodeImage, '--config', config, '--kubeconfig', kubeconfig],
      { timeoutMs: 600_000, ...opts },
    );
    if (!created.ok) {
      await remove().catch(() => undefined);
      throw new TargetError(`kind create cluster failed: ${explainFailure(created)}`);
    }
    mkdirSync(path.dirname(recordPath(name)), { recursive: true });
    const record: ClusterRecord = {
      name,
      cni: spec.cni,
      nodes,
      nodeImage,
      kubernetesVersion,
      ...(cniVersion ? { cniVersion } : {}),
      createdAt: new Date().toISOString(),
    };
    writeFileSync(recordPath(name), JSON.stringify(record, null, 2));
  }
  const context = `kind-${name}`;
  const gw = new LiveGateway(kubeconfig, context);
  try {
    if (!reuse) {
      const cni = `${installer.name}${cniVersion ? ` ${cniVersion}` : ''}`;
      progress(`cluster up after ${elapsed()}; isolating CoreDNS, installing ${cni} ...`);
      await isolateCoreDns(gw);
      await installer.install({
        gw,
        versions: v,
        cluster: name,
        ...(cniVersion ? { cniVersion } : {}),
        ...(signal ? { signal } : {}),
      });
      progress(`${cni} ready after ${elapsed()}`);
    }
    // Images docker lacks are left to the node image (the offline kit bakes them in) or the pull policy.
    for (const image of await loadImagesIntoNodes(kind, name, spec.images ?? [], signal ? { signal } : {}))
      progress(`loaded ${image} into the nodes`);
    await waitNodesReady(gw, 300_000, signal);
    await waitRolledOut(gw, 'Deployment', 'kube-system', 'coredns', 300_000, signal);
    progress(`ready after ${elapsed()}`);
  } catch (e) {
    // A cluster this call could not set up is deleted: a later run would reuse it broken.
    if (!reuse && !process.env['NETPOL_HARNESS_KEEP_BROKEN']) await remove().catch(() => undefined);
    throw new TargetError(`[${spec.cni}] ${(e as Error).message}`);
  }
  return { name, cni: spec.cni, kubeconfig, context, gw, created: !reuse, remove };
}

/** kind clusters on this host (`kind get clusters`). */
export async function listKindClusters(): Promise<string[]> {
  const listed = await runCommand(kindBinary(loadClusterVersions()), ['get', 'clusters']);
  if (!listed.ok) throw new TargetError(`cannot run kind: ${explainFailure(listed)}`);
  return listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^No kind clusters/.test(l));
}

/**
 * A gateway to a kind cluster that already exists (never creates one), through the kubeconfig the
 * harness keeps for it, exported again from kind so a missing file is no obstacle.
 */
export async function existingKindCluster(name: string): Promise<{ gw: LiveGateway; context: string } | undefined> {
  if (!(await listKindClusters()).includes(name)) return undefined;
  const kubeconfig = kubeconfigPath(name);
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  const kind = kindBinary(loadClusterVersions());
  const exported = await runCommand(kind, ['export', 'kubeconfig', '--name', name, '--kubeconfig', kubeconfig]);
  if (!exported.ok) throw new TargetError(`cannot reach kind cluster ${name}: ${explainFailure(exported)}`);
  const context = `kind-${name}`;
  return { gw: new LiveGateway(kubeconfig, context), context };
}

/** Node container names of a kind cluster (`kind get nodes`). */
export async function kindNodes(name: string): Promise<string[]> {
  const listed = await runCommand(kindBinary(loadClusterVersions()), ['get', 'nodes', '--name', name]);
  if (!listed.ok) throw new TargetError(`cannot list the nodes of ${name}: ${explainFailure(listed)}`);
  return listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^No kind nodes/.test(l));
}

/** Delete a kind cluster and the harness's files for it. */
export async function deleteKindCluster(name: string): Promise<void> {
  const deleted = await runCommand(kindBinary(loadClusterVersions()), ['delete', 'cluster', '--name', name]);
  if (!deleted.ok) throw new TargetError(`kind delete cluster ${name}: ${explainFailure(deleted)}`);
  rmSync(kubeconfigPath(name), { force: true });
  rmSync(recordPath(name), { force: true });
  rmSync(kindConfigPath(name), { force: true });
}
