import type { StepPrediction } from '../engine/predict-step.js';
import { batchArgv, batchSpec, probeArgv, type Prober, type ProbeTarget, type ProbeTimeouts } from './commands.js';
import { workloadIdentity } from './workload-spec.js';
import { NODE_LOCAL } from '../model/world.js';
import { EXTERNAL_PREFIX } from '../model/peer-pattern.js';
import type { CellRef } from '../model/expectations.js';

/** Where a logical endpoint lives on the target: its namespace and pod, and the IP to probe. */
export interface Placement {
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  /** What the server there answers with, when it is not a workload pod (an external's server). */
  readonly identity?: string;
  /** A server that is not ours (a real external): a TCP handshake or a UDP reply is the evidence. */
  readonly foreign?: boolean;
  /** The node the pod runs on (node sources need it: `node:local` probes from there). */
  readonly node?: string;
}

/** The placement key of the host-network probe pod on a node. */
export const hostKey = (node: string): string => `host:${node}`;

/** What the target offers beyond pods: Services, and host-network probe pods on its nodes. */
export interface PlanExtras {
  readonly services?: (key: string) => ServicePlacement | Unavailable | undefined;
  /** Nodes with a host-network probe pod (placed under hostKey(node)), or why there are none. */
  readonly hostNodes?: readonly string[] | Unavailable;
  /** `external:<name>` -> the external as a client (`nodeport` cells), or why it cannot be one. */
  readonly externalClients?: (key: string) => ExternalClientPlacement | Unavailable | undefined;
}

/** An endpoint the target cannot offer, with why (an external that could not be provisioned, say). */
export interface Unavailable {
  readonly unavailable: string;
}

/** Where a workload's Service answers on the target (run/services.ts finds it). */
export interface ServicePlacement {
  readonly clusterIP: string;
  /** `<service>.<namespace>.svc` (the pod's search list completes it). */
  readonly dnsName: string;
  /** A NodePort Service's node port per Service port (`80/TCP` -> 31234). */
  readonly nodePorts?: ReadonlyMap<string, number>;
}

/** An external as a client: its container, and node name -> that node's address on the external's network. */
export interface ExternalClientPlacement {
  readonly container: string;
  readonly nodeAddresses: ReadonlyMap<string, string>;
}

export type ProbeSubject =
  { readonly kind: 'cell'; readonly index: number } | { readonly kind: 'dns'; readonly index: number };

export interface PlannedProbe {
  readonly id: number;
  readonly subject: ProbeSubject;
  readonly target: ProbeTarget;
  readonly argv: readonly string[];
  /** The identity an answering workload must give (TCP), so reaching the wrong pod is caught. */
  readonly identity?: string;
  /** Set when the batch prober runs this probe: its target spec (tcp:IP:PORT, udp:..., dns:NAME). */
  readonly batch?: string;
}

export interface SourcePlan {
  readonly source: string;
  readonly namespace: string;
  readonly pod: string;
  /** The source pod's own IP: other sources' probes to it are judged by whether it is alive. */
  readonly ip?: string;
  readonly probes: readonly PlannedProbe[];
}

export interface ProbePlan {
  readonly sources: readonly SourcePlan[];
  /**
   * Cells not probed, with why: `unsupported` by default (SCTP on a kernel without it), `error` when
   * the target failed to deliver what the cell needs (a Service without a ready endpoint).
   */
  readonly skipped: ReadonlyArray<{ readonly index: number; readonly reason: string; readonly outcome?: 'error' }>;
  /** DNS lookups whose source cannot be probed here, with why (unsupported, as skipped cells). */
  readonly skippedDns?: ReadonlyArray<{ readonly index: number; readonly reason: string }>;
}

/**
 * Every cell and DNS cell of a step, grouped by source pod so each source needs one exec.
 * Ids are unique within a source; a cell's probe targets the destination's real IP, or for a
 * `service` cell the Service's cluster IP and port, for a `dns` cell its DNS name and port.
 */
export function planProbes(
  step: StepPrediction,
  placement: (key: string) => Placement | Unavailable | undefined,
  timeouts: ProbeTimeouts,
  capabilities: { sctp: boolean },
  prober: Prober = 'batch',
  extras: PlanExtras = {},
): ProbePlan {
  const services = extras.services ?? (() => undefined);
  const bySource = new Map<string, PlannedProbe[]>();
  const skipped: Array<{ index: number; reason: string; outcome?: 'error' }> = [];
  const add = (source: string, subject: ProbeSubject, target: ProbeTarget, identity?: string) => {
    const list = bySource.get(source) ?? [];
    const id = list.length;
    const batch = prober === 'batch' ? batchSpec(target) : undefined;
    const argv = batch ? batchArgv([{ id, spec: batch }], timeouts) : probeArgv(target, timeouts);
    list.push({ id, subject, target, argv, ...(identity ? { identity } : {}), ...(batch ? { batch } : {}) });
    bySource.set(source, list);
  };
  step.cells.forEach((cell, index) => {
    if (cell.port.protocol === 'SCTP' && !capabilities.sctp) {
      skipped.push({ index, reason: 'SCTP is not supported on this target (no SCTP in the node kernel)' });
      return;
    }
    const to = placement(cell.to.key);
    if (!to || 'unavailable' in to) {
      skipped.push({ index, reason: to?.unavailable ?? `${cell.to.key} has no address on this target` });
      return;
    }
    const identity =
      to.identity ?? (cell.to.kind === 'workload' ? workloadIdentity(cell.to.key, to.namespace) : undefined);
    const source = cell.from.kind === 'node' ? hostSource(cell.from.key, to, extras.hostNodes) : cell.from.key;
    if (typeof source !== 'string') {
      skipped.push({ index, reason: source.unavailable });
      return;
    }
    if (cell.via === 'nodeport' && cell.service) {
      const target = nodePortTarget(cell, to, services(cell.to.key), extras.externalClients?.(cell.from.key));
      if ('unavailable' in target) skipped.push({ index, reason: target.unavailable, outcome: target.outcome });
      else add(source, { kind: 'cell', index }, target, identity);
      return;
    }
    if (cell.via && cell.service) {
      const service = services(cell.to.key);
      if (!service || 'unavailable' in service) {
        skipped.push({ index, reason: service?.unavailable ?? `${cell.to.key} has no Service`, outcome: 'error' });
        return;
      }
      // The same server must answer through the Service as directly: the identity check holds.
      const host = cell.via === 'dns' ? service.dnsName : service.clusterIP;
      add(
        source,
        { kind: 'cell', index },
        { kind: 'connect', ip: host, port: cell.service.port, protocol: cell.port.protocol },
        identity,
      );
      return;
    }
    add(
      source,
      { kind: 'cell', index },
      {
        kind: 'connect',
        ip: to.ip,
        port: cell.port.port,
        protocol: cell.port.protocol,
        ...(to.foreign ? { handshakeOnly: true } : {}),
      },
      identity,
    );
  });
  const skippedDns: Array<{ index: number; reason: string }> = [];
  step.dns.forEach((d, index) => {
    const from = placement(d.from);
    if (from && 'unavailable' in from) skippedDns.push({ index, reason: from.unavailable });
    else add(d.from, { kind: 'dns', index }, { kind: 'dns', name: d.name });
  });
  const sources = [...bySource].flatMap(([source, probes]) => {
    const client = source.startsWith(EXTERNAL_PREFIX) ? extras.externalClients?.(source) : undefined;
    // An external client runs in its container (namespace ''); its own address is not a pod's.
    if (client && !('unavailable' in client)) return [{ source, namespace: '', pod: client.container, probes }];
    const where = placement(source);
    return where && !('unavailable' in where)
      ? [{ source, namespace: where.namespace, pod: where.pod, ip: where.ip, probes }]
      : [];
  });
  return { sources, skipped, ...(skippedDns.length ? { skippedDns } : {}) };
}

/**
 * The host-network probe pod a node source probes from: on the destination pod's own node
 * (`node:local`) or on the first other node (`node:remote`); or why there is none.
 */
function hostSource(
  key: string,
  to: Placement,
  hostNodes: readonly string[] | Unavailable | undefined,
): string | Unavailable {
  if (!hostNodes) return { unavailable: 'no host-network probe pods on this target' };
  if ('unavailable' in hostNodes) return hostNodes;
  if (!to.node) return { unavailable: `the node of ${to.namespace}/${to.pod} is not known` };
  const node = key === NODE_LOCAL ? to.node : hostNodes.find((n) => n !== to.node);
  if (!node)
    return { unavailable: `every pod of the scenario runs on ${to.node}: there is no other node to probe from` };
  return hostNodes.includes(node) ? hostKey(node) : { unavailable: `no host-network probe pod on node ${node}` };
}

/**
 * A `nodeport` cell's connection: from the external's container to the node port on the node where the
 * destination pod runs (with externalTrafficPolicy Local only that node answers), at that node's
 * address on the external's network. Or why it cannot be made: a missing piece of the target is an
 * `error` (the Service got no node port), a target without such externals `unsupported`.
 */
function nodePortTarget(
  cell: CellRef,
  to: Placement,
  service: ServicePlacement | Unavailable | undefined,
  client: ExternalClientPlacement | Unavailable | undefined,
): ProbeTarget | (Unavailable & { outcome?: 'error' }) {
  if (!client)
    return { unavailable: `${cell.from.key} is a client only beside kind targets, where it is a container we started` };
  if ('unavailable' in client) return client;
  if (!service || 'unavailable' in service)
    return { unavailable: service?.unavailable ?? `${cell.to.key} has no Service`, outcome: 'error' };
  const nodePort = service.nodePorts?.get(`${cell.service!.port}/${cell.port.protocol}`);
  if (nodePort === undefined)
    return {
      unavailable: `Service port ${cell.service!.port}/${cell.port.protocol} has no node port`,
      outcome: 'error',
    };
  const address = to.node ? client.nodeAddresses.get(to.node) : undefined;
  if (!address)
    return {
      unavailable: `node ${to.node ?? '?'} has no address on the network of ${cell.from.key}`,
      outcome: 'error',
    };
  return { kind: 'connect', ip: address, port: nodePort, protocol: cell.port.protocol };
}
