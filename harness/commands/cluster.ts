import { Option } from 'commander';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { CNI_INSTALLERS, cniChoices } from '../cluster/cni.js';
import {
  clusterPrefix,
  deleteKindCluster,
  ensureKindCluster,
  kindClusterNameFor,
  kindNodes,
  listKindClusters,
  readClusterRecord,
} from '../cluster/kind-cluster.js';
import { DEFAULT_NODES, MAX_NODES } from '../cluster/kind-config.js';
import { kindTargetName } from '../cluster/kind-target.js';
import { kubernetesVersions, loadClusterVersions, probeImage } from '../cluster/versions.js';
import { formatCniRef, type CniRef } from '../model/cni-ref.js';
import { alignColumns } from '../report/console-style.js';
import { cniRef, kubernetesVersion } from './flags.js';
import type { CommandIO } from './io.js';

export interface ClusterUpOptions {
  /** Parsed by cniOption: a CNI, at a version the kit builds when it names one. */
  readonly cni: CniRef;
  readonly nodes: string;
  readonly name?: string;
  /** Parsed by kubernetesOption: one of clusters/versions.yaml's; absent, the default. */
  readonly kubernetes?: string;
}

export interface ClusterDownOptions {
  readonly cni?: CniRef;
  readonly name?: string;
  readonly kubernetes?: string;
}

/** `--kubernetes <version>` of `cluster up|down`; a version versions.yaml does not list is exit 3 with the choices. */
export function kubernetesOption(): Option {
  const choices = kubernetesVersions(loadClusterVersions());
  return new Option(
    '--kubernetes <version>',
    `Kubernetes version: ${choices.join(', ')} (default ${choices[0] ?? ''}; ` +
      'another one needs npm run kit -- build --kubernetes VERSION and gets its own cluster, ' +
      'netpol-harness-<cni>-k8s-<version>)',
  ).argParser(kubernetesVersion(choices));
}

/**
 * `--cni <cni>` of `cluster up|down`: `calico`, or `cilium@v1.18.2` for another version the kit
 * builds; anything else is exit 3 with the choices.
 */
export function cniOption(what: string): Option {
  const choices = cniChoices(loadClusterVersions());
  const others = Object.entries(choices).flatMap(([cni, [, ...extra]]) => extra.map((v) => `${cni}@${v}`));
  return new Option(
    '--cni <cni>',
    `${what}: ${Object.keys(choices).join(', ')}` +
      (others.length ? `, or another version the kit builds: ${others.join(', ')} (its own cluster)` : ''),
  ).argParser(cniRef(choices));
}

function nodeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES)
    throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_NODES}, got "${value}"`);
  return n;
}

/** `cluster up`: a kind cluster with its CNI ready, left up; prints how to reach it. */
export async function clusterUp(options: ClusterUpOptions, io: CommandIO): Promise<ExitCode> {
  const { cni, version } = options.cni;
  const nodes = nodeCount(options.nodes);
  const key = { cni, ...(version ? { cniVersion: version } : {}), kubernetesVersion: options.kubernetes };
  const label = kindTargetName(key);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const started = Date.now();
    const cluster = await ensureKindCluster(
      {
        cni,
        ...(version ? { cniVersion: version } : {}),
        nodes,
        images: [probeImage(loadClusterVersions())],
        ...(options.kubernetes ? { kubernetesVersion: options.kubernetes } : {}),
        ...(options.name ? { name: options.name } : {}),
      },
      (m) => io.err(`[${label}] ${Math.round((Date.now() - started) / 1000)} s  ${m}`),
      controller.signal,
    );
    io.out(`${cluster.name}: ${cluster.created ? 'created' : 'already up'}, ${CNI_INSTALLERS[cni]!.description}`);
    io.out(`  kubectl --kubeconfig ${cluster.kubeconfig} --context ${cluster.context} get pods -A`);
    io.out(`  netpol-harness run scenarios/ --context ${cluster.context} --kubeconfig ${cluster.kubeconfig}`);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** Clusters this harness may delete: ours by prefix or by the record `cluster up` wrote. */
function isOurs(name: string): boolean {
  return name.startsWith(`${clusterPrefix()}-`) || readClusterRecord(name) !== undefined;
}

/** The cluster `down` means: --name, or the cluster of --cni (at its version) at --kubernetes (default versions). */
function clusterToDelete(options: ClusterDownOptions): string {
  if (options.name && options.kubernetes)
    throw new UsageError('--kubernetes goes with --cni (the cluster of that CNI and version); --name says it alone');
  if (options.name) return options.name;
  if (!options.cni) throw new UsageError('say which cluster: --cni calico or --name NAME');
  const { cni, version } = options.cni;
  return kindClusterNameFor({
    cni,
    ...(version ? { cniVersion: version } : {}),
    kubernetesVersion: options.kubernetes,
  });
}

/** `cluster down`: delete the named cluster (or the CNI's at a version); never a cluster we did not make. */
export async function clusterDown(options: ClusterDownOptions, io: CommandIO): Promise<ExitCode> {
  const names = [clusterToDelete(options)];
  const existing = await listKindClusters();
  for (const name of names) {
    if (!existing.includes(name)) {
      io.err(`${name}: no such kind cluster (nothing to do)`);
      continue;
    }
    if (!isOurs(name))
      throw new UsageError(
        `${name} was not created by netpol-harness (no ${clusterPrefix()}- prefix, no record of it): not deleting it`,
      );
    await deleteKindCluster(name);
    io.out(`${name}: deleted`);
  }
  return EXIT.ok;
}

/** `cluster list`: the harness's kind clusters with their CNI and nodes. */
export async function clusterList(io: CommandIO, output: 'table' | 'json' = 'table'): Promise<ExitCode> {
  const ours = (await listKindClusters()).filter(isOurs);
  if (output === 'json') {
    const clusters = await Promise.all(ours.map(async (name) => clusterEntry(name)));
    io.out(JSON.stringify({ clusters }, null, 2));
    return EXIT.ok;
  }
  if (!ours.length) {
    io.out(
      `no netpol-harness kind clusters (create one: netpol-harness cluster up --cni calico --nodes ${DEFAULT_NODES})`,
    );
    return EXIT.ok;
  }
  const rows = [['name', 'cni', 'kubernetes', 'nodes', 'created', 'node image']];
  for (const name of ours) {
    const c = await clusterEntry(name);
    rows.push([c.name, c.cni, c.kubernetesVersion ?? '-', String(c.nodes), c.createdAt ?? '-', c.nodeImage ?? '-']);
  }
  for (const line of alignColumns(rows)) io.out(line);
  return EXIT.ok;
}

/** One of our clusters as `list` shows it: its record (when `cluster up` wrote one) and its live node count. */
async function clusterEntry(name: string): Promise<{
  name: string;
  cni: string;
  kubernetesVersion?: string;
  nodes: number;
  createdAt?: string;
  nodeImage?: string;
}> {
  const record = readClusterRecord(name);
  const nodes = await kindNodes(name).catch(() => []);
  return {
    name,
    cni: record
      ? formatCniRef({ cni: record.cni, version: record.cniVersion })
      : name.slice(clusterPrefix().length + 1),
    ...(record?.kubernetesVersion ? { kubernetesVersion: record.kubernetesVersion } : {}),
    nodes: nodes.length,
    ...(record?.createdAt ? { createdAt: record.createdAt } : {}),
    ...(record?.nodeImage ? { nodeImage: record.nodeImage } : {}),
  };
}
