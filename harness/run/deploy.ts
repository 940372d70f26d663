import type { KubeGateway } from '../kube/gateway.js';
import { realNamespace } from '../model/cluster-names.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { Scenario } from '../model/scenario.js';
import { DNS_KEY } from '../model/world.js';
import type { Placement } from '../probe/plan.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { applyTopology, NO_OVERRIDES } from './topology.js';
import { pollUntil } from '../util/poll.js';

export interface Deployment {
  /** Logical namespace -> real namespace. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** Endpoint key -> where it runs and its real IP. */
  readonly placements: ReadonlyMap<string, Placement>;
  readonly readyAfterMs: number;
}

export interface DeployOptions {
  readonly runId: string;
  readonly owner: string;
  /** The lane the pods belong to. */
  readonly lane: number;
  /** This set of pods within the lane (part of the real namespace names). */
  readonly deployment: string;
  readonly image: WorkloadImage;
  readonly sctp: boolean;
  /** Spread pods over all nodes, control plane included (kind only). */
  readonly spread: boolean;
  /** --keep-namespaces: the namespaces say so, and outlive the run. */
  readonly kept?: boolean;
  readonly podReadyTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Namespaces and one pod per workload, then a bounded wait for every pod to be Ready with an IP. */
export async function deployScenario(gw: KubeGateway, scenario: Scenario, options: DeployOptions): Promise<Deployment> {
  const started = Date.now();
  const namespaces = new Map(
    scenario.namespaces.map((n) => [n.name, realNamespace(n.name, options.runId, options.deployment)]),
  );
  // Deployed with the first step's labels; reconcileStep relabels only when a later step changes them.
  await applyTopology(
    {
      gw,
      scenario,
      namespaces,
      runId: options.runId,
      owner: options.owner,
      lane: options.lane,
      image: options.image,
      sctp: options.sctp,
      spread: options.spread,
      kept: options.kept ?? false,
    },
    scenario.steps[0]?.labels ?? NO_OVERRIDES,
  );
  const placements = new Map<string, Placement>();
  await pollUntil(
    `pods of ${scenario.name} to be Ready`,
    async () => {
      const stuck: string[] = [];
      for (const [logical, real] of namespaces) {
        for (const pod of await gw.podStatuses(real)) {
          const key = workloadKey(logical, pod.name);
          if (pod.ready && pod.ip) placements.set(key, { namespace: real, pod: pod.name, ip: pod.ip });
          else
            stuck.push(`${real}/${pod.name} ${pod.phase}${pod.problems.length ? ` (${pod.problems.join('; ')})` : ''}`);
        }
      }
      const missing = scenario.workloads.filter((w) => !placements.has(workloadKey(w.namespace, w.name)));
      return missing.length === 0
        ? { done: true }
        : { waiting: stuck.length ? `not ready: ${stuck.join(', ')}` : `${missing.length} pods not created yet` };
    },
    { timeoutMs: options.podReadyTimeoutMs, intervalMs: 500, ...(options.signal ? { signal: options.signal } : {}) },
  );
  return { namespaces, placements, readyAfterMs: Date.now() - started };
}

/** Real pod IPs for the engine, so ipBlock predictions use the addresses the cluster uses. */
export function realPodIPs(
  deployment: Deployment,
  dnsIp: string | undefined,
  externals: ReadonlyArray<{ name: string; ip: string }>,
): Map<string, string> {
  const ips = new Map([...deployment.placements].map(([key, p]) => [key, p.ip]));
  if (dnsIp) ips.set(DNS_KEY, dnsIp);
  for (const e of externals) ips.set(`external:${e.name}`, e.ip);
  return ips;
}
