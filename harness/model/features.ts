/**
 * The NetworkPolicy features a scenario can exercise, in the order the compatibility page lists
 * them. scenario/features.ts reads them from a scenario; the page groups its rows by them.
 */
export const DERIVED_FEATURES = [
  'ingress',
  'egress',
  'default-deny',
  'pod-selector',
  'namespace-selector',
  'match-expressions',
  'ip-block',
  'ip-block-except',
  'named-port',
  'end-port',
  'udp',
  'sctp',
  'relabel',
  'multi-step',
  'dns',
  'external',
] as const;
export type DerivedFeature = (typeof DERIVED_FEATURES)[number];
