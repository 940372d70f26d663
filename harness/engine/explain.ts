import type { ClusterPolicy } from '../model/admin-policy.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { adminPeerSelects, adminPortsMatch, adminSubjectSelects } from './admin-peers.js';
import { namespaceLabels } from './compile-tiers.js';
import {
  clusterTiers,
  connectionOutcome,
  directionOutcome,
  EQUAL_PRIORITY,
  tierDecision,
  type TierDecision,
  type TierOutcome,
  type TierQuestions,
} from './admin-tiers.js';
import type { Endpoint, ServedPort, World } from '../model/world.js';
import { peerSelects } from './peers.js';
import { directionRules, policyNamespace, policyRef, type Direction } from './policy.js';
import { portsMatch } from './ports.js';
import { selectorMatches } from './selector.js';

export interface RuleCheck {
  readonly rule: number;
  readonly peerMatches: boolean;
  readonly portMatches: boolean;
}

export interface IsolatingPolicy {
  readonly policy: string;
  readonly rules: readonly RuleCheck[];
}

export interface DirectionExplanation {
  readonly direction: Direction;
  /** The endpoint whose policies decide this direction. */
  readonly subject: string;
  /** Why the direction is open without any rule, when it is. */
  readonly openBecause?: 'not-isolated' | 'external';
  readonly isolatedBy: readonly IsolatingPolicy[];
  readonly allowedBy: ReadonlyArray<{ readonly policy: string; readonly rule: number }>;
  /** What NetworkPolicy alone says (the whole answer when the step has no cluster-scoped policy). */
  readonly allowed: boolean;
  /** With cluster-scoped policies: the tier walk around NetworkPolicy. */
  readonly tiers?: TierWalk;
}

/** The admin tier's first match (or none), then NetworkPolicy, then the baseline, and the outcome. */
export interface TierWalk {
  readonly admin?: TierDecision;
  /** Consulted only when neither the admin tier decided nor NetworkPolicy isolates the pod. */
  readonly baseline?: TierDecision | 'no-match';
  readonly decidedBy: 'admin' | 'network-policy' | 'baseline' | 'default';
  readonly outcome: TierOutcome;
}

export interface Explanation {
  readonly from: string;
  readonly to: string;
  readonly port: ServedPort;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
  readonly allowed: boolean;
  /** Set when the API leaves the outcome open (then `allowed` is false). */
  readonly unspecified?: string;
}

/**
 * Why one cell is allowed or blocked, evaluated rule by rule straight from the spec. This is the
 * engine's reference path: the fast bitset prediction is tested against it.
 */
export function explainCell(
  world: World,
  policies: readonly NetworkPolicy[],
  from: Endpoint,
  to: Endpoint,
  port: ServedPort,
  clusterPolicies: readonly ClusterPolicy[] = [],
): Explanation {
  const nsLabels = namespaceLabels(world);
  const tiers = clusterTiers(clusterPolicies);
  const targetIsPod = to.kind !== 'external';
  const explainDirection = (direction: Direction, subject: Endpoint, peer: Endpoint): DirectionExplanation => {
    const base = { direction, subject: subject.key, isolatedBy: [], allowedBy: [] };
    if (subject.kind === 'external') return { ...base, openBecause: 'external', allowed: true };
    const isolatedBy: IsolatingPolicy[] = [];
    for (const policy of policies) {
      const ns = policyNamespace(policy);
      if (ns !== subject.namespace || !selectorMatches(policy.spec.podSelector ?? {}, subject.labels)) continue;
      const rules = directionRules(policy, direction);
      if (!rules) continue;
      isolatedBy.push({
        policy: policyRef(policy),
        rules: rules.map((r) => ({
          rule: r.index,
          peerMatches: r.peers === 'all' || r.peers.some((p) => peerSelects(p, ns, peer, nsLabels)),
          portMatches: portsMatch(r.ports, port, targetIsPod),
        })),
      });
    }
    if (isolatedBy.length === 0) return { ...base, openBecause: 'not-isolated', allowed: true };
    const allowedBy = isolatedBy.flatMap((p) =>
      p.rules.filter((r) => r.peerMatches && r.portMatches).map((r) => ({ policy: p.policy, rule: r.rule })),
    );
    return { ...base, isolatedBy, allowedBy, allowed: allowedBy.length > 0 };
  };
  const withTiers = (direction: Direction, subject: Endpoint, peer: Endpoint): DirectionExplanation => {
    const np = explainDirection(direction, subject, peer);
    if (clusterPolicies.length === 0) return np;
    const q: TierQuestions = {
      subjectSelected: (policy) => adminSubjectSelects(policy.subject, subject, nsLabels),
      ruleMatches: (rule) =>
        rule.peers.some((p) => adminPeerSelects(p, peer, nsLabels)) && adminPortsMatch(rule.ports, port, targetIsPod),
    };
    const admin = tierDecision(tiers.admin, direction, q);
    const isolated = np.openBecause === undefined;
    let baseline: TierDecision | 'no-match' | undefined;
    const outcome = directionOutcome(admin, { isolated, allowed: np.allowed }, () => {
      const decision = tierDecision(tiers.baseline, direction, q);
      baseline = decision ?? 'no-match';
      return decision;
    });
    const decidedBy =
      admin && admin.action !== 'Pass'
        ? 'admin'
        : isolated
          ? 'network-policy'
          : baseline !== undefined && baseline !== 'no-match'
            ? 'baseline'
            : 'default';
    return {
      ...np,
      tiers: { ...(admin ? { admin } : {}), ...(baseline !== undefined ? { baseline } : {}), decidedBy, outcome },
    };
  };
  const egress = withTiers('egress', from, to);
  const ingress = withTiers('ingress', to, from);
  const outcomeOf = (d: DirectionExplanation): TierOutcome => d.tiers?.outcome ?? (d.allowed ? 'allowed' : 'blocked');
  const outcome = connectionOutcome(outcomeOf(egress), outcomeOf(ingress));
  return {
    from: from.key,
    to: to.key,
    port,
    egress,
    ingress,
    allowed: outcome === 'allowed',
    ...(outcome === 'unspecified' ? { unspecified: EQUAL_PRIORITY } : {}),
  };
}
