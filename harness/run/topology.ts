import type { KubeGateway } from '../kube/gateway.js';
import type { Labels } from '../model/network-policy.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { LabelOverrides, Scenario } from '../model/scenario.js';
import { namespaceObject, serviceObject, workloadPod, type WorkloadImage } from '../probe/workload-spec.js';

export interface TopologyContext {
  readonly gw: KubeGateway;
  readonly scenario: Scenario;
  /** Logical namespace -> real namespace. */
  readonly namespaces: ReadonlyMap<string, string>;
  readonly runId: string;
  /** host:pid of the process that runs this (run-owner.ts): an orphan finder tells live runs from dead ones. */
  readonly owner: string;
  /** The lane whose pods these are (spec fields must not change when a later scenario reuses them). */
  readonly lane: number;
  readonly image: WorkloadImage;
  readonly sctp: boolean;
  readonly spread: boolean;
  /** --keep-namespaces: the namespaces say so, and outlive the run. */
  readonly kept?: boolean;
}

/** Apply every namespace, workload pod and Service with the labels a step puts in force (deploy and relabel alike). */
export async function applyTopology(ctx: TopologyContext, overrides: LabelOverrides): Promise<void> {
  const { gw, scenario } = ctx;
  for (const ns of scenario.namespaces) {
    await gw.apply(
      namespaceObject(
        ctx.namespaces.get(ns.name)!,
        overrides.namespaces.get(ns.name) ?? ns.labels,
        ctx.runId,
        scenario.name,
        ctx.lane,
        ctx.owner,
        ctx.kept ?? false,
      ),
    );
  }
  for (const w of scenario.workloads) {
    const key = workloadKey(w.namespace, w.name);
    const labels = overrides.workloads.get(key) ?? w.labels;
    await gw.apply(
      workloadPod({
        name: w.name,
        namespace: ctx.namespaces.get(w.namespace)!,
        key,
        labels,
        ports: w.ports,
        runId: ctx.runId,
        scenario: scenario.name,
        lane: ctx.lane,
        image: ctx.image,
        sctp: ctx.sctp,
        spread: ctx.spread,
      }),
    );
  }
  for (const w of scenario.workloads)
    if (w.service)
      await gw.apply(
        serviceObject({
          workload: w.name,
          namespace: ctx.namespaces.get(w.namespace)!,
          service: w.service,
          runId: ctx.runId,
          scenario: scenario.name,
          lane: ctx.lane,
        }),
      );
}

export const NO_OVERRIDES: LabelOverrides = { namespaces: new Map(), workloads: new Map() };

/** Do two steps put the same label overrides in force? (Then nothing needs relabelling.) */
export function sameOverrides(a: LabelOverrides, b: LabelOverrides): boolean {
  const sameMap = (x: ReadonlyMap<string, Labels>, y: ReadonlyMap<string, Labels>) =>
    x.size === y.size &&
    [...x].every(([k, v]) => {
      const w = y.get(k);
      return (
        w !== undefined &&
        Object.keys(v).length === Object.keys(w).length &&
        Object.entries(v).every(([lk, lv]) => w[lk] === lv)
      );
    });
  return sameMap(a.namespaces, b.namespaces) && sameMap(a.workloads, b.workloads);
}
