/**
 * Workload classes: pods that NetworkPolicy cannot tell apart, so one stands for all. Same namespace,
 * same labels (but for per-replica labels no policy selects on), same declared ports, same side of
 * every ipBlock, and host-network pods apart from the others.
 */
import type { IPBlock, LabelSelector, Labels } from '../model/network-policy.js';
import type { ClusterSnapshot, ContainerPort, LivePod, PodOwner } from './snapshot.js';
import { portKey } from './objects.js';
import { ipBlockSignature, podSelectorKeys, policyIpBlocks, type ParsedIpBlock } from './policy-keys.js';

/**
 * Labels the controllers set that differ between pods of one workload (or between its revisions),
 * with why each is ignored. Kept when some policy's pod selector mentions the key. The keys and who
 * sets them: https://kubernetes.io/docs/reference/labels-annotations-taints/ (pod-index since 1.28:
 * kubernetes/kubernetes#119232; statefulset pod-name: kubernetes/kubernetes#55329).
 *
 * `batch.kubernetes.io/job-name`, `job-name`, `batch.kubernetes.io/controller-uid` and
 * `controller-uid` are deliberately not here: every pod of one Job carries the same values, so they
 * never split a Job's replicas, and keeping them keeps two Jobs whose pods are otherwise unlabelled
 * apart (each a class named after its Job) instead of merging them under one name.
 */
export const PER_REPLICA_LABELS: Readonly<Record<string, string>> = {
  'pod-template-hash': 'set by the Deployment controller per ReplicaSet: two values while a rollout is under way',
  'controller-revision-hash': 'set by the StatefulSet and DaemonSet controllers per revision: differs mid-rollout',
  'pod-template-generation':
    'set by the DaemonSet controller per template generation (deprecated): differs mid-rollout',
  'statefulset.kubernetes.io/pod-name': 'the pod name itself, one value per StatefulSet replica',
  'apps.kubernetes.io/pod-index': 'the StatefulSet ordinal (Kubernetes 1.28+), one value per replica',
  'batch.kubernetes.io/job-completion-index': 'the completion index of an Indexed Job, one value per pod',
};

/** A pod standing in a class, with what differs between replicas. */
export interface ClassMember {
  readonly name: string;
  readonly ip?: string;
  readonly ips: readonly string[];
  readonly node?: string;
  readonly phase: string;
  readonly ready: boolean;
}

export interface WorkloadClass {
  /** `ns/name`, as peers are written in expectations. */
  readonly key: string;
  readonly namespace: string;
  /** The owner's name (Deployment, StatefulSet, DaemonSet, Job, CronJob), else the pod's; `~2`... on collision. */
  readonly name: string;
  /** Every distinct owner of the members (usually one). */
  readonly owners: readonly PodOwner[];
  /** The members' labels without the ignored per-replica ones: what policies see. */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /**
   * podSelector cannot select these pods: they use the node's network namespace and IP, and the
   * spec leaves their policy behaviour undefined (CNIs treat their traffic as the node's):
   * https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
   */
  readonly hostNetwork: boolean;
  readonly replicas: number;
  readonly pods: readonly ClassMember[];
  /** ipBlocks that cover some pods of this workload and not others, so it was split along them. */
  readonly splitBy: readonly string[];
}

export interface Classing {
  readonly classes: readonly WorkloadClass[];
  /** Per-replica label keys ignored (no policy selects on them). */
  readonly ignoredLabels: readonly string[];
  /** Per-replica label keys kept because a policy's pod selector mentions them. */
  readonly keptLabels: readonly string[];
  /** Pods in no class: finished (Succeeded, Failed) pods hold no IP and serve nothing. */
  readonly skipped: ReadonlyArray<{ readonly pod: string; readonly reason: string }>;
}

export interface ClassOptions {
  /** Pod selectors of other policy kinds (AdminNetworkPolicy, CiliumNetworkPolicy...) whose keys must be kept too. */
  readonly extraPodSelectors?: readonly LabelSelector[];
  /** CIDRs of other policy kinds (AdminNetworkPolicy networks, Cilium toCIDR, Calico nets) that split classes too. */
  readonly extraIpBlocks?: readonly IPBlock[];
}

const FINISHED = new Set(['Succeeded', 'Failed']);

export function workloadClasses(snapshot: ClusterSnapshot, options: ClassOptions = {}): Classing {
  const mentioned = podSelectorKeys(snapshot.policies, options.extraPodSelectors);
  const perReplica = Object.keys(PER_REPLICA_LABELS);
  const ignored = new Set(perReplica.filter((k) => !mentioned.has(k)));
  const blocks = policyIpBlocks(snapshot.policies, options.extraIpBlocks);
  const skipped = snapshot.pods
    .filter((p) => FINISHED.has(p.phase))
    .map((p) => ({ pod: `${p.namespace}/${p.name}`, reason: `${p.phase}: finished pods hold no IP` }));

  const groups = new Map<string, LivePod[]>();
  for (const pod of snapshot.pods) {
    if (FINISHED.has(pod.phase)) continue;
    const key = groupKey(pod, ignored);
    const group = groups.get(key);
    if (group) group.push(pod);
    else groups.set(key, [pod]);
  }
  const unnamed = [...groups.values()].flatMap((pods) => splitByIpBlocks(pods, blocks)).map((g) => draft(g, ignored));
  const nsOrder = new Map(snapshot.namespaces.map((n, i) => [n, i]));
  return {
    classes: nameClasses(unnamed).sort(
      (a, b) => (nsOrder.get(a.namespace) ?? 0) - (nsOrder.get(b.namespace) ?? 0) || a.name.localeCompare(b.name),
    ),
    ignoredLabels: [...ignored],
    keptLabels: perReplica.filter((k) => mentioned.has(k)),
    skipped,
  };
}

function withoutIgnored(labels: Labels, ignored: ReadonlySet<string>): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !ignored.has(k)));
}

function groupKey(pod: LivePod, ignored: ReadonlySet<string>): string {
  const labels = Object.entries(withoutIgnored(pod.labels, ignored)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [pod.namespace, pod.hostNetwork, JSON.stringify(labels), pod.ports.map(portKey).join(',')].join('\0');
}

interface Draft {
  readonly pods: readonly LivePod[];
  readonly splitBy: readonly string[];
}

/**
 * Split a group along the ipBlocks that cover some of its pods and not others. Pods without an IP
 * yet (Pending) cannot be placed: they join the largest part.
 */
function splitByIpBlocks(pods: readonly LivePod[], blocks: readonly ParsedIpBlock[]): Draft[] {
  if (blocks.length === 0) return [{ pods, splitBy: [] }];
  const parts = new Map<string, LivePod[]>();
  const unplaced: LivePod[] = [];
  for (const pod of pods) {
    if (pod.ips.length === 0) {
      unplaced.push(pod);
      continue;
    }
    const signature = ipBlockSignature(blocks, pod.ips);
    const part = parts.get(signature);
    if (part) part.push(pod);
    else parts.set(signature, [pod]);
  }
  if (parts.size === 0) return [{ pods, splitBy: [] }];
  const signatures = [...parts.keys()];
  const splitBy = blocks.filter((_, i) => new Set(signatures.map((s) => s[i])).size > 1).map((b) => b.text);
  const largest = [...parts.values()].reduce((a, b) => (b.length > a.length ? b : a));
  largest.push(...unplaced);
  return [...parts.values()].map((p) => ({ pods: p, splitBy }));
}

interface Unnamed extends Omit<WorkloadClass, 'key' | 'name'> {
  readonly baseName: string;
}

function draft({ pods, splitBy }: Draft, ignored: ReadonlySet<string>): Unnamed {
  const sorted = [...pods].sort((a, b) => a.name.localeCompare(b.name));
  const first = sorted[0]!;
  const owners = new Map<string, PodOwner>();
  for (const p of sorted) if (p.owner) owners.set(`${p.owner.kind}/${p.owner.name}`, p.owner);
  return {
    namespace: first.namespace,
    baseName: first.owner?.name ?? first.name,
    owners: [...owners.values()],
    labels: withoutIgnored(first.labels, ignored),
    ports: first.ports,
    hostNetwork: first.hostNetwork,
    replicas: sorted.length,
    pods: sorted.map((p) => ({
      name: p.name,
      ...(p.ip ? { ip: p.ip } : {}),
      ips: p.ips,
      ...(p.node ? { node: p.node } : {}),
      phase: p.phase,
      ready: p.ready,
    })),
    splitBy,
  };
}

/**
 * Name each class after its owner. When several classes of a namespace would share a name: if each
 * is a single pod (a StatefulSet whose pods a policy tells apart by `statefulset.kubernetes.io/pod-name`),
 * each takes its pod's name; else (a workload split by an ipBlock or caught mid-change, a Deployment
 * and a StatefulSet both called `web`) the first by owner kind and first pod keeps the name and the
 * others get `~2`, `~3`: `~` is not valid in Kubernetes names, so it never collides with a real one.
 */
function nameClasses(drafts: readonly Unnamed[]): WorkloadClass[] {
  const byName = new Map<string, Unnamed[]>();
  for (const d of drafts) {
    const key = `${d.namespace}/${d.baseName}`;
    byName.set(key, [...(byName.get(key) ?? []), d]);
  }
  const named = (d: Unnamed, name: string): WorkloadClass => {
    const { baseName: _, ...rest } = d;
    return { key: `${d.namespace}/${name}`, name, ...rest };
  };
  return [...byName.values()].flatMap((same) => {
    if (same.length > 1 && same.every((d) => d.replicas === 1)) return same.map((d) => named(d, d.pods[0]!.name));
    return same
      .sort(
        (a, b) =>
          (a.owners[0]?.kind ?? '').localeCompare(b.owners[0]?.kind ?? '') ||
          a.pods[0]!.name.localeCompare(b.pods[0]!.name),
      )
      .map((d, i) => named(d, i === 0 ? d.baseName : `${d.baseName}~${i + 1}`));
  });
}
