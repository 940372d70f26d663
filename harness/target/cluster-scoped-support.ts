/**
 * Can this target enforce AdminNetworkPolicy and BaselineAdminNetworkPolicy? Both need the API
 * (policy.networking.k8s.io/v1alpha1 served, i.e. the CRDs installed) and a CNI that implements it.
 * Calico does from v3.29 (ANP, projectcalico/calico#9206) and v3.30 (BANP); Cilium 1.18 does not
 * (cilium/cilium#23380), even where someone installed the CRDs. Where they cannot be enforced, the
 * cells of steps with cluster-scoped policies are `unsupported`, with this reason, never failures.
 */
import { ADMIN_API_VERSION, ANP_KIND, BANP_KIND } from '../model/admin-policy.js';
import type { KubeGateway } from '../kube/gateway.js';

const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  cilium: 'Cilium does not implement AdminNetworkPolicy or BaselineAdminNetworkPolicy (cilium/cilium#23380)',
};

/** Undefined when supported; else why not. */
export async function clusterScopedUnsupported(gw: KubeGateway, cni: string | undefined): Promise<string | undefined> {
  const notImplemented = cni === undefined ? undefined : NOT_IMPLEMENTED[cni];
  if (notImplemented) return notImplemented;
  const kinds = await gw.servedKinds(ADMIN_API_VERSION).catch(() => undefined);
  if (!kinds || !kinds.includes(ANP_KIND) || !kinds.includes(BANP_KIND))
    return (
      `the cluster does not serve ${ADMIN_API_VERSION} ${ANP_KIND} and ${BANP_KIND} ` + '(their CRDs are not installed)'
    );
  return undefined;
}
