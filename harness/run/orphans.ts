import { hostname } from 'node:os';
import type { KubeGateway } from '../kube/gateway.js';
import { KEPT_ANNOTATION, RUN_LABEL } from '../model/cluster-names.js';
import {
  OWNER_ANNOTATION,
  ownerState,
  parseOwner,
  type Here,
  type OwnerState,
  type RunOwner,
} from '../model/run-owner.js';

/** What one run left on a target: its namespaces (everything else of a run lives inside them). */
export interface RunLeftovers {
  readonly runId: string;
  readonly owner?: RunOwner;
  /** `kept`: left by `run --keep-namespaces` on purpose, whatever its process's state. */
  readonly state: OwnerState | 'kept';
  readonly namespaces: readonly string[];
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
  const byRun = new Map<string, { owner?: RunOwner; kept?: boolean; namespaces: string[] }>();
  for (const ns of await gw.list('v1', 'Namespace')) {
    const runId = ns.metadata.labels?.[RUN_LABEL];
    if (!runId || runId === exceptRunId) continue;
    const entry = byRun.get(runId) ?? { namespaces: [] };
    const annotations = (ns.metadata['annotations'] ?? {}) as Record<string, string>;
    entry.owner ??= parseOwner(annotations[OWNER_ANNOTATION]);
    if (annotations[KEPT_ANNOTATION] === 'true') entry.kept = true;
    entry.namespaces.push(ns.metadata.name);
    byRun.set(runId, entry);
  }
  return [...byRun].map(([runId, e]) => ({
    runId,
    ...(e.owner ? { owner: e.owner } : {}),
    state: e.kept ? 'kept' : ownerState(e.owner, here),
    namespaces: e.namespaces.sort(),
  }));
}

/** Delete the namespaces of the given runs; every failure is returned with its namespace. */
export async function removeLeftovers(
  gw: KubeGateway,
  runs: readonly RunLeftovers[],
): Promise<{ removed: string[]; failures: string[] }> {
  const removed: string[] = [];
  const failures: string[] = [];
  for (const run of runs)
    for (const name of run.namespaces) {
      try {
        await gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        removed.push(name);
      } catch (e) {
        failures.push(`namespace ${name} (run ${run.runId}): ${(e as Error).message}`);
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
  return `run ${run.runId}: ${run.namespaces.length} namespace(s), ${why}`;
}
