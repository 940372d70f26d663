/**
 * A scenario's AdminNetworkPolicy or BaselineAdminNetworkPolicy as it is applied to a cluster. They are
 * cluster-scoped, so as written they could select anyone's pods; applied, they select only the
 * scenario's own namespaces:
 *
 * - every namespace selector (the subject's and each peer's) is ANDed with
 *   `kubernetes.io/metadata.name In [the scenario's real namespaces]`, and values of that label naming a
 *   logical namespace become its real name;
 * - an ANP's or CNP's name gets the run and lane, so lanes and runs never collide (a BANP must be named
 *   `default`: a cluster holds one, so a run applies it only where no one else's is in force);
 * - it carries the run label and its process (owner annotation), so `cleanup` and the next run's orphan
 *   sweep find it and can tell whether its run is still alive.
 *
 * `networks` peers are left as written: the subject already limits them to the scenario's own pods.
 */
import { BANP_KIND, clusterPolicyKind, type ClusterPolicyKind } from './admin-policy.js';
import type { LabelSelector } from './network-policy.js';
import { NAMESPACE_NAME_LABEL } from './world.js';

type Manifest = Record<string, unknown>;

export function clusterScopedForCluster(
  manifest: Manifest,
  real: ReadonlyMap<string, string>,
  runLabels: Record<string, string>,
  nameSuffix: string,
  annotations: Record<string, string> = {},
): Manifest {
  const rename = (name: string) => real.get(name) ?? name;
  const ours = [...real.values()].sort();
  const confine = (selector: LabelSelector | undefined): LabelSelector => {
    const sel = selector ?? {};
    const matchLabels =
      sel.matchLabels &&
      Object.fromEntries(
        Object.entries(sel.matchLabels).map(([k, v]) => [k, k === NAMESPACE_NAME_LABEL ? rename(v) : v]),
      );
    const renamed = (sel.matchExpressions ?? []).map((e) =>
      e.key === NAMESPACE_NAME_LABEL && e.values ? { ...e, values: e.values.map(rename) } : e,
    );
    return {
      ...(matchLabels ? { matchLabels } : {}),
      matchExpressions: [...renamed, { key: NAMESPACE_NAME_LABEL, operator: 'In', values: ours }],
    };
  };
  type Peer = {
    namespaces?: LabelSelector;
    pods?: { namespaceSelector: LabelSelector; podSelector: LabelSelector };
    [k: string]: unknown;
  };
  const confinePeer = (peer: Peer): Peer => {
    if (peer.namespaces) return { ...peer, namespaces: confine(peer.namespaces) };
    if (peer.pods) return { ...peer, pods: { ...peer.pods, namespaceSelector: confine(peer.pods.namespaceSelector) } };
    return peer;
  };
  const m = manifest as { kind: ClusterPolicyKind; metadata: Record<string, unknown> & { name: string } } & {
    spec: { subject: Peer; ingress?: Array<{ from: Peer[] }>; egress?: Array<{ to: Peer[] }> };
  };
  const labels = { ...((m.metadata['labels'] as Record<string, string> | undefined) ?? {}), ...runLabels };
  return {
    ...manifest,
    metadata: {
      ...m.metadata,
      name: m.kind === BANP_KIND ? m.metadata.name : `${m.metadata.name}-${nameSuffix}`.slice(0, 253),
      labels,
      annotations: { ...((m.metadata['annotations'] as Record<string, string> | undefined) ?? {}), ...annotations },
    },
    spec: {
      ...m.spec,
      subject: confinePeer(m.spec.subject),
      ...(m.spec.ingress ? { ingress: m.spec.ingress.map((r) => ({ ...r, from: r.from.map(confinePeer) })) } : {}),
      ...(m.spec.egress ? { egress: m.spec.egress.map((r) => ({ ...r, to: r.to.map(confinePeer) })) } : {}),
    },
  };
}

/** How a cluster-scoped policy in force is remembered between steps: `AdminNetworkPolicy/<real name>`. */
export function clusterScopedKey(manifest: Manifest): string {
  const m = manifest as { kind: string; metadata: { name: string } };
  return `${m.kind}/${m.metadata.name}`;
}

/** The key's kind and name, or undefined for a namespaced policy's `namespace/name` key. */
export function parseClusterScopedKey(key: string): { kind: ClusterPolicyKind; name: string } | undefined {
  const [kind, name] = key.split('/') as [string, string];
  const known = clusterPolicyKind({ kind });
  return known ? { kind: known, name } : undefined;
}
