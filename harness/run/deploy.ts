import type { KubeGateway } from '../kube/gateway.js';
import { realNamespace } from '../model/cluster-names.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { Scenario } from '../model/scenario.js';
import { DNS_KEY, NODE_REMOTE } from '../model/world.js';
import { HOST_PROBE_NAMESPACE } from '../engine/node-sources.js';
import { deployHostProbes, NOT_ON_CONTEXTS, type HostProbes } from './host-probes.js';
import type { Placement, Unavailable } from '../probe/plan.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { applyTopology, NO_OVERRIDES } from './topology.js';
import { pollUntil } from '../util/poll.js';
import { placeServices, type ServicePlacements } from './services.js';

export interface Deployment {
  /** Logical namespace -> real namespace. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** Endpoint key -> where it runs and its real IP. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** Workload key -> where its Service answers, or why it cannot be probed (workloads with a Service only). */
  readonly services: ServicePlacements;
  /** Nodes with a host-network probe pod (placed under hostKey(node)), or why none: scenarios with node sources. */
  readonly hostNodes?: readonly string[] | Unavailable;
  /** The InternalIP the engine reads `node:remote` as. */
  readonly nodeIp?: string;
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
  /** Node sources get host-network probe pods (kind, or --allow-host-network); else NOT_ON_CONTEXTS. */
  readonly hostNetwork?: boolean;
  /** How long a Service may take to publish its ready endpoint once its pod is Ready. */
  readonly serviceReadyTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const SERVICE_READY_TIMEOUT_MS = 30_000;

/**
 * Namespaces, one pod per workload and the Services declared, then a bounded wait for every pod to be
 * Ready with an IP and for every Service to have its ready endpoint.
 */
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
          if (pod.ready && pod.ip)
            placements.set(key, {
              namespace: real,
              pod: pod.name,
              ip: pod.ip,
              ...(pod.node ? { node: pod.node } : {}),
            });
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
  const services = await placeServices(gw, scenario, namespaces, {
    timeoutMs: options.serviceReadyTimeoutMs ?? SERVICE_READY_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const hosts: HostProbes | undefined = scenario.probe?.fromNodes
    ? options.hostNetwork
      ? await deployHostProbes(gw, {
          namespace: realNamespace(HOST_PROBE_NAMESPACE, options.runId, options.deployment),
          nodes: [...placements.values()].flatMap((p) => (p.node ? [p.node] : [])),
          runId: options.runId,
          owner: options.owner,
          lane: options.lane,
          scenario: scenario.name,
          image: options.image,
          kept: options.kept ?? false,
          timeoutMs: options.podReadyTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : { nodes: NOT_ON_CONTEXTS, placements: new Map() }
    : undefined;
  for (const [key, p] of hosts?.placements ?? []) placements.set(key, p);
  return {
    namespaces,
    placements,
    services,
    ...(hosts ? { hostNodes: hosts.nodes } : {}),
    ...(hosts?.nodeIp ? { nodeIp: hosts.nodeIp } : {}),
    readyAfterMs: Date.now() - started,
  };
}

/** Real pod IPs for the engine, so ipBlock predictions use the addresses the cluster uses. */
export function realPodIPs(
  deployment: Deployment,
  dnsIp: string | undefined,
  externals: ReadonlyArray<{ name: string; ip: string }>,
): Map<string, string> {
  const ips = new Map([...deployment.placements].map(([key, p]) => [key, p.ip]));
  if (deployment.nodeIp) ips.set(NODE_REMOTE, deployment.nodeIp);
  if (dnsIp) ips.set(DNS_KEY, dnsIp);
  for (const e of externals) ips.set(`external:${e.name}`, e.ip);
  return ips;
}
