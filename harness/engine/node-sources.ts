/**
 * Cells from nodes: a host-network probe pod on the destination pod's own node (`node:local`, what
 * the kubelet's health checks are) and on another node (`node:remote`). Pure.
 *
 * What the spec says (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - "traffic to and from the node where a Pod is running is always allowed, regardless of the IP
 *   address of the Pod or the node": `node:local` is allowed, whatever the policies.
 * - "NetworkPolicy behavior for hostNetwork pods is undefined", limited to two possibilities: the
 *   plugin treats a hostNetwork pod like any pod (selectors can match it), or it cannot tell it
 *   from its node and treats its traffic as the node IP's (only an ipBlock can match it).
 * A third reading: where a CNI encapsulates, a node's traffic to a remote pod may leave from its tunnel
 * address in the pod CIDR, not the node IP (Calico's tunnel address, projectcalico/calico#3665). On the
 * kit's kind clusters (one subnet) Calico routes pod blocks over eth0 and the node IP was seen.
 * So `node:remote` is predicted under each reading; where they agree that is the prediction, and
 * where they differ the cell is "unspecified": not asserted, and what each CNI did is reported.
 */
import type { CellRef } from '../model/expectations.js';
import { addressAt, formatIp, parseCidr } from '../model/cidr.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import {
  NAMESPACE_NAME_LABEL,
  NODE_LOCAL,
  NODE_REMOTE,
  type Endpoint,
  type ServedPort,
  type World,
} from '../model/world.js';
import { explainCell, type Explanation } from './explain.js';

/** Where the host-network probe pods live, as the engine sees it (a namespace with no policies). */
export const HOST_PROBE_NAMESPACE = 'netpol-harness-nodes';

/** kind's docker network: node IPs the engine assumes when no real ones are given. */
export const SYNTHETIC_NODE_IP = '172.18.0.3';

export const HOST_NETWORK_UNDEFINED = 'the spec leaves a host-network source undefined';

export const NODE_LOCAL_REASON = 'the spec always allows traffic from the node where the destination pod runs';

/** How a CNI may see a host-network source on another node: as a pod, as its node IP, as a tunnel address. */
export const remoteNodeReadings = (nodeIp: string, tunnelIp: string): Reading[] => [
  {
    what: 'as a pod',
    endpoint: {
      key: `${HOST_PROBE_NAMESPACE}/host-probe`,
      kind: 'workload',
      namespace: HOST_PROBE_NAMESPACE,
      name: 'host-probe',
      labels: {},
      ip: nodeIp,
      ports: [],
    },
  },
  { what: 'as its node IP', endpoint: { ...nodeEndpoint(NODE_REMOTE), kind: 'external', ip: nodeIp } },
  { what: 'as a tunnel address', endpoint: { ...nodeEndpoint(NODE_REMOTE), kind: 'external', ip: tunnelIp } },
];

export function nodeEndpoint(key: typeof NODE_LOCAL | typeof NODE_REMOTE, ip = ''): Endpoint {
  return { key, kind: 'node', name: key.slice('node:'.length), labels: {}, ip, ports: [] };
}

/**
 * `node:local` and `node:remote` to every workload port. `nodeIp` is a remote node's address (real
 * on a cluster); the tunnel reading takes the pod CIDR's first address.
 */
export function nodeCells(
  world: World,
  policies: readonly NetworkPolicy[],
  podCIDR: string,
  nodeIp: string = SYNTHETIC_NODE_IP,
): CellRef[] {
  const tunnelIp = tunnelAddress(podCIDR);
  const withHostNamespace = withHostProbeNamespace(world);

  const local = nodeEndpoint(NODE_LOCAL);
  const remote = nodeEndpoint(NODE_REMOTE, nodeIp);
  const readings = remoteNodeReadings(nodeIp, tunnelIp);
  const cells: CellRef[] = [];
  for (const to of world.endpoints) {
    if (to.kind !== 'workload') continue;
    for (const port of to.ports) {
      cells.push({ from: local, to, port, predicted: true });
      const judged = underReadings(withHostNamespace, policies, to, port, readings, 1);
      cells.push({
        from: remote,
        to,
        port,
        predicted: judged.predicted,
        ...(judged.differ ? { unspecified: `${HOST_NETWORK_UNDEFINED}: ${judged.differ}` } : {}),
      });
    }
  }
  return cells;
}

/** A source as a CNI may see it: what it is taken for, and the endpoint the engine checks under that reading. */
export interface Reading {
  readonly what: string;
  readonly endpoint: Endpoint;
}

/**
 * The destination's ingress under each reading of the source: the prediction is the `main` reading's
 * answer; `differ` says how the readings split when they do not agree (the cell is then unspecified).
 */
export function underReadings(
  world: World,
  policies: readonly NetworkPolicy[],
  to: Endpoint,
  port: ServedPort,
  all: readonly Reading[],
  main = 0,
): { predicted: boolean; differ?: string } {
  return split(
    all.map((r) => ({ what: r.what, allowed: explainCell(world, policies, r.endpoint, to, port).ingress.allowed })),
    main,
  );
}

/** The `main` reading's answer, and how the readings split when they do not agree. */
function split(
  seen: ReadonlyArray<{ readonly what: string; readonly allowed: boolean }>,
  main: number,
): { predicted: boolean; differ?: string } {
  const allowed = seen.filter((x) => x.allowed).map((x) => x.what);
  const blocked = seen.filter((x) => !x.allowed).map((x) => x.what);
  const predicted = seen[main]!.allowed;
  return allowed.length && blocked.length
    ? { predicted, differ: `allowed ${allowed.join(' and ')}, blocked ${blocked.join(' and ')}` }
    : { predicted };
}

/** The pod CIDR's first address: where a CNI that encapsulates may send a node's traffic from. */
export function tunnelAddress(podCIDR: string): string {
  const cidr = parseCidr(podCIDR);
  const first = cidr ? addressAt(cidr, 1) : undefined;
  return first ? formatIp(first) : '';
}

/** The world with the host probes' namespace, so the as-a-pod reading can be checked against selectors. */
export function withHostProbeNamespace(world: World): World {
  return {
    ...world,
    namespaces: [
      ...world.namespaces,
      { name: HOST_PROBE_NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: HOST_PROBE_NAMESPACE } },
    ],
  };
}

/** One cell explained under each reading of its source (node and NodePort cells). */
export interface ReadingsExplanation extends Explanation {
  readonly readings: ReadonlyArray<{ readonly what: string; readonly ingress: Explanation['ingress'] }>;
  /** Why the readings disagree: the cell is unspecified. */
  readonly unspecified?: string;
  /** The spec's own rule when it decides without policies (a pod's own node). */
  readonly rule?: string;
  /** How the connection gets there, when not directly (`via NodePort web port 80/TCP`). */
  readonly path?: string;
}

/** The reference path for a cell whose source the CNI may see several ways: each reading, rule by rule. */
export function explainReadings(
  world: World,
  policies: readonly NetworkPolicy[],
  from: Endpoint,
  to: Endpoint,
  port: ServedPort,
  all: readonly Reading[],
  main: number,
  unspecifiedBecause: string,
): ReadingsExplanation {
  // One explanation per reading: the split and the main reading's answer are read from them.
  const explained = all.map((r) => explainCell(world, policies, r.endpoint, to, port));
  const each = all.map((r, i) => ({ what: r.what, ingress: explained[i]!.ingress }));
  const judged = split(
    each.map((e) => ({ what: e.what, allowed: e.ingress.allowed })),
    main,
  );
  return {
    ...explained[main]!,
    from: from.key,
    readings: each,
    ...(judged.differ ? { unspecified: `${unspecifiedBecause}: ${judged.differ}` } : {}),
  };
}
