/**
 * What the NetworkPolicies of a snapshot look at in pods: the label keys their pod selectors mention,
 * and their ipBlocks. Classing keeps exactly the distinctions these can make.
 */
import { cidrContains, parseCidr, parseIp, type Cidr, type IpAddress } from '../model/cidr.js';
import type { IPBlock, LabelSelector, NetworkPolicy, NetworkPolicyPeer } from '../model/network-policy.js';

export function ingressPeersOf(policy: NetworkPolicy): NetworkPolicyPeer[] {
  return (policy.spec.ingress ?? []).flatMap((r) => r.from ?? []);
}

export function egressPeersOf(policy: NetworkPolicy): NetworkPolicyPeer[] {
  return (policy.spec.egress ?? []).flatMap((r) => r.to ?? []);
}

/** Every peer of every rule, ingress and egress. */
export function peersOf(policy: NetworkPolicy): NetworkPolicyPeer[] {
  return [...ingressPeersOf(policy), ...egressPeersOf(policy)];
}

export function selectorKeys(selector: LabelSelector | undefined): string[] {
  if (!selector) return [];
  return [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
}

/** Pod label keys any policy selects on (spec.podSelector and peers' podSelector; not namespace labels). */
export function podSelectorKeys(
  policies: readonly NetworkPolicy[],
  extraPodSelectors: readonly LabelSelector[] = [],
): Set<string> {
  const keys = new Set<string>();
  for (const policy of policies) {
    for (const key of selectorKeys(policy.spec.podSelector)) keys.add(key);
    for (const peer of peersOf(policy)) for (const key of selectorKeys(peer.podSelector)) keys.add(key);
  }
  for (const selector of extraPodSelectors) for (const key of selectorKeys(selector)) keys.add(key);
  return keys;
}

/** One ipBlock, parsed once, to test many pod IPs against. */
export interface ParsedIpBlock {
  /** `cidr` or `cidr except a,b`, for messages. */
  readonly text: string;
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
}

/**
 * Every distinct ipBlock of the policies, and the CIDRs of other policy kinds (blocks that do not
 * parse are left to validation).
 */
export function policyIpBlocks(policies: readonly NetworkPolicy[], extra: readonly IPBlock[] = []): ParsedIpBlock[] {
  const blocks = new Map<string, ParsedIpBlock>();
  const peerBlocks = policies.flatMap((p) => peersOf(p).flatMap((peer) => (peer.ipBlock ? [peer.ipBlock] : [])));
  for (const block of [...peerBlocks, ...extra]) {
    const text = ipBlockText(block);
    const cidr = parseCidr(block.cidr);
    if (blocks.has(text) || !cidr) continue;
    const except = (block.except ?? []).map(parseCidr).filter((c): c is Cidr => c !== undefined);
    blocks.set(text, { text, cidr, except });
  }
  return [...blocks.values()];
}

function ipBlockText(block: IPBlock): string {
  return block.except?.length ? `${block.cidr} except ${block.except.join(',')}` : block.cidr;
}

/** The same rule as the engine's ipBlockContains (engine/peers.ts), on pre-parsed blocks. */
export function blockCovers(block: ParsedIpBlock, ip: IpAddress): boolean {
  return cidrContains(block.cidr, ip) && !block.except.some((e) => cidrContains(e, ip));
}

/** For each block, does it cover any of these IPs? As a string of 0/1, one character per block. */
export function ipBlockSignature(blocks: readonly ParsedIpBlock[], ipTexts: readonly string[]): string {
  const ips = ipTexts.map(parseIp).filter((ip): ip is IpAddress => ip !== undefined);
  return blocks.map((b) => (ips.some((ip) => blockCovers(b, ip)) ? '1' : '0')).join('');
}
