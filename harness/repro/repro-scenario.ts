/**
 * A live namespace set as a v1alpha1 scenario, to replay on kind per CNI: the namespaces with their
 * real labels, one workload per workload class (named after its owner, with its labels and
 * declared ports, and the Service in front of it where one fronts it alone), the NetworkPolicies
 * as files of their own, cleaned of what the API server set, an external for each side of every
 * egress ipBlock, and expectations: the prediction, or with
 * `--observed` what `check` saw on the real cluster. What a scenario cannot carry is said in
 * `notes`, and the cluster the snapshot could not copy (CNI, versions, settings, policies of other
 * kinds) in `metadata.environment`, which a replay prints as warnings. Pure: commands/snapshot.ts
 * reads the cluster and writes the files.
 */
import { modelledClusterPolicies } from '../inventory/cluster-policies.js';
import type { Classing } from '../inventory/classes.js';
import type { Environment } from '../inventory/environment.js';
import type { ClusterSnapshot } from '../inventory/snapshot.js';
import type { CheckContextReport } from '../model/check-report.js';
import type { KubeObject } from '../model/kube-object.js';
import type { ScenarioEnvironment, ScenarioNamespace, ScenarioWorkload } from '../model/scenario.js';
import { DNS_NAMESPACE, NAMESPACE_NAME_LABEL } from '../model/world.js';
import { stripServerFields } from '../scenario/kube-documents.js';
import { observedMatrix, type ObservedTable } from './observed-matrix.js';
import { reproExternals, type ReproExternal } from './repro-externals.js';
import { ipBlockNotes, outsideNamespaceNotes, portlessNotes } from './repro-notes.js';
import { reproServices } from './repro-services.js';
import { workloadNames } from './workload-names.js';

export interface ReproSource {
  readonly context: string;
  /** ISO time of the read. */
  readonly capturedAt: string;
  readonly snapshot: ClusterSnapshot;
  readonly classing: Classing;
  readonly environment: Environment;
  /** The NetworkPolicy objects of the namespace set as the API returned them (networking.k8s.io/v1). */
  readonly policyObjects: readonly KubeObject[];
  /** AdminNetworkPolicies and the BaselineAdminNetworkPolicy read: those that may apply are carried. */
  readonly clusterPolicyObjects?: readonly KubeObject[];
  /** `--observed`: the context's part of a check report. */
  readonly observed?: CheckContextReport;
}

export interface ReproOptions {
  /** metadata.name of the scenario (a DNS label). */
  readonly name: string;
  /** The folder beside the scenario the policy files go to, relative to it (`policies`). */
  readonly policiesDir: string;
}

export interface PolicyFile {
  /** Relative to the scenario. */
  readonly path: string;
  readonly manifests: readonly Record<string, unknown>[];
}

export interface Repro {
  readonly name: string;
  readonly description: string;
  /** metadata.environment but `notCarried`, which is `notes`: every field set. */
  readonly environment: Required<Omit<ScenarioEnvironment, 'notCarried'>>;
  readonly namespaces: readonly ScenarioNamespace[];
  readonly workloads: readonly ScenarioWorkload[];
  readonly externals: readonly ReproExternal[];
  readonly policyFiles: readonly PolicyFile[];
  readonly observed?: readonly ObservedTable[];
  /** What the scenario could not carry or had to change, one sentence each. */
  readonly notes: readonly string[];
}

/** A scenario's namespace names are at most 40 characters: a run prefixes them to make them unique. */
export const MAX_NAMESPACE = 40;

export class ReproError extends Error {}

export function buildRepro(source: ReproSource, options: ReproOptions): Repro {
  const { snapshot, classing, environment } = source;
  const notes: string[] = [];
  const tooLong = snapshot.namespaces.filter((n) => n.length > MAX_NAMESPACE);
  if (tooLong.length)
    throw new ReproError(
      `namespace name(s) longer than ${MAX_NAMESPACE} characters cannot be replayed (a run prefixes them): ` +
        tooLong.join(', '),
    );
  const carried = snapshot.namespaces.filter((n) => n !== DNS_NAMESPACE);
  if (carried.length < snapshot.namespaces.length)
    notes.push(`${DNS_NAMESPACE} is not carried: a replay's own cluster DNS lives there`);
  const inSet = new Set(carried);
  const labelsOf = new Map(snapshot.allNamespaces.map((n) => [n.name, n.labels]));
  const namespaces = carried.map((name) => ({ name, labels: withoutNameLabel(labelsOf.get(name) ?? {}) }));

  const classes = classing.classes.filter((c) => inSet.has(c.namespace));
  for (const c of classes.filter((x) => x.hostNetwork))
    notes.push(
      `${c.key}: ${c.replicas} host-network pod(s) not carried; a scenario's workloads are pods on the pod ` +
        'network, and no podSelector selects host-network pods',
    );
  const podClasses = classes.filter((c) => !c.hostNetwork);
  const naming = workloadNames(podClasses);
  notes.push(...naming.renamed);
  const policies = snapshot.policies.filter((p) => inSet.has(p.metadata.namespace ?? ''));
  notes.push(...portlessNotes(podClasses, policies));
  const services = reproServices(
    snapshot.services.filter((s) => inSet.has(s.namespace)),
    podClasses,
  );
  notes.push(...services.notes);
  const serviceOfClass = new Map([...services.carried.values()].map((c) => [c.classKey, c.service]));
  notes.push(...outsideNamespaceNotes(snapshot, policies, inSet));
  notes.push(...ipBlockNotes(snapshot, policies, inSet));
  for (const s of classing.skipped) notes.push(`${s.pod} not carried: ${s.reason}`);

  const external = reproExternals(policies);
  notes.push(...external.notes);

  const carriedCluster = carriedClusterPolicies(source, environment);
  const isCarried = (p: { kind: string; name: string }) =>
    carriedCluster.some((o) => o.kind === p.kind && o.metadata.name === p.name);
  if (carriedCluster.length)
    notes.push(
      `${carriedCluster.length} cluster-scoped policy(ies) (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ` +
        `ClusterNetworkPolicy) carried (${options.policiesDir}/${CLUSTER_SCOPED_FILE}): a replay applies them ` +
        'confined to its own namespaces',
    );
  const otherPolicies = environment.clusterPolicies
    .filter((p) => !isCarried(p))
    .filter((p) => (p.namespace ? inSet.has(p.namespace) : p.applicability !== 'does not apply'))
    .map(
      (p) =>
        `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${p.applicability}` +
        `${p.classes.length ? ` (${p.classes.join(', ')})` : ''}${p.enforced === false ? ', not enforced' : ''}`,
    );
  if (otherPolicies.length)
    notes.push(
      `${otherPolicies.length} policy(ies) of other kinds not carried (metadata.environment.otherPolicies): ` +
        'a replay enforces NetworkPolicies only',
    );

  const workloadKeys = new Map(podClasses.map((c) => [c.key, `${c.namespace}/${naming.names.get(c.key)!}`]));
  const workloadOf = (key: string) => workloadKeys.get(key);
  let observed: readonly ObservedTable[] | undefined;
  if (source.observed) {
    const matrix = observedMatrix(source.observed, workloadOf, (key) => services.carried.get(key)?.classKey);
    observed = matrix.tables;
    notes.push(...matrix.skipped);
  }

  return {
    name: options.name,
    description:
      `Captured by netpol-harness snapshot from context ${source.context} at ${source.capturedAt}: ` +
      `${carried.length} namespace(s), ${podClasses.length} workload class(es), ${services.carried.size} Service(s), ` +
      `${policies.length} NetworkPolicy(ies).`,
    environment: {
      context: source.context,
      capturedAt: source.capturedAt,
      kubernetesVersion: environment.kubernetesVersion,
      cni: environment.cni.length ? environment.cni.map((c) => `${c.name} ${c.version}`) : ['unknown'],
      settings: environment.settings.map((s) => `${s.source} ${s.key}=${s.value}${s.defaulted ? ' (default)' : ''}`),
      otherPolicies,
    },
    namespaces,
    workloads: podClasses.map((c) => ({
      name: naming.names.get(c.key)!,
      namespace: c.namespace,
      labels: withoutHarnessLabels(c.labels),
      ports: c.ports,
      ...(serviceOfClass.has(c.key) ? { service: serviceOfClass.get(c.key)! } : {}),
    })),
    externals: external.externals,
    policyFiles: [
      ...policyFiles(source.policyObjects, inSet, options.policiesDir),
      ...(carriedCluster.length
        ? [{ path: `${options.policiesDir}/${CLUSTER_SCOPED_FILE}`, manifests: carriedCluster.map(cleanManifest) }]
        : []),
    ],
    ...(observed ? { observed } : {}),
    notes: [...new Set(notes)],
  };
}

function withoutNameLabel(labels: Readonly<Record<string, string>>): Record<string, string> {
  return withoutHarnessLabels(Object.fromEntries(Object.entries(labels).filter(([k]) => k !== NAMESPACE_NAME_LABEL)));
}

/**
 * The labels netpol-harness sets on what a run creates (run, lane, workload): a replay sets its
 * own, so a snapshot of a run's kept namespaces carries the scenario's labels only.
 */
const HARNESS_LABEL_PREFIX = 'netpol-harness/';

function withoutHarnessLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith(HARNESS_LABEL_PREFIX)));
}

/** The file beside the per-namespace ones that holds the cluster-scoped policies carried. */
const CLUSTER_SCOPED_FILE = 'cluster-scoped.yaml';

/**
 * AdminNetworkPolicies and the BaselineAdminNetworkPolicy that may apply to the pods read, and that
 * netpol-harness models (a `nodes` peer it does not): the rest stay in metadata.environment.otherPolicies.
 */
function carriedClusterPolicies(source: ReproSource, environment: Environment): KubeObject[] {
  const applies = new Set(
    environment.clusterPolicies.filter((p) => p.applicability !== 'does not apply').map((p) => `${p.kind}/${p.name}`),
  );
  return modelledClusterPolicies(source.clusterPolicyObjects ?? []).filter((o) =>
    applies.has(`${o.kind}/${o.metadata.name}`),
  );
}

/** A policy as a person would write it: no server-set fields, none of netpol-harness's labels or annotations. */
function cleanManifest(o: KubeObject): Record<string, unknown> {
  const clean = stripServerFields(o).value as { metadata: Record<string, unknown> };
  const labels = withoutHarnessLabels((clean.metadata['labels'] ?? {}) as Record<string, string>);
  const annotations = withoutHarnessLabels((clean.metadata['annotations'] ?? {}) as Record<string, string>);
  const { labels: _, annotations: __, ...metadata } = clean.metadata;
  clean.metadata = {
    ...metadata,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  return { apiVersion: o.apiVersion, kind: o.kind, ...clean };
}

/** One file per namespace, its policies by name, as a person would write them. */
function policyFiles(objects: readonly KubeObject[], inSet: ReadonlySet<string>, dir: string): PolicyFile[] {
  const byNamespace = new Map<string, Record<string, unknown>[]>();
  const sorted = objects
    .filter((o) => inSet.has(o.metadata.namespace ?? ''))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const o of sorted) {
    const ns = o.metadata.namespace!;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), cleanManifest(o)]);
  }
  return [...inSet]
    .filter((ns) => byNamespace.has(ns))
    .map((ns) => ({ path: `${dir}/${ns}.yaml`, manifests: byNamespace.get(ns)! }));
}
