import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CommandIO } from '../commands/io.js';
import { LiveGateway } from '../kube/live-gateway.js';
import { explainFailure, runCommand } from '../process/command.js';
import type { PreparedTarget } from '../run/runner.js';
import { clusterDnsIp, TargetError } from '../run/targets.js';
import { CNI_INSTALLERS } from './cni.js';
import { isolateCoreDns } from './coredns.js';
import { waitNodesReady, waitRolledOut } from './readiness.js';
import { STATE_DIR, kernelHasSctp, kindBinary, kitNodeImage, loadClusterVersions } from './versions.js';

export interface KindTargetSpec {
  readonly cni: string;
  /** Leave a cluster this run created up at the end (a reused one is always left up). */
  readonly keep: boolean;
  /** Images the run needs in the nodes; loaded from the local docker when missing there. */
  readonly images?: readonly string[];
}

/** `netpol-harness-<cni>`; NETPOL_HARNESS_CLUSTER_PREFIX changes the prefix (parallel jobs on one host). */
export const kindClusterName = (cni: string): string => `${process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] ?? 'netpol-harness'}-${cni}`;

/**
 * A kind cluster for one CNI, reused when it exists: created with its own kubeconfig file (the
 * user's current context is never touched), CoreDNS cut off from upstream, the CNI installed and
 * waited for. Torn down at the end when this run created it, unless kept.
 */
export async function prepareKindTarget(spec: KindTargetSpec, io: CommandIO, signal?: AbortSignal): Promise<PreparedTarget> {
  const installer = CNI_INSTALLERS[spec.cni];
  if (!installer) throw new TargetError(`unknown CNI "${spec.cni}" (supported here: ${Object.keys(CNI_INSTALLERS).join(', ')})`);
  const v = loadClusterVersions();
  const kind = kindBinary(v);
  const name = kindClusterName(spec.cni);
  const kubeconfig = path.join(STATE_DIR, 'kubeconfig', name);
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  const opts = signal ? { signal } : {};
  const existing = await runCommand(kind, ['get', 'clusters'], opts);
  if (!existing.ok) throw new TargetError(`cannot run kind: ${explainFailure(existing)}`);
  let reuse = existing.stdout.split('\n').includes(name);
  const started = Date.now();
  if (reuse) {
    io.err(`[${spec.cni}] reusing kind cluster ${name}`);
    const exported = await runCommand(kind, ['export', 'kubeconfig', '--name', name, '--kubeconfig', kubeconfig], opts);
    if (!exported.ok) {
      // Listed but broken (a half-finished delete leaves node containers without a control plane): replace it.
      io.err(`[${spec.cni}] ${name} is broken (${exported.stderr.split('\n')[0]}); deleting and creating it again`);
      const deleted = await runCommand(kind, ['delete', 'cluster', '--name', name], opts);
      if (!deleted.ok) throw new TargetError(`cannot delete the broken cluster ${name}: ${explainFailure(deleted)}`);
      reuse = false;
    }
  }
  if (!reuse) {
    io.err(`[${spec.cni}] creating kind cluster ${name} (node image ${kitNodeImage(v)}) ...`);
    const created = await runCommand(kind, ['create', 'cluster', '--name', name, '--image', kitNodeImage(v), '--config', installer.kindConfig, '--kubeconfig', kubeconfig], { timeoutMs: 600_000, ...opts });
    if (!created.ok) {
      await runCommand(kind, ['delete', 'cluster', '--name', name]);
      throw new TargetError(`kind create cluster failed: ${explainFailure(created)}`);
    }
  }
  const context = `kind-${name}`;
  const gw = new LiveGateway(kubeconfig, context);
  const remove = async () => {
    const deleted = await runCommand(kind, ['delete', 'cluster', '--name', name]);
    if (!deleted.ok) throw new Error(explainFailure(deleted));
  };
  const release = async () => {
    if (!reuse && !spec.keep) await remove();
  };
  try {
    if (!reuse) {
      io.err(`[${spec.cni}] cluster up after ${Math.round((Date.now() - started) / 1000)} s; isolating CoreDNS, installing ${installer.name} ...`);
      await isolateCoreDns(gw);
      await installer.install(gw, v, signal);
    }
    await preloadImages(kind, name, spec.images ?? [], io, signal);
    await waitNodesReady(gw, 300_000, signal);
    await waitRolledOut(gw, 'Deployment', 'kube-system', 'coredns', 300_000, signal);
    io.err(`[${spec.cni}] ready after ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (e) {
    // A cluster this run could not set up is deleted even with --keep: a later run would reuse it broken.
    if (!reuse && !process.env['NETPOL_HARNESS_KEEP_BROKEN']) await remove().catch(() => undefined);
    throw new TargetError(`[${spec.cni}] ${(e as Error).message}`);
  }
  const version = await gw.serverVersion();
  const sctp = kernelHasSctp();
  const dnsIp = await clusterDnsIp(gw);
  return {
    session: { name: spec.cni, cni: spec.cni, context, gw, sctp, ownCluster: true, ...(dnsIp ? { dnsIp } : {}) },
    info: { name: spec.cni, kind: 'kind', cni: spec.cni, context, kubernetesVersion: version, capabilities: { sctp } },
    release,
  };
}

/**
 * `kind load docker-image` for every image the local docker has: kind skips images already in the
 * nodes, so this costs seconds when nothing changed. Images docker does not have are left to the
 * node image (the offline kit bakes them in) or to the pull policy.
 */
async function preloadImages(kind: string, cluster: string, images: readonly string[], io: CommandIO, signal?: AbortSignal): Promise<void> {
  for (const image of images) {
    const local = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], signal ? { signal } : {});
    if (!local.ok) continue;
    const loaded = await runCommand(kind, ['load', 'docker-image', image, '--name', cluster], { timeoutMs: 600_000, ...(signal ? { signal } : {}) });
    if (!loaded.ok) throw new Error(`kind load docker-image ${image}: ${explainFailure(loaded)}`);
    if (/not yet present/.test(loaded.stderr + loaded.stdout)) io.err(`[${cluster}] loaded ${image} into the nodes`);
  }
}
