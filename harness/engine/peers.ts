import type { IPBlock, Labels, NetworkPolicyPeer } from '../model/network-policy.js';
import type { Endpoint } from '../model/world.js';
import { cidrContains, parseCidr, parseIp } from '../model/cidr.js';
import { selectorMatches } from './selector.js';

/**
 * NetworkPolicyPeer semantics, one endpoint at a time (the reference the bitset path is checked against):
 * - podSelector alone: pods in the policy's own namespace;
 * - namespaceSelector alone: every pod in the matching namespaces;
 * - both: matching pods in matching namespaces;
 * - ipBlock: any endpoint whose IP is in cidr and in no except block (pods included).
 * Selectors never match externals.
 */
export function peerSelects(
  peer: NetworkPolicyPeer,
  policyNamespace: string,
  endpoint: Endpoint,
  namespaceLabels: (ns: string) => Labels,
): boolean {
  if (peer.ipBlock) return ipBlockContains(peer.ipBlock, endpoint.ip);
  if (endpoint.kind === 'external' || endpoint.namespace === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(endpoint.namespace))
    : endpoint.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels) : true);
}

export function ipBlockContains(block: IPBlock, ipText: string): boolean {
  const ip = parseIp(ipText);
  const cidr = parseCidr(block.cidr);
  if (!ip || !cidr || !cidrContains(cidr, ip)) return false;
  return !(block.except ?? []).some((e) => {
    const excluded = parseCidr(e);
    return excluded !== undefined && cidrContains(excluded, ip);
  });
}
