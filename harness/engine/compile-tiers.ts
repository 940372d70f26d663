import type { ClusterPolicy } from '../model/admin-policy.js';
import type { Labels } from '../model/network-policy.js';
import type { ServedPort, World } from '../model/world.js';
import { adminPeerSelects, adminPortsMatch, adminSubjectSelects } from './admin-peers.js';
import { clusterTiers, ruleKey, type ClusterTiers, type TierQuestions } from './admin-tiers.js';
import { Bitset } from './bitset.js';

/** The cluster-scoped tiers with every subject and peer resolved to a set of endpoints once. */
export interface CompiledTiers {
  readonly tiers: ClusterTiers;
  readonly empty: boolean;
  /** Subject endpoints, by the policy's index in the step's list. */
  readonly subjects: readonly Bitset[];
  /** Peer endpoints, by ruleKey(policy, direction, rule). */
  readonly peers: ReadonlyMap<string, Bitset>;
}

export function compileTiers(world: World, policies: readonly ClusterPolicy[]): CompiledTiers {
  const size = world.endpoints.length;
  const nsLabels = namespaceLabels(world);
  const setOf = (test: (i: number) => boolean) =>
    Bitset.of(
      size,
      world.endpoints.flatMap((_, i) => (test(i) ? [i] : [])),
    );
  const subjects = policies.map((p) => setOf((i) => adminSubjectSelects(p.subject, world.endpoints[i]!, nsLabels)));
  const peers = new Map<string, Bitset>();
  policies.forEach((p, index) => {
    for (const direction of ['ingress', 'egress'] as const)
      p[direction].forEach((rule, r) =>
        peers.set(
          ruleKey(index, direction, r),
          setOf((i) => rule.peers.some((peer) => adminPeerSelects(peer, world.endpoints[i]!, nsLabels))),
        ),
      );
  });
  return { tiers: clusterTiers(policies), empty: policies.length === 0, subjects, peers };
}

/** The questions a tier walk asks, answered from the compiled sets for one subject, peer and port. */
export function compiledQuestions(
  c: CompiledTiers,
  subject: number,
  peer: number,
  port: ServedPort,
  targetIsPod: boolean,
): TierQuestions {
  return {
    subjectSelected: (_, index) => c.subjects[index]!.has(subject),
    ruleMatches: (rule, key) => c.peers.get(key)!.has(peer) && adminPortsMatch(rule.ports, port, targetIsPod),
  };
}

export function namespaceLabels(world: World): (ns: string) => Labels {
  const byName = new Map(world.namespaces.map((n) => [n.name, n.labels]));
  return (ns) => byName.get(ns) ?? {};
}
