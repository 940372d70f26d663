import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType } from '../model/network-policy.js';

export type Direction = 'ingress' | 'egress';

/** One rule of one direction, with "absent or empty means all" already applied. */
export interface DirectionRule {
  readonly index: number;
  /** `all` when from/to is absent or empty. */
  readonly peers: readonly NetworkPolicyPeer[] | 'all';
  /** `all` when ports is absent or empty. */
  readonly ports: readonly NetworkPolicyPort[] | 'all';
}

/**
 * policyTypes as the API server defaults them: when unset (or empty), Ingress always, and
 * Egress only if the policy has at least one egress rule.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): ReadonlySet<PolicyType> {
  const declared = policy.spec.policyTypes;
  if (declared && declared.length > 0) return new Set(declared);
  const types = new Set<PolicyType>(['Ingress']);
  if ((policy.spec.egress?.length ?? 0) > 0) types.add('Egress');
  return types;
}

/**
 * The rules of one direction, or undefined when the policy does not isolate in that direction.
 * A policy of that type with no rules isolates and allows nothing.
 */
export function directionRules(policy: NetworkPolicy, direction: Direction): DirectionRule[] | undefined {
  const type: PolicyType = direction === 'ingress' ? 'Ingress' : 'Egress';
  if (!effectivePolicyTypes(policy).has(type)) return undefined;
  const rules =
    direction === 'ingress'
      ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
      : (policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
  return rules.map((r, index) => ({
    index,
    peers: r.peers && r.peers.length > 0 ? r.peers : 'all',
    ports: r.ports && r.ports.length > 0 ? r.ports : 'all',
  }));
}

export function policyNamespace(policy: NetworkPolicy): string {
  return policy.metadata.namespace ?? 'default';
}

export function policyRef(policy: NetworkPolicy): string {
  return `${policyNamespace(policy)}/${policy.metadata.name}`;
}
