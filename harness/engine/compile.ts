import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../model/network-policy.js';
import type { World } from '../model/world.js';
import { Bitset } from './bitset.js';
import { LabelIndex } from './label-index.js';
import { ipBlockContains } from './peers.js';
import { directionRules, policyNamespace, type Direction } from './policy.js';

export interface CompiledRule {
  readonly peers: Bitset | 'all';
  readonly ports: readonly NetworkPolicyPort[] | 'all';
}

/** For every endpoint and direction: undefined when not isolated, else the rules that apply to it. */
export interface CompiledWorld {
  readonly size: number;
  readonly rules: Record<Direction, ReadonlyArray<CompiledRule[] | undefined>>;
}

/**
 * Resolve every selector and ipBlock to a set of endpoints once. Selectors go through label
 * indexes (key=value -> members), so cost grows with policies and rules, not with cells.
 */
export function compilePolicies(world: World, policies: readonly NetworkPolicy[]): CompiledWorld {
  const size = world.endpoints.length;
  const pods = world.endpoints.map((e, index) => ({ e, index })).filter(({ e }) => e.kind !== 'external');
  const podIndex = new LabelIndex(
    size,
    pods.map(({ e, index }) => ({ index, labels: e.labels })),
  );
  const nsIndex = new LabelIndex(
    world.namespaces.length,
    world.namespaces.map((n, index) => ({ index, labels: n.labels })),
  );
  const allNamespaces = Bitset.full(world.namespaces.length);
  const podsByNamespace = new Map<string, Bitset>();
  for (const { e, index } of pods) {
    let set = podsByNamespace.get(e.namespace!);
    if (!set) podsByNamespace.set(e.namespace!, (set = new Bitset(size)));
    set.add(index);
  }
  const none = new Bitset(size);
  const podsIn = (ns: string) => podsByNamespace.get(ns) ?? none;

  const peerSet = (peer: NetworkPolicyPeer, ns: string): Bitset => {
    if (peer.ipBlock)
      return Bitset.of(
        size,
        world.endpoints.flatMap((e, i) => (ipBlockContains(peer.ipBlock!, e.ip) ? [i] : [])),
      );
    let universe = podsIn(ns);
    if (peer.namespaceSelector) {
      universe = new Bitset(size);
      for (const n of nsIndex.select(peer.namespaceSelector, allNamespaces).members())
        universe.orWith(podsIn(world.namespaces[n]!.name));
    }
    return peer.podSelector ? podIndex.select(peer.podSelector, universe) : universe;
  };

  const rules: Record<Direction, Array<CompiledRule[] | undefined>> = {
    ingress: new Array(size).fill(undefined),
    egress: new Array(size).fill(undefined),
  };
  for (const policy of policies) {
    const ns = policyNamespace(policy);
    const selected = podIndex.select(policy.spec.podSelector ?? {}, podsIn(ns));
    if (selected.isEmpty()) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const dirRules = directionRules(policy, direction);
      if (!dirRules) continue;
      const compiled = dirRules.map((r): CompiledRule => ({
        ports: r.ports,
        peers: r.peers === 'all' ? 'all' : r.peers.reduce((acc, p) => acc.orWith(peerSet(p, ns)), new Bitset(size)),
      }));
      for (const e of selected.members()) (rules[direction][e] ??= []).push(...compiled);
    }
  }
  return { size, rules };
}
