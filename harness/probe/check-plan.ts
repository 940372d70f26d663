/**
 * What `check` probes on a real cluster: from a probe pod standing in for each source workload
 * class, to the real pods of every class (one per class, or every replica) on each declared
 * container port, by pod IP. Cells where no probe can give evidence either way are planned as
 * unverifiable, with the reason, and never probed. With Services (`--via service`), each source also
 * reaches each Service port by its cluster IP and by its DNS name: predicted for the classes behind
 * it, on the port they serve it on. Pure: the command prints this plan (--dry-run)
 * or runs it through harness/run's probe rounds.
 */
import type { ClusterPolicy } from '../model/admin-policy.js';
import { Prediction } from '../engine/predict.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import type { ServedPort, World } from '../model/world.js';
import { batchArgv, batchSpec, type ProbeTarget, type ProbeTimeouts } from './commands.js';
import { checkPodName, type CheckSourceClass } from './check-pod.js';
import type { PlannedProbe, ProbePlan } from './plan.js';

/** A member pod of a class (harness/inventory's ClassMember has these fields). */
export interface CheckMember {
  readonly name: string;
  readonly ip?: string;
  readonly phase: string;
  readonly ready: boolean;
}

/** A workload class as check plans it (harness/inventory's WorkloadClass has these fields). */
export interface CheckClass extends CheckSourceClass {
  readonly ports: readonly ServedPort[];
  readonly hostNetwork: boolean;
  readonly pods: readonly CheckMember[];
}

/**
 * A Service port as check reaches it (harness/inventory/service-routes.ts's ServiceRoute has these
 * fields): the classes behind it and the port each serves it on.
 */
export interface CheckRoute {
  readonly service: string;
  readonly port: ServedPort;
  readonly clusterIP?: string;
  readonly dnsName: string;
  readonly backends: ReadonlyArray<{ readonly key: string; readonly port: ServedPort; readonly hostNetwork: boolean }>;
}

/** How a Service is addressed: its cluster IP, or its DNS name (resolved in the probe pod). */
export type RouteAddress = 'cluster-ip' | 'dns-name';

/** Destination keys of Service cells: `svc:ns/name` by cluster IP, `svc-dns:ns/name` by DNS name. */
export const ROUTE_PREFIX: Record<RouteAddress, string> = { 'cluster-ip': 'svc:', 'dns-name': 'svc-dns:' };

/** How a cell is probed: a TCP handshake (netpol-server tcpconnect), or a DNS query to the server. */
export type CheckVia = 'tcpconnect' | 'dns';

export interface CheckCell {
  readonly from: string;
  readonly to: string;
  /** The real destination pod and its IP; absent when the class has no pod with an IP. */
  readonly pod?: string;
  readonly ip?: string;
  readonly port: ServedPort;
  /** The engine's verdict over networking.k8s.io/v1 policies alone. */
  readonly predicted: boolean;
  /**
   * The user's intent (`check --expect`), where a rule or matrix of it names this cell: the cell is
   * then judged against it, whatever governs it; elsewhere against the prediction.
   */
  readonly expected?: boolean;
  readonly via?: CheckVia;
  /** Why no probe can give evidence for this cell; set instead of `via`. */
  readonly unverifiable?: string;
  /**
   * Policies the engine does not model (cluster-scoped, CNI-native) that apply or may apply to either
   * end: the cell is then not judged by the prediction alone.
   */
  readonly governedBy?: readonly string[];
  /** A Service cell: `to` is `svc:ns/name` or `svc-dns:ns/name`, predicted for the classes behind it. */
  readonly route?: { readonly address: RouteAddress; readonly service: CheckRoute };
}

/** A probe pod to create: the class it stands in for, where, and its name. */
export interface CheckProbePod {
  readonly source: string;
  readonly namespace: string;
  readonly name: string;
}

export interface CheckPlan {
  readonly probePods: readonly CheckProbePod[];
  readonly cells: readonly CheckCell[];
  /** The probes, grouped by probe pod, in the shape harness/run/probe-round.ts runs. */
  readonly probes: ProbePlan;
  /** Source classes no probe pod can stand in for, with why. */
  readonly unprobedSources: ReadonlyArray<{ readonly source: string; readonly reason: string }>;
}

export interface CheckPlanOptions {
  readonly runId: string;
  readonly timeouts: ProbeTimeouts;
  /** Probe every replica of a destination class instead of one. */
  readonly allReplicas: boolean;
  /** The name asked of DNS servers (any answer, NXDOMAIN included, proves the server was reached). */
  readonly dnsName?: string;
  /** Class key -> why no probe pod may stand in for it (harness/probe/check-safety.ts). */
  readonly unsafeSources?: ReadonlyMap<string, string>;
  /** Class key -> the policies of other kinds that apply or may apply to it (`Kind ns/name`). */
  readonly governedBy?: ReadonlyMap<string, readonly string[]>;
  /** `--via`: probe the pods (by IP), the Services (by cluster IP and DNS name), or both. */
  readonly viaPods?: boolean;
  readonly routes?: readonly CheckRoute[];
}

export const CHECK_DNS_NAME = 'kubernetes.default.svc.cluster.local';

/** The engine's verdict for a class pair, read from a prediction over classesToWorld's world. */
export type Predictor = (from: string, to: string, port: ServedPort) => boolean;

/**
 * classesToWorld names a class's endpoint by its key, and a host-network class's by `host:<key>`
 * with the key as its name: both are found here by the class key.
 */
export function predictorFor(world: World, prediction: Prediction): Predictor {
  const index = new Map<string, number>();
  world.endpoints.forEach((e, i) => index.set(e.kind === 'external' ? e.name : e.key, i));
  return (from, to, port) => {
    const i = index.get(from);
    const j = index.get(to);
    if (i === undefined || j === undefined) throw new Error(`no endpoint for ${i === undefined ? from : to}`);
    return prediction.allowed(i, j, port);
  };
}

const HOST_SOURCE = "host-network pods send from their node's address: a probe pod cannot stand in for them";

/**
 * The prediction for the probe pods as they really are: each an endpoint of its own, with its
 * class's labels and namespace and its own IP. Differs from the class's prediction only where an
 * ipBlock covers the class's pods' IPs (a class split by an ipBlock, say): the probe pod sends from
 * an IP of its own. Destinations stay the real classes.
 */
export function predictorForProbePods(
  world: World,
  policies: readonly NetworkPolicy[],
  probeIps: ReadonlyMap<string, string>,
  clusterPolicies: readonly ClusterPolicy[] = [],
): Predictor {
  const probes = world.endpoints.flatMap((e) => {
    const ip = e.kind === 'workload' ? probeIps.get(e.key) : undefined;
    return ip ? [{ ...e, key: `${PROBE_PREFIX}${e.key}`, ip, ports: [] }] : [];
  });
  const extended: World = { ...world, endpoints: [...world.endpoints, ...probes] };
  const byClass = predictorFor(extended, new Prediction(extended, policies, clusterPolicies));
  return (from, to, port) => byClass(probeIps.has(from) ? `${PROBE_PREFIX}${from}` : from, to, port);
}

const PROBE_PREFIX = 'probe-pod:';

/**
 * The cells with their predictions made again (for the probe pods' real IPs). A cell planned as
 * unverifiable stays so (it has no probe); one whose Service's backends now disagree becomes so.
 */
export function repredictCells(cells: readonly CheckCell[], predict: Predictor): CheckCell[] {
  return cells.map((c) => {
    if (!c.route) return { ...c, predicted: predict(c.from, c.to, c.port) };
    const judged = routeJudgement(c.from, c.route.service, c.route.address, predict);
    const unverifiable = c.unverifiable ?? judged.unverifiable;
    return { ...c, predicted: judged.predicted, ...(unverifiable ? { unverifiable } : {}) };
  });
}

export function planCheck(classes: readonly CheckClass[], predict: Predictor, options: CheckPlanOptions): CheckPlan {
  const unsafe = options.unsafeSources ?? new Map<string, string>();
  const unprobedSources = classes.flatMap((c) => {
    const why = c.hostNetwork ? HOST_SOURCE : unsafe.get(c.key);
    return why ? [{ source: c.key, reason: why }] : [];
  });
  const sources = classes.filter((c) => !c.hostNetwork && !unsafe.has(c.key));
  const probePods = sources.map((c, i): CheckProbePod => ({
    source: c.key,
    namespace: c.namespace,
    name: checkPodName(options.runId, i, c),
  }));
  const podCells = (from: CheckClass) =>
    classes.flatMap((to) =>
      destinations(to, options.allReplicas).flatMap((member) =>
        to.ports.map((port) => ({
          ...cellOf(from, to, member, port, predict(from.key, to.key, port)),
          ...governed(options.governedBy, from.key, to.key),
        })),
      ),
    );
  const routeCells = (from: CheckClass) =>
    (options.routes ?? []).flatMap((route) =>
      addressesOf(route).map((address) => ({
        ...routeCell(from, route, address, predict),
        ...governed(options.governedBy, from.key, ...route.backends.map((b) => b.key)),
      })),
    );
  const viaPods = options.viaPods ?? true;
  const cells = sources.flatMap((from) => [...(viaPods ? podCells(from) : []), ...routeCells(from)]);
  return { probePods, cells, probes: probesOf(cells, probePods, options), unprobedSources };
}

function governed(
  by: ReadonlyMap<string, readonly string[]> | undefined,
  ...ends: readonly string[]
): { governedBy?: readonly string[] } {
  const names = [...new Set(ends.flatMap((k) => by?.get(k) ?? []))];
  return names.length ? { governedBy: names } : {};
}

/** One pod with an IP (a Ready one first), or every replica; a class without an IP still gets its cells. */
function destinations(to: CheckClass, allReplicas: boolean): Array<CheckMember | undefined> {
  const withIp = to.pods.filter((p) => p.ip);
  if (allReplicas) return to.pods.length ? [...to.pods] : [undefined];
  return [withIp.find((p) => p.ready) ?? withIp[0] ?? to.pods[0]];
}

function cellOf(
  from: CheckClass,
  to: CheckClass,
  member: CheckMember | undefined,
  port: ServedPort,
  predicted: boolean,
): CheckCell {
  const base = {
    from: from.key,
    to: to.key,
    ...(member ? { pod: member.name } : {}),
    ...(member?.ip ? { ip: member.ip } : {}),
    port,
    predicted,
  };
  const why = unverifiable(to, member, port);
  if (why) return { ...base, unverifiable: why };
  return { ...base, via: isDnsPort(port) ? 'dns' : 'tcpconnect' };
}

/** A cluster IP where there is one (not headless); a DNS name for TCP (a UDP server is asked by IP). */
function addressesOf(route: CheckRoute): RouteAddress[] {
  return [
    ...(route.clusterIP ? (['cluster-ip'] as const) : []),
    ...(route.port.protocol === 'TCP' ? (['dns-name'] as const) : []),
  ];
}

function routeCell(from: CheckClass, route: CheckRoute, address: RouteAddress, predict: Predictor): CheckCell {
  const base = {
    from: from.key,
    to: `${ROUTE_PREFIX[address]}${route.service}`,
    ...(address === 'cluster-ip' && route.clusterIP ? { ip: route.clusterIP } : {}),
    port: route.port,
    route: { address, service: route },
  };
  return { ...base, ...routeJudgement(from.key, route, address, predict) };
}

/**
 * A Service cell's prediction: that of the classes behind it, on the port each serves it on. When
 * they disagree, a connection reaches one of them by chance, so no single probe can judge the cell.
 */
function routeJudgement(
  from: string,
  route: CheckRoute,
  address: RouteAddress,
  predict: Predictor,
): Pick<CheckCell, 'predicted' | 'unverifiable' | 'via'> {
  const each = route.backends.map((b) => ({ key: b.key, allowed: predict(from, b.key, b.port) }));
  const predicted = each.some((b) => b.allowed);
  const why = routeUnverifiable(route, address, each);
  if (why) return { predicted, unverifiable: why };
  return { predicted, via: isDnsPort(route.port) ? 'dns' : 'tcpconnect' };
}

function routeUnverifiable(
  route: CheckRoute,
  address: RouteAddress,
  each: ReadonlyArray<{ key: string; allowed: boolean }>,
): string | undefined {
  if (!route.backends.length)
    return 'no ready pod of the checked namespaces is behind it (none matches its selector and serves this port)';
  if (route.backends.some((b) => b.hostNetwork))
    return "a host-network pod is behind it: it answers on its node's address, which podSelector cannot select";
  if (new Set(each.map((b) => b.allowed)).size > 1) {
    const which = each.map((b) => `${b.key} ${b.allowed ? 'allowed' : 'blocked'}`).join(', ');
    return `the classes behind it are predicted differently (${which}): a connection reaches one of them by chance`;
  }
  // A DNS server is asked by IP: a Service's name leads to no query of it.
  return protocolUnverifiable(route.port, address === 'cluster-ip');
}

function isDnsPort(port: ServedPort): boolean {
  return port.port === 53 && port.protocol === 'UDP';
}

/** Why a cell can give no evidence either way, or undefined when it can be probed. */
export function unverifiable(to: CheckClass, member: CheckMember | undefined, port: ServedPort): string | undefined {
  if (to.hostNetwork)
    return "host-network destination: it answers on its node's address, which podSelector cannot select";
  if (!member?.ip) return `${member ? member.name : to.key} has no IP (${member?.phase ?? 'no pod'})`;
  return protocolUnverifiable(port, true);
}

/** Why a port's protocol gives no evidence either way: SCTP, and UDP but a DNS server asked by IP. */
function protocolUnverifiable(port: ServedPort, byIp: boolean): string | undefined {
  if (port.protocol === 'SCTP')
    return 'SCTP: the batch prober has none, and a real SCTP server answers only its protocol';
  if (port.protocol === 'UDP' && !(isDnsPort(port) && byIp))
    return 'UDP of an unknown protocol: a real server answers only its own requests, so silence is no evidence';
  return undefined;
}

function probesOf(cells: readonly CheckCell[], pods: readonly CheckProbePod[], options: CheckPlanOptions): ProbePlan {
  const bySource = new Map(pods.map((p) => [p.source, [] as PlannedProbe[]]));
  const skipped: Array<{ index: number; reason: string }> = [];
  cells.forEach((cell, index) => {
    const host = cell.route?.address === 'dns-name' ? cell.route.service.dnsName : cell.ip;
    if (cell.unverifiable || !host) {
      skipped.push({ index, reason: cell.unverifiable ?? 'no IP' });
      return;
    }
    const list = bySource.get(cell.from)!;
    list.push(probeOf(list.length, index, cell, host, options));
  });
  return {
    sources: pods.map((p) => ({
      source: p.source,
      namespace: p.namespace,
      pod: p.name,
      probes: bySource.get(p.source)!,
    })),
    skipped,
  };
}

/** `host`: the pod's or cluster IP, or a Service's DNS name (the prober resolves it in the probe pod). */
function probeOf(id: number, index: number, cell: CheckCell, host: string, options: CheckPlanOptions): PlannedProbe {
  const subject = { kind: 'cell', index } as const;
  if (cell.via === 'dns') {
    const name = options.dnsName ?? CHECK_DNS_NAME;
    // nslookup asks that server directly; netpol-server's dns: probe asks the pod's own resolver.
    const seconds = Math.max(1, Math.ceil(options.timeouts.connectSeconds));
    const argv = ['nslookup', `-timeout=${seconds}`, '-retry=0', name, host];
    return { id, subject, target: { kind: 'dns', name }, argv };
  }
  // A handshake is the evidence: a real server may not speak HTTP, and it is not ours to ask.
  const target: ProbeTarget =
    cell.route?.address === 'dns-name'
      ? { kind: 'connect-name', host, port: cell.port.port }
      : { kind: 'connect', ip: host, port: cell.port.port, protocol: 'TCP', handshakeOnly: true };
  const batch = batchSpec(target)!;
  return { id, subject, target, argv: batchArgv([{ id, spec: batch }], options.timeouts), batch };
}
