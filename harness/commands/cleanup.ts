/**
 * `cleanup`: remove what runs left behind when they could not clean up themselves (SIGKILL, a
 * crash, a lost machine), found by the run label and, unless a run id is named, only where the
 * run's process on this host is gone.
 */
import { existingKindCluster, clusterPrefix, listKindClusters, kindClusterName } from '../cluster/kind-cluster.js';
import { isKindClusterOf } from '../model/cluster-names.js';
import { findExternalRuns, removeRunExternals } from '../cluster/externals.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { KubeGateway } from '../kube/gateway.js';
import { LiveGateway } from '../kube/live-gateway.js';
import { describeLeftovers, findRunLeftovers, removeLeftovers, thisHost, type RunLeftovers } from '../run/orphans.js';
import type { CommandIO } from './io.js';

export interface CleanupFlags {
  readonly cni?: readonly string[];
  readonly context?: readonly string[];
  readonly kubeconfig?: string;
  /** Remove this run's leftovers whatever its owner's state (the user says it is dead). */
  readonly run?: string;
  readonly dryRun?: boolean;
}

interface Target {
  readonly name: string;
  readonly gw: KubeGateway;
}

/**
 * --context targets, the kind clusters of each --cni (at every CNI and Kubernetes version), or
 * (neither given) every kind cluster of ours.
 */
async function targetsOf(flags: CleanupFlags, io: CommandIO): Promise<Target[]> {
  const targets: Target[] = (flags.context ?? []).map((context) => ({
    name: context,
    gw: new LiveGateway(flags.kubeconfig, context),
  }));
  if (!flags.cni && flags.context) return targets;
  const ours = (await listKindClusters()).filter((c) => c.startsWith(`${clusterPrefix()}-`));
  const kindNames = flags.cni
    ? flags.cni.flatMap((cni) => {
        const found = ours.filter((name) => isKindClusterOf(name, clusterPrefix(), cni));
        if (!found.length) io.err(`${kindClusterName(cni)}: no kind cluster of ${cni}; nothing to clean there`);
        return found;
      })
    : ours;
  for (const name of kindNames) {
    const cluster = await existingKindCluster(name);
    if (cluster) targets.push({ name, gw: cluster.gw });
    else io.err(`${name}: no such kind cluster; nothing to clean there`);
  }
  return targets;
}

function chosen(run: RunLeftovers | { runId: string; state: string }, flags: CleanupFlags): boolean {
  return flags.run !== undefined ? run.runId === flags.run : run.state === 'orphaned';
}

export async function cleanTarget(target: Target, flags: CleanupFlags, io: CommandIO): Promise<string[]> {
  const runs = await findRunLeftovers(target.gw, thisHost);
  const selected = runs.filter((r) => chosen(r, flags));
  for (const r of runs.filter((r) => !chosen(r, flags)))
    io.out(
      `${target.name}: left alone: ${describeLeftovers(r)}` +
        (r.state === 'orphaned' ? '' : ` (--run ${r.runId} removes them)`),
    );
  for (const r of selected)
    io.out(
      `${target.name}: ${flags.dryRun ? 'would remove' : 'removing'} ` +
        `${[...r.namespaces, ...r.clusterScoped].join(', ')} (${describeLeftovers(r)})`,
    );
  if (flags.dryRun) return [];
  return (await removeLeftovers(target.gw, selected)).failures.map((f) => `${target.name}: ${f}`);
}

async function cleanDocker(flags: CleanupFlags, io: CommandIO): Promise<void> {
  for (const run of await findExternalRuns(thisHost)) {
    if (!chosen(run, flags)) {
      io.out(`docker: left alone: externals of run ${run.runId} (${run.state}${run.owner ? `, ${run.owner}` : ''})`);
      continue;
    }
    io.out(`docker: ${flags.dryRun ? 'would remove' : 'removing'} the externals and networks of run ${run.runId}`);
    if (!flags.dryRun) await removeRunExternals(run.runId);
  }
}

export async function cleanupCommand(flags: CleanupFlags, io: CommandIO): Promise<ExitCode> {
  const failures: string[] = [];
  for (const target of await targetsOf(flags, io)) {
    try {
      failures.push(...(await cleanTarget(target, flags, io)));
    } catch (e) {
      failures.push(`${target.name}: ${(e as Error).message}`);
    }
  }
  if (!flags.context) await cleanDocker(flags, io);
  for (const f of failures) io.err(`cleanup: ${f}`);
  return failures.length ? EXIT.infrastructure : EXIT.ok;
}
