/**
 * Policies the engine does not model (cluster-scoped, CNI-native) and whether each can apply to the
 * pods read. A policy governs only traffic to or from the pods it selects, and every probed cell
 * joins two read pods, so evaluating its subject selector against the read classes is enough.
 * Label selectors are evaluated with the engine's own code; Calico's selector language is not, so
 * those policies "may apply".
 */
import { selectorMatches } from '../engine/selector.js';
import { clusterPolicyKind, KIND_API_VERSIONS } from '../model/admin-policy.js';
import type { KubeObject } from '../model/kube-object.js';
import type { IPBlock, LabelSelector, Labels } from '../model/network-policy.js';
import type { WorkloadClass } from './classes.js';
import type { LiveNamespace } from './snapshot.js';

/** The APIs looked for by discovery, and the kinds listed from each. */
export const POLICY_APIS: ReadonlyArray<{ readonly groupVersion: string; readonly kinds: readonly string[] }> = [
  { groupVersion: 'policy.networking.k8s.io/v1alpha1', kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'] },
  { groupVersion: 'policy.networking.k8s.io/v1alpha2', kinds: ['ClusterNetworkPolicy'] },
  { groupVersion: 'policy.networking.k8s.io/v1beta1', kinds: ['ClusterNetworkPolicy'] },
  { groupVersion: 'crd.projectcalico.org/v1', kinds: ['GlobalNetworkPolicy', 'NetworkPolicy', 'Tier'] },
  { groupVersion: 'cilium.io/v2', kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] },
];

export type Applicability = 'applies' | 'may apply' | 'does not apply';

export interface ClusterPolicy {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly applicability: Applicability;
  /** Keys of the classes it selects ("applies") or could select ("may apply"). */
  readonly classes: readonly string[];
  readonly reason: string;
}

interface Scope {
  readonly classes: readonly WorkloadClass[];
  readonly namespaces: readonly LiveNamespace[];
}

/** Selection of some classes, or a reason the selector cannot be evaluated. */
type Selection = { readonly selected: readonly WorkloadClass[] } | { readonly unevaluated: string };

export function clusterPolicy(object: KubeObject, scope: Scope): ClusterPolicy {
  const { apiVersion, kind } = object;
  const { name, namespace } = object.metadata;
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  // podSelector-like selectors never select host-network pods.
  const pods = scope.classes.filter((c) => !c.hostNetwork);
  const nsLabels = new Map(scope.namespaces.map((n) => [n.name, n.labels]));
  const base = { apiVersion, kind, name, ...(namespace ? { namespace } : {}) };
  const selection = select(kind, apiVersion, spec, namespace, pods, nsLabels);
  if ('unevaluated' in selection) {
    const inScope = namespace ? pods.filter((c) => c.namespace === namespace) : pods;
    return inScope.length === 0
      ? { ...base, applicability: 'does not apply', classes: [], reason: `no read pods in namespace ${namespace}` }
      : { ...base, applicability: 'may apply', classes: inScope.map((c) => c.key), reason: selection.unevaluated };
  }
  const keys = selection.selected.map((c) => c.key);
  return keys.length > 0
    ? { ...base, applicability: 'applies', classes: keys, reason: `selects ${keys.length} of the read classes` }
    : { ...base, applicability: 'does not apply', classes: [], reason: 'selects none of the read pods' };
}

function select(
  kind: string,
  apiVersion: string,
  spec: Record<string, unknown>,
  namespace: string | undefined,
  pods: readonly WorkloadClass[],
  nsLabels: ReadonlyMap<string, Labels>,
): Selection {
  if (apiVersion.startsWith('policy.networking.k8s.io/')) return selectSubject(spec['subject'], pods, nsLabels);
  if (apiVersion.startsWith('cilium.io/')) return selectCilium(spec, namespace, pods, nsLabels);
  if (kind === 'Tier')
    return {
      unevaluated:
        "a tier's policies use Calico selectors (not evaluated); " +
        "an endpoint one of them selects is denied at the tier's end unless a rule passes it",
    };
  const selector = typeof spec['selector'] === 'string' ? spec['selector'].trim() : 'all()';
  if ((selector === 'all()' || selector === '') && spec['namespaceSelector'] === undefined)
    return { selected: namespace ? pods.filter((c) => c.namespace === namespace) : pods };
  return { unevaluated: `Calico selector "${selector}" is not evaluated` };
}

/** AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy: subject.namespaces or subject.pods. */
function selectSubject(
  subject: unknown,
  pods: readonly WorkloadClass[],
  nsLabels: ReadonlyMap<string, Labels>,
): Selection {
  const s = (subject ?? {}) as {
    namespaces?: LabelSelector;
    pods?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector };
  };
  const nsOf = (c: WorkloadClass) => nsLabels.get(c.namespace) ?? {};
  if (s.namespaces) return { selected: pods.filter((c) => selectorMatches(s.namespaces!, nsOf(c))) };
  if (s.pods)
    return {
      selected: pods.filter(
        (c) =>
          selectorMatches(s.pods!.namespaceSelector ?? {}, nsOf(c)) &&
          selectorMatches(s.pods!.podSelector ?? {}, c.labels),
      ),
    };
  return { unevaluated: 'subject has neither namespaces nor pods' };
}

const CILIUM_NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const CILIUM_NAMESPACE_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

/**
 * CiliumNetworkPolicy (its namespace only) and CiliumClusterwideNetworkPolicy: endpointSelector is a
 * label selector over the pod's labels plus the namespace's, under Cilium's key names. Keys from
 * other sources (`reserved:`, service accounts) are not evaluated; nodeSelector selects nodes.
 */
function selectCilium(
  spec: Record<string, unknown>,
  namespace: string | undefined,
  pods: readonly WorkloadClass[],
  nsLabels: ReadonlyMap<string, Labels>,
): Selection {
  const specs = [spec, ...(((spec['specs'] as unknown[]) ?? []) as Array<Record<string, unknown>>)];
  const selectors = specs.flatMap((s) => (s['endpointSelector'] ? [s['endpointSelector'] as LabelSelector] : []));
  if (selectors.length === 0)
    return specs.some((s) => s['nodeSelector'])
      ? { selected: [] }
      : { unevaluated: 'no endpointSelector (nodeSelector or specs the reader does not know)' };
  const normalised = selectors.map(normaliseCiliumSelector);
  const unknown = normalised.find((n) => 'unevaluated' in n);
  if (unknown && 'unevaluated' in unknown) return unknown;
  const inScope = namespace ? pods.filter((c) => c.namespace === namespace) : pods;
  return {
    selected: inScope.filter((c) => {
      const labels = ciliumLabels(c, nsLabels.get(c.namespace) ?? {});
      return normalised.some((n) => 'selector' in n && selectorMatches(n.selector, labels));
    }),
  };
}

function ciliumLabels(c: WorkloadClass, namespaceLabels: Labels): Labels {
  const fromNamespace = Object.entries(namespaceLabels).map(([k, v]) => [`${CILIUM_NAMESPACE_LABEL_PREFIX}${k}`, v]);
  return { ...c.labels, ...Object.fromEntries(fromNamespace), [CILIUM_NAMESPACE_KEY]: c.namespace };
}

/** Strip the `k8s:` and `any:` sources; any other source or a service-account key cannot be evaluated here. */
function normaliseCiliumSelector(selector: LabelSelector): { selector: LabelSelector } | { unevaluated: string } {
  const keyOf = (key: string): string | undefined => {
    const stripped = key.replace(/^(k8s|any):/, '');
    return stripped.includes(':') || stripped.startsWith('io.cilium.k8s.policy.') ? undefined : stripped;
  };
  const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
  const bad = keys.find((k) => keyOf(k) === undefined);
  if (bad !== undefined) return { unevaluated: `endpointSelector key "${bad}" is not evaluated` };
  return {
    selector: {
      ...(selector.matchLabels
        ? { matchLabels: Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [keyOf(k)!, v])) }
        : {}),
      ...(selector.matchExpressions
        ? { matchExpressions: selector.matchExpressions.map((e) => ({ ...e, key: keyOf(e.key)! })) }
        : {}),
    },
  };
}

/**
 * The pod selectors of these policies, so classing keeps any per-replica label they select on:
 * AdminNetworkPolicy-style subjects and peers, Cilium endpoint selectors (Cilium key names mapped).
 * Calico selectors are text: any label key in `candidateKeys` that appears in one counts as
 * selected on (conservative: it can only split classes further, never merge them).
 */
export function clusterPolicyPodSelectors(
  objects: readonly KubeObject[],
  candidateKeys: readonly string[],
): LabelSelector[] {
  return objects.flatMap((o) => {
    const spec = (o['spec'] ?? {}) as Record<string, unknown>;
    if (o.apiVersion.startsWith('policy.networking.k8s.io/')) return subjectAndPeerSelectors(spec);
    if (o.apiVersion.startsWith('cilium.io/'))
      return [spec, ...(((spec['specs'] as unknown[]) ?? []) as Array<Record<string, unknown>>)].flatMap(
        ciliumSelectors,
      );
    const text = JSON.stringify(spec);
    return candidateKeys
      .filter((k) => text.includes(k))
      .map((key) => ({ matchExpressions: [{ key, operator: 'Exists' as const }] }));
  });
}

function subjectAndPeerSelectors(spec: Record<string, unknown>): LabelSelector[] {
  const peers = [
    ...((spec['ingress'] as Array<{ from?: unknown[] }>) ?? []).flatMap((r) => r.from ?? []),
    ...((spec['egress'] as Array<{ to?: unknown[] }>) ?? []).flatMap((r) => r.to ?? []),
    spec['subject'],
  ] as Array<{ pods?: { podSelector?: LabelSelector } } | undefined>;
  return peers.flatMap((p) => (p?.pods?.podSelector ? [p.pods.podSelector] : []));
}

function ciliumSelectors(spec: Record<string, unknown>): LabelSelector[] {
  const selectors = [
    spec['endpointSelector'],
    ...((spec['ingress'] as Array<{ fromEndpoints?: unknown[] }>) ?? []).flatMap((r) => r.fromEndpoints ?? []),
    ...((spec['egress'] as Array<{ toEndpoints?: unknown[] }>) ?? []).flatMap((r) => r.toEndpoints ?? []),
  ] as Array<LabelSelector | undefined>;
  return selectors.flatMap((s) => {
    const n = s ? normaliseCiliumSelector(s) : undefined;
    return n && 'selector' in n ? [n.selector] : [];
  });
}

/** Where CIDRs sit in these kinds: ANP `networks`, Calico `nets`/`notNets`, Cilium `*CIDR` and `*CIDRSet`. */
const CIDR_LISTS = new Set(['networks', 'nets', 'notNets', 'fromCIDR', 'toCIDR']);
const CIDR_SETS = new Set(['fromCIDRSet', 'toCIDRSet']);

/** Every CIDR of these policies, as ipBlocks, so classing splits where one covers some pods of a class. */
export function clusterPolicyIpBlocks(objects: readonly KubeObject[]): IPBlock[] {
  const blocks: IPBlock[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (CIDR_LISTS.has(key) && Array.isArray(child))
        blocks.push(...child.filter((c): c is string => typeof c === 'string').map((cidr) => ({ cidr })));
      else if (CIDR_SETS.has(key) && Array.isArray(child))
        blocks.push(...(child as IPBlock[]).filter((c) => typeof c?.cidr === 'string'));
      else walk(child);
    }
  };
  objects.forEach((o) => walk(o['spec']));
  return blocks;
}

/**
 * The AdminNetworkPolicies and the BaselineAdminNetworkPolicy among the objects read that the engine
 * models (all but those with an experimental `nodes` peer): predictions include them, and they no
 * longer make a cell "governed by a policy the engine does not model".
 */
export function modelledClusterPolicies(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .filter((o) => {
      const kind = clusterPolicyKind(o);
      return kind !== undefined && KIND_API_VERSIONS[kind].includes(o.apiVersion);
    })
    .filter((o) => !/"(nodes|domainNames)":/.test(JSON.stringify(o['spec'] ?? {})))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name));
}
