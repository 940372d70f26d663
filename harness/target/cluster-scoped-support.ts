/**
 * Can this target enforce each kind of cluster-scoped policy? A kind needs its API served (the CRDs
 * installed) and a CNI that implements it. Calico implements AdminNetworkPolicy from v3.29
 * (projectcalico/calico#9206) and BaselineAdminNetworkPolicy from v3.30, ClusterNetworkPolicy from
 * v3.32; Cilium 1.18 implements none (cilium/cilium#23380), even where someone installed the CRDs.
 * Where a kind cannot be enforced, the cells of steps that use it are `unsupported`, with the reason,
 * never failures.
 */
import { CLUSTER_POLICY_KINDS, CNP_KIND, KIND_API_VERSIONS, type ClusterPolicyKind } from '../model/admin-policy.js';
import type { KubeGateway } from '../kube/gateway.js';

/** Kind -> why this target cannot enforce it; a kind it can is absent. */
export type ClusterScopedSupport = Partial<Record<ClusterPolicyKind, string>>;

const CILIUM =
  'Cilium does not implement AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy ' +
  '(cilium/cilium#23380)';

/** What a CNI at a version does not implement, whatever the cluster serves. */
function notImplemented(
  cni: string | undefined,
  version: string | undefined,
  kind: ClusterPolicyKind,
): string | undefined {
  if (cni === 'cilium') return CILIUM;
  if (cni === 'calico' && kind === CNP_KIND && version !== undefined && olderThan(version, [3, 32]))
    return `Calico ${version} does not implement ClusterNetworkPolicy (Calico does from v3.32)`;
  return undefined;
}

function olderThan(version: string, [major, minor]: readonly [number, number]): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m !== null && (Number(m[1]) < major || (Number(m[1]) === major && Number(m[2]) < minor));
}

export async function clusterScopedSupport(
  gw: KubeGateway,
  cni: string | undefined,
  cniVersion?: string,
): Promise<ClusterScopedSupport> {
  const served = new Map<string, string[] | undefined>();
  const servedKinds = async (groupVersion: string) => {
    if (!served.has(groupVersion)) served.set(groupVersion, await gw.servedKinds(groupVersion).catch(() => undefined));
    return served.get(groupVersion);
  };
  const out: ClusterScopedSupport = {};
  for (const kind of CLUSTER_POLICY_KINDS) {
    const implemented = notImplemented(cni, cniVersion, kind);
    if (implemented) {
      out[kind] = implemented;
      continue;
    }
    const versions = KIND_API_VERSIONS[kind];
    let isServed = false;
    for (const v of versions) if ((await servedKinds(v))?.includes(kind)) isServed = true;
    if (!isServed)
      out[kind] = `the cluster does not serve ${kind} (${versions.join(' or ')}: its CRD is not installed)`;
  }
  return out;
}

/** Why a step that uses these kinds cannot be tested here, or undefined when every one can. */
export function unsupportedKinds(
  support: ClusterScopedSupport | undefined,
  kinds: Iterable<ClusterPolicyKind>,
): string | undefined {
  const reasons = [...new Set([...kinds].flatMap((k) => (support?.[k] ? [support[k]!] : [])))];
  return reasons.length ? reasons.join('; ') : undefined;
}
