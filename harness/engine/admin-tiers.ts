/**
 * The tiers around NetworkPolicy, for one direction of one connection (the KEP-2091 evaluation order,
 * https://network-policy-api.sigs.k8s.io/reference/spec/):
 *
 * 1. Admin tier: the AdminNetworkPolicies whose subject selects the pod, by ascending priority; in each
 *    one its rules in order. The first rule whose peers and ports match decides: Allow (allowed, nothing
 *    else is consulted), Deny (blocked), Pass (skip the rest of the admin tier).
 * 2. NetworkPolicy, as today, when the pod is isolated in that direction.
 * 3. Baseline: the BaselineAdminNetworkPolicy's rules in order, for traffic no NetworkPolicy isolates;
 *    nothing matching there: allowed.
 *
 * Two ANPs of the same priority whose first matching rules disagree: the API leaves the order
 * undefined ("The behavior is undefined if two ANP objects have same priority"), so the outcome is
 * `unspecified`, never a guess.
 */
import {
  ANP_KIND,
  clusterPolicyRef,
  type AdminAction,
  type AdminNetworkPolicy,
  type AdminRule,
  type BaselineAction,
  type BaselineAdminNetworkPolicy,
  type ClusterPolicy,
} from '../model/admin-policy.js';
import type { Direction } from './policy.js';

/** One rule that matched: which policy, which rule (by index and name), and what it does. */
export interface TierMatch<A extends string = AdminAction> {
  readonly policy: string;
  readonly priority?: number;
  readonly rule: number;
  readonly ruleName?: string;
  readonly action: A;
}

/** The admin tier's answer for one direction: a decision, or the disagreeing matches at one priority. */
export type AdminDecision =
  | { readonly action: AdminAction; readonly by: TierMatch }
  | { readonly action: 'unspecified'; readonly by: readonly TierMatch[] };

/** How a walk asks "does this policy select the subject" and "does this rule match the peer and port". */
export interface TierQuestions {
  subjectSelected(policy: ClusterPolicy, policyIndex: number): boolean;
  ruleMatches(rule: AdminRule<string>, ruleKey: string): boolean;
}

export interface ClusterTiers {
  /** ANPs by ascending priority, with their index in the step's list. */
  readonly admin: ReadonlyArray<{ readonly policy: AdminNetworkPolicy; readonly index: number }>;
  readonly baseline?: { readonly policy: BaselineAdminNetworkPolicy; readonly index: number };
}

export const NO_CLUSTER_POLICIES: ClusterTiers = { admin: [] };

export function clusterTiers(policies: readonly ClusterPolicy[]): ClusterTiers {
  const admin = policies
    .map((policy, index) => ({ policy, index }))
    .filter((p): p is { policy: AdminNetworkPolicy; index: number } => p.policy.kind === ANP_KIND)
    .sort((a, b) => a.policy.priority - b.policy.priority || a.index - b.index);
  const baseline = policies
    .map((policy, index) => ({ policy, index }))
    .find((p): p is { policy: BaselineAdminNetworkPolicy; index: number } => p.policy.kind !== ANP_KIND);
  return baseline ? { admin, baseline } : { admin };
}

/** A rule's key in compiled tables: policy index, direction, rule index. */
export function ruleKey(policyIndex: number, direction: Direction, rule: number): string {
  return `${policyIndex}|${direction}|${rule}`;
}

function firstMatch<A extends string>(
  policy: ClusterPolicy,
  index: number,
  direction: Direction,
  q: TierQuestions,
): TierMatch<A> | undefined {
  const rules = policy[direction] as ReadonlyArray<AdminRule<A>>;
  const at = rules.findIndex((r, i) => q.ruleMatches(r, ruleKey(index, direction, i)));
  if (at < 0) return undefined;
  const rule = rules[at]!;
  return {
    policy: clusterPolicyRef(policy),
    ...(policy.kind === ANP_KIND ? { priority: policy.priority } : {}),
    rule: at,
    ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
    action: rule.action,
  };
}

/** The admin tier for one direction; undefined when no ANP rule matches (as Pass: on to NetworkPolicy). */
export function adminDecision(tiers: ClusterTiers, direction: Direction, q: TierQuestions): AdminDecision | undefined {
  let i = 0;
  while (i < tiers.admin.length) {
    const priority = tiers.admin[i]!.policy.priority;
    const matches: TierMatch[] = [];
    for (; i < tiers.admin.length && tiers.admin[i]!.policy.priority === priority; i++) {
      const { policy, index } = tiers.admin[i]!;
      if (!q.subjectSelected(policy, index)) continue;
      const match = firstMatch<AdminAction>(policy, index, direction, q);
      if (match) matches.push(match);
    }
    if (matches.length === 0) continue;
    if (matches.every((m) => m.action === matches[0]!.action)) return { action: matches[0]!.action, by: matches[0]! };
    return { action: 'unspecified', by: matches };
  }
  return undefined;
}

/** The baseline tier for one direction; undefined when no BANP rule matches (allowed). */
export function baselineDecision(
  tiers: ClusterTiers,
  direction: Direction,
  q: TierQuestions,
): TierMatch<BaselineAction> | undefined {
  const b = tiers.baseline;
  if (!b || !q.subjectSelected(b.policy, b.index)) return undefined;
  return firstMatch<BaselineAction>(b.policy, b.index, direction, q);
}

/** A direction's outcome after all three tiers. */
export type TierOutcome = 'allowed' | 'blocked' | 'unspecified';

/**
 * Combine the tiers: the admin decision if it is final, else NetworkPolicy if it isolates the pod,
 * else the baseline.
 */
export function directionOutcome(
  admin: AdminDecision | undefined,
  networkPolicy: { readonly isolated: boolean; readonly allowed: boolean },
  baseline: () => TierMatch<BaselineAction> | undefined,
): TierOutcome {
  if (admin?.action === 'Allow') return 'allowed';
  if (admin?.action === 'Deny') return 'blocked';
  if (admin?.action === 'unspecified') return 'unspecified';
  if (networkPolicy.isolated) return networkPolicy.allowed ? 'allowed' : 'blocked';
  return baseline()?.action === 'Deny' ? 'blocked' : 'allowed';
}

/** Both directions: blocked if either is, unspecified if either is, else allowed. */
export function connectionOutcome(egress: TierOutcome, ingress: TierOutcome): TierOutcome {
  if (egress === 'blocked' || ingress === 'blocked') return 'blocked';
  if (egress === 'unspecified' || ingress === 'unspecified') return 'unspecified';
  return 'allowed';
}

export const EQUAL_PRIORITY =
  'two AdminNetworkPolicies of the same priority match with different actions: the API leaves their order undefined';
