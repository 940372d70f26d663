import type { Labels, NetworkPolicy } from '../model/network-policy.js';
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
  readonly allowed: boolean;
}

export interface Explanation {
  readonly from: string;
  readonly to: string;
  readonly port: ServedPort;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
  readonly allowed: boolean;
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
): Explanation {
  const nsLabels = (ns: string): Labels => world.namespaces.find((n) => n.name === ns)?.labels ?? {};
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
  const egress = explainDirection('egress', from, to);
  const ingress = explainDirection('ingress', to, from);
  return { from: from.key, to: to.key, port, egress, ingress, allowed: egress.allowed && ingress.allowed };
}
