/**
 * Known ways a CNI departs from the NetworkPolicy spec, recognised from the engine's explanation of
 * a cell, so a triage can name the upstream issue instead of leaving the reader to find it. Each
 * hint is one we have seen on this project's clusters (docs/cni-findings.md). Pure.
 */
import type { Explanation } from '../engine/explain.js';
import { directionRules, policyRef } from '../engine/policy.js';
import { policyPortMatches } from '../engine/ports.js';
import type { NetworkPolicy } from '../model/network-policy.js';

/** Why `cni` may have blocked a cell the spec allows, when the explanation shows a known pattern. */
export function blockedAgainstSpecHint(
  cni: string | undefined,
  e: Explanation,
  policies: readonly NetworkPolicy[],
): string | undefined {
  if (cni !== 'cilium' || !e.allowed || e.egress.allowedBy.length === 0) return undefined;
  const namedOnly = e.egress.allowedBy.every(({ policy, rule }) => {
    const found = policies.find((p) => policyRef(p) === policy);
    const ports = found ? directionRules(found, 'egress')?.[rule]?.ports : undefined;
    if (!ports || ports === 'all') return false;
    const matching = ports.filter((p) => policyPortMatches(p, e.port, true));
    return matching.length > 0 && matching.every((p) => typeof p.port === 'string');
  });
  if (!namedOnly) return undefined;
  return (
    `only an egress rule naming the port "${e.port.name}" allows it: Cilium resolves an egress named port ` +
    'across the cluster and drops when that name stands for different numbers on different pods ' +
    '(cilium/cilium#30003); name the number in the egress rule to be portable'
  );
}
