import type { NetworkPolicy } from './network-policy.js';
import { NAMESPACE_NAME_LABEL } from './world.js';

/**
 * What tells the harness's kind clusters apart: a CNI at a version on a Kubernetes version. A
 * version that is absent, or the kit's default, is left out of the names, so the default cluster
 * keeps the name it always had.
 */
export interface KindClusterKey {
  readonly cni: string;
  readonly cniVersion?: string;
  readonly kubernetesVersion?: string;
}

/** The versions the offline kit builds by default (clusters/versions.yaml): the CNIs' and Kubernetes'. */
export interface DefaultVersions {
  readonly cni: Readonly<Record<string, string>>;
  readonly kubernetes: string;
}

/** The key's versions that are not the defaults, each as `[cni version, kubernetes version]`. */
function nonDefault(key: KindClusterKey, defaults: DefaultVersions): [string | undefined, string | undefined] {
  const cniVersion = key.cniVersion === defaults.cni[key.cni] ? undefined : key.cniVersion;
  const kubernetes = key.kubernetesVersion === defaults.kubernetes ? undefined : key.kubernetesVersion;
  return [cniVersion, kubernetes];
}

/** A target's name in reports: `calico`, `cilium@v1.18.2`, `calico-k8s-v1.35.4`, `cilium@v1.18.2-k8s-v1.35.4`. */
export function kindTargetLabel(key: KindClusterKey, defaults: DefaultVersions): string {
  const [cniVersion, kubernetes] = nonDefault(key, defaults);
  return `${key.cni}${cniVersion ? `@${cniVersion}` : ''}${kubernetes ? `-k8s-${kubernetes}` : ''}`;
}

/**
 * A kind cluster's name: `<prefix>-calico`, `<prefix>-cilium-v1-18-2`, `<prefix>-calico-k8s-v1-35-4`
 * (dots become hyphens), so clusters of every version can be up side by side.
 */
export function kindClusterLabel(prefix: string, key: KindClusterKey, defaults: DefaultVersions): string {
  const [cniVersion, kubernetes] = nonDefault(key, defaults);
  const dashed = (version: string) => version.replace(/\./g, '-');
  return (
    `${prefix}-${key.cni}${cniVersion ? `-${dashed(cniVersion)}` : ''}` +
    (kubernetes ? `-k8s-${dashed(kubernetes)}` : '')
  );
}

/** Is this the name of a cluster of the CNI, at any CNI or Kubernetes version? (`cleanup --cni cilium`) */
export function isKindClusterOf(name: string, prefix: string, cni: string): boolean {
  const base = `${prefix}-${cni}`;
  return name === base || (name.startsWith(`${base}-`) && /^(v\d|k8s-v\d)/.test(name.slice(base.length + 1)));
}

/** Run-scoped names: every namespace a run creates carries the run id, so two runs never collide. */
export const RUN_LABEL = 'netpol-harness/run';
/**
 * An annotation, not a label: on reused pods it changes from scenario to scenario, and a label
 * change re-computes identities (Cilium takes up to 35 s for that, cilium/cilium#38031).
 */
export const SCENARIO_ANNOTATION = 'netpol-harness/scenario';
export const WORKLOAD_LABEL = 'netpol-harness/workload';
/** The lane (a worker slot of a target) whose pods these are: scenarios of one shape reuse them in turn. */
export const LANE_LABEL = 'netpol-harness/lane';
/**
 * On the namespaces of a run started with --keep-namespaces: left at its end on purpose, so the
 * next run does not take them for orphans; `cleanup --run ID` removes them.
 */
export const KEPT_ANNOTATION = 'netpol-harness/kept';

export function newRunId(random: () => number = Math.random): string {
  return Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('');
}

/**
 * Logical namespace -> real name: `<logical>-<run id>-<deployment>`, at most 63 characters. The
 * deployment tag is new for every set of fresh pods: a deleted namespace terminates for a while,
 * and nothing can be created in it meanwhile.
 */
export function realNamespace(logical: string, runId: string, deployment = ''): string {
  return `${logical}-${runId}${deployment ? `-${deployment}` : ''}`.slice(0, 63);
}

/**
 * A policy as it is applied to a cluster: metadata.namespace and the values of
 * kubernetes.io/metadata.name in namespace selectors become real names. Names that are not logical
 * namespaces of the scenario (kube-system, say) are left alone.
 */
export function policyForCluster(
  policy: NetworkPolicy,
  real: ReadonlyMap<string, string>,
  runLabels: Record<string, string>,
): NetworkPolicy {
  const rename = (name: string) => real.get(name) ?? name;
  const rewriteSelector = <T extends { namespaceSelector?: NetworkPolicy['spec']['podSelector'] }>(peer: T): T => {
    const sel = peer.namespaceSelector;
    if (!sel) return peer;
    const matchLabels =
      sel.matchLabels &&
      Object.fromEntries(
        Object.entries(sel.matchLabels).map(([k, v]) => [k, k === NAMESPACE_NAME_LABEL ? rename(v) : v]),
      );
    const matchExpressions = sel.matchExpressions?.map((e) =>
      e.key === NAMESPACE_NAME_LABEL && e.values ? { ...e, values: e.values.map(rename) } : e,
    );
    return {
      ...peer,
      namespaceSelector: {
        ...sel,
        ...(matchLabels ? { matchLabels } : {}),
        ...(matchExpressions ? { matchExpressions } : {}),
      },
    };
  };
  return {
    ...policy,
    metadata: {
      ...policy.metadata,
      namespace: rename(policy.metadata.namespace ?? ''),
      labels: { ...policy.metadata.labels, ...runLabels },
    },
    spec: {
      ...policy.spec,
      ...(policy.spec.ingress
        ? { ingress: policy.spec.ingress.map((r) => (r.from ? { ...r, from: r.from.map(rewriteSelector) } : r)) }
        : {}),
      ...(policy.spec.egress
        ? { egress: policy.spec.egress.map((r) => (r.to ? { ...r, to: r.to.map(rewriteSelector) } : r)) }
        : {}),
    },
  };
}
