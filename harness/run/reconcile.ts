import { stepPolicies } from '../engine/predict-step.js';
import { RUN_LABEL, policyForCluster } from '../model/cluster-names.js';
import type { LabelOverrides, Step } from '../model/scenario.js';
import type { KubeGateway } from '../kube/gateway.js';
import type { Deployment } from './deploy.js';
import { applyTopology, sameOverrides, type TopologyContext } from './topology.js';

export type ReconcileContext = Omit<TopologyContext, 'namespaces'> & { readonly deployment: Deployment };

/** What a target has in force: the policies (`namespace/name`) and the label overrides applied. */
export interface InForce {
  readonly policies: ReadonlySet<string>;
  readonly labels: LabelOverrides;
}

/** Delete policies by `namespace/name`. */
export async function removePolicies(gw: KubeGateway, policies: Iterable<string>): Promise<void> {
  for (const key of policies) {
    const [namespace, name] = key.split('/') as [string, string];
    await gw.remove({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace } });
  }
}

/**
 * Bring the target to a step's complete desired state: apply its policies (server-side apply,
 * real namespaces and IPs bound), delete the ones in force that it no longer has, and relabel
 * namespaces and pods when its label overrides differ from those in force.
 */
export async function reconcileStep(ctx: ReconcileContext, step: Step, inForce: InForce): Promise<InForce> {
  const { gw, deployment } = ctx;
  const bindings = {
    namespace: (logical: string) => deployment.namespaces.get(logical),
    podIP: (key: string) => deployment.placements.get(key)?.ip,
  };
  const desired = stepPolicies(step, bindings).map((p) =>
    policyForCluster(p, deployment.namespaces, { [RUN_LABEL]: ctx.runId }),
  );
  const names = new Set(desired.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  for (const policy of desired) await gw.apply(policy as never);
  await removePolicies(
    gw,
    [...inForce.policies].filter((n) => !names.has(n)),
  );
  if (!sameOverrides(inForce.labels, step.labels))
    await applyTopology({ ...ctx, namespaces: deployment.namespaces }, step.labels);
  return { policies: names, labels: step.labels };
}
