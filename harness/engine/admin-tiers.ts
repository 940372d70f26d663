/**
 * The tiers around NetworkPolicy, for one direction of one connection (the KEP-2091 evaluation order,
 * https://network-policy-api.sigs.k8s.io/reference/spec/):
 *
 * 1. Admin tier: the AdminNetworkPolicies (or Admin-tier ClusterNetworkPolicies) whose subject selects
 *    the pod, by ascending priority; in each one its rules in order. The first rule whose peers and ports
 *    match decides: Allow/Accept (allowed, nothing else is consulted), Deny (blocked), Pass (skip the
 *    rest of the tier).
 * 2. NetworkPolicy, as today, when the pod is isolated in that direction.
 * 3. Baseline tier, for traffic no NetworkPolicy isolates: the BaselineAdminNetworkPolicy's rules in
 *    order (or Baseline-tier ClusterNetworkPolicies by priority); Pass, or nothing matching: allowed.
 *
 * Two policies of one tier and priority whose first matching rules disagree: the API leaves the order
 * undefined ("The behavior is undefined if two ANP objects have same priority"; for CNP "the
 * implementation can apply any of the matching policies"), so the outcome is `unspecified`, never a guess.
 */
import { clusterPolicyRef, type AdminAction, type ClusterPolicy, type AdminRule } from '../model/admin-policy.js';
import type { Direction } from './policy.js';

/** One rule that matched: which policy, which rule (by index and name), and what it does. */
export interface TierMatch {
  readonly policy: string;
  readonly priority?: number;
  readonly rule: number;
  readonly ruleName?: string;
  readonly action: AdminAction;
}

/** A tier's answer for one direction: a decision, or the disagreeing matches at one priority. */
export type TierDecision =
  | { readonly action: AdminAction; readonly by: TierMatch }
  | { readonly action: 'unspecified'; readonly by: readonly TierMatch[] };

/** How a walk asks "does this policy select the subject" and "does this rule match the peer and port". */
export interface TierQuestions {
  subjectSelected(policy: ClusterPolicy, policyIndex: number): boolean;
  ruleMatches(rule: AdminRule, ruleKey: string): boolean;
}

type Ranked = ReadonlyArray<{ readonly policy: ClusterPolicy; readonly index: number }>;

export interface ClusterTiers {
  /** Each tier's policies by ascending priority, with their index in the step's list. */
  readonly admin: Ranked;
  readonly baseline: Ranked;
}

export function clusterTiers(policies: readonly ClusterPolicy[]): ClusterTiers {
  const ranked = (tier: ClusterPolicy['tier']) =>
    policies
      .map((policy, index) => ({ policy, index }))
      .filter((p) => p.policy.tier === tier)
      .sort((a, b) => a.policy.priority - b.policy.priority || a.index - b.index);
  return { admin: ranked('admin'), baseline: ranked('baseline') };
}

/** A rule's key in compiled tables: policy index, direction, rule index. */
export function ruleKey(policyIndex: number, direction: Direction, rule: number): string {
  return `${policyIndex}|${direction}|${rule}`;
}

function firstMatch(policy: ClusterPolicy, index: number, direction: Direction, q: TierQuestions) {
  const rules = policy[direction];
  const at = rules.findIndex((r, i) => q.ruleMatches(r, ruleKey(index, direction, i)));
  if (at < 0) return undefined;
  const rule = rules[at]!;
  return {
    policy: clusterPolicyRef(policy),
    ...(policy.kind === 'BaselineAdminNetworkPolicy' ? {} : { priority: policy.priority }),
    rule: at,
    ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
    action: rule.action,
  };
}

/** One tier for one direction; undefined when no rule of it matches. */
export function tierDecision(ranked: Ranked, direction: Direction, q: TierQuestions): TierDecision | undefined {
  let i = 0;
  while (i < ranked.length) {
    const priority = ranked[i]!.policy.priority;
    const matches: TierMatch[] = [];
    for (; i < ranked.length && ranked[i]!.policy.priority === priority; i++) {
      const { policy, index } = ranked[i]!;
      if (!q.subjectSelected(policy, index)) continue;
      const match = firstMatch(policy, index, direction, q);
      if (match) matches.push(match);
    }
    if (matches.length === 0) continue;
    if (matches.every((m) => m.action === matches[0]!.action)) return { action: matches[0]!.action, by: matches[0]! };
    return { action: 'unspecified', by: matches };
  }
  return undefined;
}

/** A direction's outcome after all three tiers. */
export type TierOutcome = 'allowed' | 'blocked' | 'unspecified';

/**
 * Combine the tiers: the admin decision if it is final, else NetworkPolicy if it isolates the pod,
 * else the baseline's (Pass, or no match: allowed).
 */
export function directionOutcome(
  admin: TierDecision | undefined,
  networkPolicy: { readonly isolated: boolean; readonly allowed: boolean },
  baseline: () => TierDecision | undefined,
): TierOutcome {
  const final = (d: TierDecision | undefined): TierOutcome | undefined =>
    d?.action === 'Allow'
      ? 'allowed'
      : d?.action === 'Deny'
        ? 'blocked'
        : d?.action === 'unspecified'
          ? 'unspecified'
          : undefined;
  const fromAdmin = final(admin);
  if (fromAdmin) return fromAdmin;
  if (networkPolicy.isolated) return networkPolicy.allowed ? 'allowed' : 'blocked';
  return final(baseline()) ?? 'allowed';
}

/** Both directions: blocked if either is, unspecified if either is, else allowed. */
export function connectionOutcome(egress: TierOutcome, ingress: TierOutcome): TierOutcome {
  if (egress === 'blocked' || ingress === 'blocked') return 'blocked';
  if (egress === 'unspecified' || ingress === 'unspecified') return 'unspecified';
  return 'allowed';
}

export const EQUAL_PRIORITY =
  'two cluster-scoped policies of one tier and priority match with different actions: the API leaves their order ' +
  'undefined';
