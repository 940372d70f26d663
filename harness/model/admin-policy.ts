/**
 * Cluster-scoped policy of policy.networking.k8s.io (sigs.k8s.io/network-policy-api), the shapes the
 * engine reads after validation:
 *
 * - v1alpha1 (v0.1.x; Calico v3.29 to v3.31): AdminNetworkPolicy (ANP, the admin tier, by priority) and
 *   BaselineAdminNetworkPolicy (BANP, the baseline tier, one per cluster, named `default`).
 * - v1alpha2 and v1beta1 (v0.2.0 on, the same schema): ClusterNetworkPolicy (CNP), in the Admin or the
 *   Baseline tier, each by priority; Accept, Deny, Pass; ports as `protocols`.
 *
 * The admin tier is evaluated before NetworkPolicy, the baseline after it (for traffic NetworkPolicy
 * does not isolate); in a tier, policies by ascending priority, in a policy its rules in order, the
 * first matching rule deciding. Every kind becomes one ClusterPolicy: actions read Allow, Deny, Pass
 * (a CNP's Accept is Allow), ports AdminPort (a CNP's protocols converted), peers AdminPeer.
 */
import type { LabelSelector } from './network-policy.js';

export const ADMIN_API_VERSION = 'policy.networking.k8s.io/v1alpha1';
export const CNP_API_VERSIONS = ['policy.networking.k8s.io/v1alpha2', 'policy.networking.k8s.io/v1beta1'] as const;
export const ANP_KIND = 'AdminNetworkPolicy';
export const BANP_KIND = 'BaselineAdminNetworkPolicy';
export const CNP_KIND = 'ClusterNetworkPolicy';
export const CLUSTER_POLICY_KINDS = [ANP_KIND, BANP_KIND, CNP_KIND] as const;
export type ClusterPolicyKind = (typeof CLUSTER_POLICY_KINDS)[number];

/** Where each kind is served, newest first (a cluster serves some of them, or none). */
export const KIND_API_VERSIONS: Readonly<Record<ClusterPolicyKind, readonly string[]>> = {
  [ANP_KIND]: [ADMIN_API_VERSION],
  [BANP_KIND]: [ADMIN_API_VERSION],
  [CNP_KIND]: [...CNP_API_VERSIONS].reverse(),
};

/** The one name a BANP may have (the API refuses any other). */
export const BANP_NAME = 'default';

export type AdminAction = 'Allow' | 'Deny' | 'Pass';
export type Tier = 'admin' | 'baseline';

/** In the engine's shape namespaceSelector is always set: a CNP's absent one is `{}` (all namespaces). */
export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** Exactly one field. */
export interface AdminSubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

/** Exactly one field; `nodes`, `networks` and `domainNames` only in egress. `nodes`, `domainNames`: not modelled. */
export interface AdminPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  readonly networks?: readonly string[];
  readonly nodes?: LabelSelector;
  readonly domainNames?: readonly string[];
}

/** Exactly one field. */
export interface AdminPort {
  readonly portNumber?: { readonly protocol: string; readonly port: number };
  readonly namedPort?: string;
  readonly portRange?: { readonly protocol?: string; readonly start: number; readonly end: number };
}

export interface AdminRule {
  readonly name?: string;
  readonly action: AdminAction;
  /** `from` (ingress) or `to` (egress), never empty. */
  readonly peers: readonly AdminPeer[];
  /** Absent: every port. */
  readonly ports?: readonly AdminPort[];
}

export interface ClusterPolicy {
  readonly kind: ClusterPolicyKind;
  readonly name: string;
  readonly tier: Tier;
  /** 0 to 1000, lower first; a BANP (one per cluster) has none and reads 0. */
  readonly priority: number;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

/** A manifest's kind, when it is one of the cluster-scoped policy kinds. */
export function clusterPolicyKind(manifest: { readonly kind?: unknown }): ClusterPolicyKind | undefined {
  return CLUSTER_POLICY_KINDS.find((k) => k === manifest.kind);
}

type WirePorts = { ports?: AdminPort[]; protocols?: CnpProtocol[] };
type WireRule = WirePorts & { name?: string; action: string; from?: AdminPeer[]; to?: AdminPeer[] };
interface CnpPort {
  readonly number?: number;
  readonly range?: { readonly start: number; readonly end: number };
}
interface CnpProtocol {
  readonly tcp?: { readonly destinationPort?: CnpPort };
  readonly udp?: { readonly destinationPort?: CnpPort };
  readonly sctp?: { readonly destinationPort?: CnpPort };
  readonly destinationNamedPort?: string;
}

/** A CNP `protocols` entry as a port: a number, a range, a whole protocol (every port), or a named port. */
function protocolPort(p: CnpProtocol): AdminPort {
  if (p.destinationNamedPort !== undefined) return { namedPort: p.destinationNamedPort };
  const [name, spec] = (Object.entries(p) as Array<[string, { destinationPort?: CnpPort } | undefined]>).find(
    ([k]) => k === 'tcp' || k === 'udp' || k === 'sctp',
  )!;
  const protocol = name.toUpperCase();
  const port = spec?.destinationPort;
  if (port?.number !== undefined) return { portNumber: { protocol, port: port.number } };
  if (port?.range) return { portRange: { protocol, start: port.range.start, end: port.range.end } };
  return { portRange: { protocol, start: 1, end: 65535 } };
}

/** The engine's shape of a validated ANP, BANP or CNP manifest (the wire format). */
export function clusterPolicyOf(manifest: Record<string, unknown>): ClusterPolicy {
  const m = manifest as {
    kind: ClusterPolicyKind;
    metadata: { name: string };
    spec: { tier?: string; priority?: number; subject: AdminSubject; ingress?: WireRule[]; egress?: WireRule[] };
  };
  const rule = (r: WireRule, peers: AdminPeer[] | undefined): AdminRule => {
    const ports = r.protocols ? r.protocols.map(protocolPort) : r.ports;
    return {
      ...(r.name !== undefined ? { name: r.name } : {}),
      action: r.action === 'Accept' ? 'Allow' : (r.action as AdminAction),
      peers: peers ?? [],
      ...(ports !== undefined ? { ports } : {}),
    };
  };
  // v1alpha2 and v1beta1 make a pods peer's namespaceSelector optional: "if empty, it selects all
  // Namespaces" (v1alpha1 requires it, and the schema holds ANP and BANP to that).
  const withNamespaces = <T extends { pods?: Partial<NamespacedPod> }>(x: T): T =>
    x.pods && !x.pods.namespaceSelector ? { ...x, pods: { ...x.pods, namespaceSelector: {} } } : x;
  const tier: Tier = m.kind === BANP_KIND || (m.kind === CNP_KIND && m.spec.tier === 'Baseline') ? 'baseline' : 'admin';
  return {
    kind: m.kind,
    name: m.metadata.name,
    tier,
    priority: m.spec.priority ?? 0,
    subject: withNamespaces(m.spec.subject),
    ingress: (m.spec.ingress ?? []).map((r) => rule(r, r.from?.map(withNamespaces))),
    egress: (m.spec.egress ?? []).map((r) => rule(r, r.to?.map(withNamespaces))),
  };
}

const REF_PREFIX: Readonly<Record<ClusterPolicyKind, string>> = {
  [ANP_KIND]: 'anp',
  [BANP_KIND]: 'banp',
  [CNP_KIND]: 'cnp',
};

/** `anp/NAME`, `banp/default` or `cnp/NAME`: how reports and explain name one. */
export function clusterPolicyRef(p: Pick<ClusterPolicy, 'kind' | 'name'>): string {
  return `${REF_PREFIX[p.kind]}/${p.name}`;
}
