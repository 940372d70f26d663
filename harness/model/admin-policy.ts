/**
 * Cluster-scoped policy of policy.networking.k8s.io/v1alpha1 (sigs.k8s.io/network-policy-api v0.1.x):
 * AdminNetworkPolicy (ANP) and BaselineAdminNetworkPolicy (BANP), the shapes the engine reads after
 * validation. ANPs are evaluated before NetworkPolicy, by ascending priority, the first matching rule
 * deciding; BANP after it, only for traffic no NetworkPolicy isolates.
 */
import type { LabelSelector } from './network-policy.js';

export const ADMIN_API_VERSION = 'policy.networking.k8s.io/v1alpha1';
export const ANP_KIND = 'AdminNetworkPolicy';
export const BANP_KIND = 'BaselineAdminNetworkPolicy';
export const CLUSTER_POLICY_KINDS = [ANP_KIND, BANP_KIND] as const;
export type ClusterPolicyKind = (typeof CLUSTER_POLICY_KINDS)[number];

/** The one name a BANP may have (the API refuses any other). */
export const BANP_NAME = 'default';
export const ANP_PRIORITY_MAX = 1000;
export const ADMIN_RULES_MAX = 100;
export const ADMIN_NETWORKS_MAX = 25;

export type AdminAction = 'Allow' | 'Deny' | 'Pass';
export type BaselineAction = 'Allow' | 'Deny';

export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** Exactly one field. */
export interface AdminSubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

/** Exactly one field; `nodes` and `networks` only in egress. `nodes` is experimental and not modelled. */
export interface AdminPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  readonly networks?: readonly string[];
  readonly nodes?: LabelSelector;
}

/** Exactly one field. */
export interface AdminPort {
  readonly portNumber?: { readonly protocol: string; readonly port: number };
  readonly namedPort?: string;
  readonly portRange?: { readonly protocol?: string; readonly start: number; readonly end: number };
}

export interface AdminRule<A extends string = AdminAction> {
  readonly name?: string;
  readonly action: A;
  /** `from` (ingress) or `to` (egress), never empty. */
  readonly peers: readonly AdminPeer[];
  /** Absent: every port. */
  readonly ports?: readonly AdminPort[];
}

interface ClusterPolicyBase<K extends ClusterPolicyKind, A extends string> {
  readonly kind: K;
  readonly name: string;
  readonly subject: AdminSubject;
  readonly ingress: ReadonlyArray<AdminRule<A>>;
  readonly egress: ReadonlyArray<AdminRule<A>>;
}

export interface AdminNetworkPolicy extends ClusterPolicyBase<typeof ANP_KIND, AdminAction> {
  readonly priority: number;
}

export type BaselineAdminNetworkPolicy = ClusterPolicyBase<typeof BANP_KIND, BaselineAction>;

export type ClusterPolicy = AdminNetworkPolicy | BaselineAdminNetworkPolicy;

/** A manifest's kind, when it is one of the cluster-scoped policy kinds. */
export function clusterPolicyKind(manifest: { readonly kind?: unknown }): ClusterPolicyKind | undefined {
  return CLUSTER_POLICY_KINDS.find((k) => k === manifest.kind);
}

/** The engine's shape of a validated ANP or BANP manifest (the wire format: `from`/`to` per direction). */
export function clusterPolicyOf(manifest: Record<string, unknown>): ClusterPolicy {
  const m = manifest as {
    kind: ClusterPolicyKind;
    metadata: { name: string };
    spec: {
      priority?: number;
      subject: AdminSubject;
      ingress?: Array<{ name?: string; action: AdminAction; from: AdminPeer[]; ports?: AdminPort[] }>;
      egress?: Array<{ name?: string; action: AdminAction; to: AdminPeer[]; ports?: AdminPort[] }>;
    };
  };
  const rule = (r: { name?: string; action: AdminAction; ports?: AdminPort[] }, peers: AdminPeer[]) => ({
    ...(r.name !== undefined ? { name: r.name } : {}),
    action: r.action,
    peers,
    ...(r.ports !== undefined ? { ports: r.ports } : {}),
  });
  const ingress = (m.spec.ingress ?? []).map((r) => rule(r, r.from));
  const egress = (m.spec.egress ?? []).map((r) => rule(r, r.to));
  const base = { name: m.metadata.name, subject: m.spec.subject };
  return m.kind === ANP_KIND
    ? { kind: ANP_KIND, ...base, priority: m.spec.priority ?? 0, ingress, egress }
    : {
        kind: BANP_KIND,
        ...base,
        ingress: ingress as Array<AdminRule<BaselineAction>>,
        egress: egress as Array<AdminRule<BaselineAction>>,
      };
}

/** `anp/NAME` or `banp/default`: how reports and explain name one. */
export function clusterPolicyRef(p: ClusterPolicy): string {
  return `${p.kind === ANP_KIND ? 'anp' : 'banp'}/${p.name}`;
}
