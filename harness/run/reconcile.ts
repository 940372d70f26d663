import { stepPolicies } from '../engine/predict-step.js';
import { substitutePlaceholders } from '../model/placeholders.js';
import { OWNER_ANNOTATION } from '../model/run-owner.js';
import { ADMIN_API_VERSION, BANP_KIND, BANP_NAME, KIND_API_VERSIONS } from '../model/admin-policy.js';
import { clusterScopedForCluster, clusterScopedKey, parseClusterScopedKey } from '../model/cluster-scoped.js';
import { RUN_LABEL, policyForCluster } from '../model/cluster-names.js';
import type { LabelOverrides, Step } from '../model/scenario.js';
import type { KubeGateway } from '../kube/gateway.js';
import type { Deployment } from './deploy.js';
import { applyTopology, sameOverrides, type TopologyContext } from './topology.js';

export type ReconcileContext = Omit<TopologyContext, 'namespaces'> & {
  readonly deployment: Deployment;
  /** Why cluster-scoped policies cannot be enforced on this target: they are then not applied. */
  readonly clusterScopedUnsupported?: string;
};

/** What a target has in force: the policies (`namespace/name`) and the label overrides applied. */
export interface InForce {
  readonly policies: ReadonlySet<string>;
  readonly labels: LabelOverrides;
  /** The cluster-scoped policies the last step applied, as applied (for the report). */
  readonly applied?: ReadonlyArray<Record<string, unknown>>;
}

/** Delete policies by `namespace/name`, and cluster-scoped ones by `AdminNetworkPolicy/name`. */
export async function removePolicies(gw: KubeGateway, policies: Iterable<string>): Promise<void> {
  for (const key of policies) {
    const cluster = parseClusterScopedKey(key);
    if (cluster) {
      // Through each version the kind is served at: a version the cluster does not serve deletes nothing.
      for (const apiVersion of KIND_API_VERSIONS[cluster.kind])
        await gw.remove({ apiVersion, kind: cluster.kind, metadata: { name: cluster.name } });
      continue;
    }
    const [namespace, name] = key.split('/') as [string, string];
    await gw.remove({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace } });
  }
}

/** The cluster-scoped ones among policies in force: they outlive namespaces, so each goes by name. */
export function clusterScopedIn(policies: Iterable<string>): string[] {
  return [...policies].filter((k) => parseClusterScopedKey(k) !== undefined);
}

/**
 * A cluster holds one BaselineAdminNetworkPolicy, named default. Ours replaces only ours (this run's):
 * anyone else's is never overwritten, and the step fails with why.
 */
async function assertBaselineIsOurs(gw: KubeGateway, runId: string): Promise<void> {
  const existing = await gw.read({ apiVersion: ADMIN_API_VERSION, kind: BANP_KIND, name: BANP_NAME });
  const owner = existing?.metadata?.labels?.[RUN_LABEL];
  if (existing && owner !== runId)
    throw new Error(
      `a ${BANP_KIND} named ${BANP_NAME} is already in force on this cluster ` +
        `(${owner ? `run ${owner}'s` : 'not created by netpol-harness'}); a cluster holds one, so this ` +
        "scenario's baseline cannot be applied without replacing it",
    );
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
  const cluster = ctx.clusterScopedUnsupported
    ? []
    : step.clusterPolicies.map((p) =>
        clusterScopedForCluster(
          substitutePlaceholders(p.manifest, bindings),
          deployment.namespaces,
          { [RUN_LABEL]: ctx.runId },
          `${ctx.runId}-${ctx.lane}`,
          { [OWNER_ANNOTATION]: ctx.owner },
        ),
      );
  const names = new Set([
    ...desired.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
    ...cluster.map(clusterScopedKey),
  ]);
  for (const policy of desired) await gw.apply(policy as never);
  if (cluster.some((p) => p['kind'] === BANP_KIND)) await assertBaselineIsOurs(gw, ctx.runId);
  for (const policy of cluster) await gw.apply(policy as never);
  await removePolicies(
    gw,
    [...inForce.policies].filter((n) => !names.has(n)),
  );
  if (!sameOverrides(inForce.labels, step.labels))
    await applyTopology({ ...ctx, namespaces: deployment.namespaces }, step.labels);
  return { policies: names, labels: step.labels, ...(cluster.length ? { applied: cluster } : {}) };
}
