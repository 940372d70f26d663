/**
 * Subjects, peers and ports of AdminNetworkPolicy and BaselineAdminNetworkPolicy, one endpoint at a
 * time: the reference the compiled tiers (admin-tiers.ts) are tested against, and what explain reads.
 *
 * - `namespaces`: every pod in the matching namespaces; `pods`: matching pods in matching namespaces.
 *   Neither matches a host-network pod, a node or anything outside the cluster.
 * - `networks` (egress only): any endpoint whose IP is in one of the CIDRs, pods included (the API
 *   says cluster-internal traffic is checked against it too).
 * - `nodes` (egress only, experimental): not modelled; the scenario is refused with the reason.
 * - A scenario's cluster-scoped policies act only in the scenario's namespaces: live, every namespace
 *   selector is ANDed with the run's label (never kube-system, never anyone else's), so here too the
 *   selectors match workloads only, never cluster DNS.
 */
import type { AdminPeer, AdminPort, AdminSubject } from '../model/admin-policy.js';
import { cidrContains, parseCidr, parseIp } from '../model/cidr.js';
import type { Labels } from '../model/network-policy.js';
import type { Endpoint, ServedPort } from '../model/world.js';
import { selectorMatches } from './selector.js';

type NamespaceLabels = (ns: string) => Labels;

function selectable(endpoint: Endpoint): boolean {
  return endpoint.kind === 'workload' && endpoint.namespace !== undefined;
}

export function adminSubjectSelects(subject: AdminSubject, endpoint: Endpoint, nsLabels: NamespaceLabels): boolean {
  return adminPeerSelects(subject, endpoint, nsLabels);
}

export function adminPeerSelects(peer: AdminPeer, endpoint: Endpoint, nsLabels: NamespaceLabels): boolean {
  if (peer.networks) return peer.networks.some((cidr) => networkContains(cidr, endpoint.ip));
  if (!selectable(endpoint)) return false;
  const labels = nsLabels(endpoint.namespace!);
  if (peer.namespaces) return selectorMatches(peer.namespaces, labels);
  if (peer.pods)
    return (
      selectorMatches(peer.pods.namespaceSelector, labels) && selectorMatches(peer.pods.podSelector, endpoint.labels)
    );
  return false; // `nodes`, or a peer with no field: refused when a scenario is loaded, never modelled
}

export function networkContains(cidrText: string, ipText: string): boolean {
  const cidr = parseCidr(cidrText);
  const ip = parseIp(ipText);
  return cidr !== undefined && ip !== undefined && cidrContains(cidr, ip);
}

/**
 * Does an AdminNetworkPolicyPort admit traffic to `target`? `portNumber` and `portRange` by protocol
 * and number (a range is inclusive; its protocol defaults to TCP); `namedPort` only on a pod container
 * port of that name, whatever its protocol.
 */
export function adminPortMatches(rule: AdminPort, target: ServedPort, targetIsPod: boolean): boolean {
  if (rule.portNumber) return rule.portNumber.protocol === target.protocol && rule.portNumber.port === target.port;
  if (rule.portRange)
    return (
      (rule.portRange.protocol ?? 'TCP') === target.protocol &&
      target.port >= rule.portRange.start &&
      target.port <= rule.portRange.end
    );
  if (rule.namedPort !== undefined) return targetIsPod && target.name === rule.namedPort;
  return false;
}

export function adminPortsMatch(ports: readonly AdminPort[] | undefined, target: ServedPort, targetIsPod: boolean) {
  return ports === undefined || ports.some((p) => adminPortMatches(p, target, targetIsPod));
}
