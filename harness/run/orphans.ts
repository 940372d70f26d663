import { hostname } from 'node:os';
import { KubeError, type KubeGateway } from '../kube/gateway.js';
import { CLUSTER_POLICY_KINDS, KIND_API_VERSIONS } from '../model/admin-policy.js';
import { KEPT_ANNOTATION, RUN_LABEL } from '../model/cluster-names.js';
import { clusterScopedKey, parseClusterScopedKey } from '../model/cluster-scoped.js';
import type { KubeObject } from '../model/kube-object.js';
import {
  OWNER_ANNOTATION,
  ownerState,
  parseOwner,
  type Here,
  type OwnerState,
  type RunOwner,
} from '../model/run-owner.js';

/**
 * What one run left on a target: its namespaces (everything namespaced of a run lives inside them) and
 * its cluster-scoped policies (`AdminNetworkPolicy/<name>`), which outlive namespaces.
 */
export interface RunLeftovers {
  readonly runId: string;
  readonly owner?: RunOwner;
  /** `kept`: left by `run --keep-namespaces` on purpose, whatever its process's state. */
  readonly state: OwnerState | 'kept';
  readonly namespaces: readonly string[];
  readonly clusterScoped: readonly string[];
}

/** This host, and whether a process of it is alive (signal 0: EPERM means alive but not ours). */
export const thisHost: Here = {
  host: hostname(),
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/** Every run's namespaces on a target, grouped by run id, each with whether its process is gone. */
export async function findRunLeftovers(gw: KubeGateway, here: Here, exceptRunId?: string): Promise<RunLeftovers[]> {
  type Entry = { owner?: RunOwner; kept?: boolean; namespaces: string[]; clusterScoped: string[] };
  const byRun = new Map<string, Entry>();
  const entryOf = (object: KubeObject): Entry | undefined => {
    const runId = object.metadata.labels?.[RUN_LABEL];
    if (!runId || runId === exceptRunId) return undefined;
    const entry = byRun.get(runId) ?? { namespaces: [], clusterScoped: [] };
    byRun.set(runId, entry);
    const annotations = (object.metadata['annotations'] ?? {}) as Record<string, string>;
    entry.owner ??= parseOwner(annotations[OWNER_ANNOTATION]);
    return entry;
  };
  for (const ns of await gw.list('v1', 'Namespace')) {
    const entry = entryOf(ns);
    if (!entry) continue;
    if ((ns.metadata['annotations'] as Record<string, string> | undefined)?.[KEPT_ANNOTATION] === 'true')
      entry.kept = true;
    entry.namespaces.push(ns.metadata.name);
  }
  for (const object of await listClusterScoped(gw)) entryOf(object)?.clusterScoped.push(clusterScopedKey(object));
  return [...byRun].map(([runId, e]) => ({
    runId,
    ...(e.owner ? { owner: e.owner } : {}),
    state: e.kept ? 'kept' : ownerState(e.owner, here),
    namespaces: e.namespaces.sort(),
    clusterScoped: e.clusterScoped.sort(),
  }));
}

/** Delete the cluster-scoped policies one run created (they outlive its namespaces); their keys. */
export async function removeRunClusterScoped(gw: KubeGateway, runId: string): Promise<string[]> {
  const ours = (await listClusterScoped(gw)).filter((o) => o.metadata.labels?.[RUN_LABEL] === runId);
  for (const o of ours)
    await gw.remove({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name } });
  return ours.map(clusterScopedKey);
}

function forbiddenAsNone(e: unknown): KubeObject[] {
  if (e instanceof KubeError && e.code === 403) return [];
  throw e;
}

/** Every AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy the cluster serves. */
async function listClusterScoped(gw: KubeGateway): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const kind of CLUSTER_POLICY_KINDS)
    for (const apiVersion of KIND_API_VERSIONS[kind]) {
      const served = await gw.servedKinds(apiVersion).catch(() => undefined);
      if (!served?.includes(kind)) continue;
      // An identity without netpol-harness-cluster-scoped cannot have created any (nor list them).
      out.push(...(await gw.list(apiVersion, kind).catch(forbiddenAsNone)));
      break; // one served version lists every object of the kind
    }
  return out;
}

/** Delete the namespaces of the given runs; every failure is returned with its namespace. */
export async function removeLeftovers(
  gw: KubeGateway,
  runs: readonly RunLeftovers[],
): Promise<{ removed: string[]; failures: string[] }> {
  const removed: string[] = [];
  const failures: string[] = [];
  for (const run of runs) {
    for (const name of run.namespaces) {
      try {
        await gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        removed.push(name);
      } catch (e) {
        failures.push(`namespace ${name} (run ${run.runId}): ${(e as Error).message}`);
      }
    }
    for (const key of run.clusterScoped) {
      const { kind, name } = parseClusterScopedKey(key)!;
      try {
        for (const apiVersion of KIND_API_VERSIONS[kind]) await gw.remove({ apiVersion, kind, metadata: { name } });
        removed.push(key);
      } catch (e) {
        failures.push(`${key} (run ${run.runId}): ${(e as Error).message}`);
      }
    }
  }
  return { removed, failures };
}

export function describeLeftovers(run: RunLeftovers): string {
  const who = run.owner ? `${run.owner.host} pid ${run.owner.pid}` : 'an unknown process';
  const why = {
    orphaned: `its process (${who}) is gone`,
    running: `still running (${who})`,
    elsewhere: `made on ${who}: it may still be running there`,
    unknown: 'no owner recorded',
    kept: `kept on purpose (run --keep-namespaces, ${who})`,
  }[run.state];
  const cluster = run.clusterScoped.length ? ` and ${run.clusterScoped.length} cluster-scoped policy(ies)` : '';
  return `run ${run.runId}: ${run.namespaces.length} namespace(s)${cluster}, ${why}`;
}
