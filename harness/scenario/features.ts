import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../model/network-policy.js';
import { DERIVED_FEATURES, type DerivedFeature } from '../model/features.js';
import type { Scenario } from '../model/scenario.js';

/**
 * The NetworkPolicy features a scenario exercises, read from its policies, steps and expectations:
 * the rows of the compatibility page. An author's `metadata.tags` add to these (a tag this function
 * cannot see, like `conformance`), they never replace them, so a scenario is always filed under
 * what it really tests.
 */
export function scenarioFeatures(scenario: Scenario): DerivedFeature[] {
  const found = new Set<DerivedFeature>();
  for (const step of scenario.steps) {
    for (const source of step.policies) policyFeatures(source.manifest as unknown as NetworkPolicy, found);
    if (step.labels.namespaces.size > 0 || step.labels.workloads.size > 0) found.add('relabel');
    if (step.expect.dns.length > 0) found.add('dns');
  }
  if (scenario.steps.length > 1) found.add('multi-step');
  if (scenario.externals.length > 0) found.add('external');
  // Cells are probed on every served port, so a UDP or SCTP server makes those cells part of the test.
  for (const port of [...scenario.workloads, ...scenario.externals].flatMap((w) => w.ports)) {
    if (port.protocol === 'UDP') found.add('udp');
    if (port.protocol === 'SCTP') found.add('sctp');
  }
  return DERIVED_FEATURES.filter((f) => found.has(f));
}

/** Derived features first, in their fixed order, then the author's tags that add to them. */
export function scenarioTags(scenario: Scenario): string[] {
  const derived: string[] = scenarioFeatures(scenario);
  return [...derived, ...(scenario.tags ?? []).filter((t) => !derived.includes(t))];
}

function policyFeatures(policy: NetworkPolicy, found: Set<DerivedFeature>): void {
  const spec = policy.spec ?? { podSelector: {} };
  const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  if (types.includes('Ingress')) found.add('ingress');
  if (types.includes('Egress')) found.add('egress');
  const withoutRules = (t: string) => ((t === 'Ingress' ? spec.ingress : spec.egress) ?? []).length === 0;
  if (types.some(withoutRules)) found.add('default-deny');
  if (spec.podSelector?.matchExpressions?.length) found.add('match-expressions');
  const rules = [...(spec.ingress ?? []).map((r) => r.from ?? []), ...(spec.egress ?? []).map((r) => r.to ?? [])];
  for (const peer of rules.flat()) peerFeatures(peer, found);
  const ports = [...(spec.ingress ?? []), ...(spec.egress ?? [])].flatMap((r) => r.ports ?? []);
  for (const port of ports) portFeatures(port, found);
}

function peerFeatures(peer: NetworkPolicyPeer, found: Set<DerivedFeature>): void {
  if (peer.podSelector) found.add('pod-selector');
  if (peer.namespaceSelector) found.add('namespace-selector');
  if (peer.podSelector?.matchExpressions?.length || peer.namespaceSelector?.matchExpressions?.length)
    found.add('match-expressions');
  if (peer.ipBlock) found.add('ip-block');
  if (peer.ipBlock?.except?.length) found.add('ip-block-except');
}

function portFeatures(port: NetworkPolicyPort, found: Set<DerivedFeature>): void {
  if (typeof port.port === 'string') found.add('named-port');
  if (port.endPort !== undefined) found.add('end-port');
  if (port.protocol === 'UDP') found.add('udp');
  if (port.protocol === 'SCTP') found.add('sctp');
}
