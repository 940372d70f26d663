import { stepPolicies } from '../engine/predict-step.js';
import type { KubeGateway } from '../kube/gateway.js';
import { RUN_LABEL, policyForCluster } from '../model/cluster-names.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { Scenario, Step } from '../model/scenario.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { namespaceObject, workloadPod } from '../probe/workload-spec.js';
import type { Deployment } from './deploy.js';

export interface ReconcileContext {
  readonly gw: KubeGateway;
  readonly scenario: Scenario;
  readonly deployment: Deployment;
  readonly runId: string;
  readonly image: WorkloadImage;
  readonly sctp: boolean;
  readonly spread: boolean;
}

/**
 * Bring the target to a step's complete desired state: apply its policies (server-side apply,
 * real namespaces and IPs bound), delete the ones of the previous step it no longer has, and apply
 * its label overrides. Returns the `namespace/name` of every policy now in force.
 */
export async function reconcileStep(ctx: ReconcileContext, step: Step, inForce: ReadonlySet<string>): Promise<Set<string>> {
  const { gw, scenario, deployment } = ctx;
  const bindings = {
    namespace: (logical: string) => deployment.namespaces.get(logical),
    podIP: (key: string) => deployment.placements.get(key)?.ip,
  };
  const desired = stepPolicies(step, bindings).map((p) => policyForCluster(p, deployment.namespaces, { [RUN_LABEL]: ctx.runId }));
  const names = new Set(desired.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  for (const policy of desired) await gw.apply(policy as never);
  for (const stale of [...inForce].filter((n) => !names.has(n))) {
    const [namespace, name] = stale.split('/') as [string, string];
    await gw.remove({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace } });
  }
  for (const ns of scenario.namespaces) {
    const labels = step.labels.namespaces.get(ns.name) ?? ns.labels;
    await gw.apply(namespaceObject(deployment.namespaces.get(ns.name)!, labels, ctx.runId, scenario.name));
  }
  for (const w of scenario.workloads) {
    const key = workloadKey(w.namespace, w.name);
    const labels = step.labels.workloads.get(key) ?? w.labels;
    await gw.apply(workloadPod({ name: w.name, namespace: deployment.namespaces.get(w.namespace)!, key, labels, ports: w.ports, runId: ctx.runId, scenario: scenario.name, image: ctx.image, sctp: ctx.sctp, spread: ctx.spread }));
  }
  return names;
}
