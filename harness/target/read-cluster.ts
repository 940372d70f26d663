/**
 * Read a live cluster, read-only: the namespaces, pods, Services and NetworkPolicies of a namespace
 * set, and the environment (version, nodes, CNI, its settings, cluster-scoped and CNI-native
 * policies), through KubeGateway's list, read and discovery verbs only. Interpretation is pure and
 * lives in harness/inventory.
 */
import { KubeError, type KubeGateway } from '../kube/gateway.js';
import type { KubeObject } from '../model/kube-object.js';
import { networkPolicyObjects, snapshotFromObjects, type RecordedObjects } from '../inventory/objects.js';
import { selectNamespaces, type NamespaceRequest } from '../inventory/namespaces.js';
import type { ClusterSnapshot } from '../inventory/snapshot.js';
import { PER_REPLICA_LABELS, workloadClasses, type Classing, type WorkloadClass } from '../inventory/classes.js';
import { clusterPolicyIpBlocks, clusterPolicyPodSelectors, POLICY_APIS } from '../inventory/cluster-policies.js';
import { detectCnis } from '../inventory/cni.js';
import {
  interpretEnvironment,
  type Environment,
  type EnvironmentObjects,
  type Finding,
} from '../inventory/environment.js';
import { TargetError } from './target-error.js';

export interface ClusterRead {
  readonly snapshot: ClusterSnapshot;
  /** System namespaces left out of an all-namespaces read. */
  readonly excluded: readonly string[];
  /** What could not be read and what that costs (owners shown as ReplicaSets, ...). */
  readonly warnings: readonly string[];
  /** The NetworkPolicy objects of the set as the API returned them (`snapshot` writes them out). */
  readonly policyObjects: readonly KubeObject[];
}

const KINDS = {
  pods: ['v1', 'Pod'],
  services: ['v1', 'Service'],
  policies: ['networking.k8s.io/v1', 'NetworkPolicy'],
} as const;

/** The ReplicaSets and Jobs pods point at, to name a pod after its Deployment or CronJob. */
const CONTROLLER_KINDS = [
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
] as const;

export async function readCluster(gw: KubeGateway, request: NamespaceRequest): Promise<ClusterRead> {
  const objects = await readObjects(gw, request);
  return {
    snapshot: snapshotFromObjects(objects),
    excluded: objects.excluded,
    warnings: objects.warnings,
    policyObjects: networkPolicyObjects(objects),
  };
}

/** The raw objects of a read (what a recording of the cluster stores). */
export async function readObjects(
  gw: KubeGateway,
  request: NamespaceRequest,
): Promise<RecordedObjects & { excluded: readonly string[]; warnings: readonly string[] }> {
  const warnings: string[] = [];
  const allNamespaces = await listNamespaces(gw, request, warnings);
  const selection = selectNamespaces(
    allNamespaces.map((n) => n.metadata.name),
    request,
  );
  if ('missing' in selection)
    throw new TargetError(
      `namespace${selection.missing.length > 1 ? 's' : ''} not found: ${selection.missing.join(', ')}`,
    );
  // One cluster-wide list per kind for --all-namespaces; one list per namespace when they are named.
  const listIn = async (apiVersion: string, kind: string): Promise<KubeObject[]> =>
    'all' in request
      ? gw.list(apiVersion, kind)
      : (await Promise.all(selection.namespaces.map((ns) => gw.list(apiVersion, kind, ns)))).flat();
  const controllersOf = async ([apiVersion, kind]: readonly [string, string]) => {
    try {
      return await listIn(apiVersion, kind);
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 403) throw e;
      warnings.push(`cannot list ${kind}s (forbidden): their pods are named after the ${kind}, not its owner`);
      return [];
    }
  };
  const [pods, services, policies, ...controllers] = await Promise.all([
    listIn(...KINDS.pods),
    listIn(...KINDS.services),
    listIn(...KINDS.policies),
    ...CONTROLLER_KINDS.map(controllersOf),
  ]);
  return {
    allNamespaces,
    namespaces: selection.namespaces,
    pods,
    services,
    policies,
    controllers: controllers.flat(),
    excluded: selection.excluded,
    warnings,
  };
}

/**
 * Every namespace with its labels. A user allowed only into some namespaces may not list them all:
 * named ones are then read one by one, and namespaceSelectors can only be judged against those.
 */
async function listNamespaces(gw: KubeGateway, request: NamespaceRequest, warnings: string[]): Promise<KubeObject[]> {
  try {
    return await gw.list('v1', 'Namespace');
  } catch (e) {
    if (!(e instanceof KubeError) || e.code !== 403) throw e;
    if ('all' in request) throw new TargetError(`cannot list namespaces (forbidden): name them with --namespace`);
    warnings.push(
      'cannot list namespaces (forbidden): only the named ones are known, ' +
        'so a namespaceSelector is judged against them alone',
    );
    const read = await Promise.all(request.names.map((name) => gw.read({ apiVersion: 'v1', kind: 'Namespace', name })));
    return read.filter((n): n is KubeObject => n !== undefined);
  }
}

/** What the environment's interpretation needs: version, nodes, DaemonSets, CNI settings, policy APIs. */
export async function readEnvironmentObjects(gw: KubeGateway): Promise<EnvironmentObjects> {
  const unreadable: string[] = [];
  const orNothing = async <T>(what: string, read: () => Promise<T>, nothing: T): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 403) throw e;
      unreadable.push(`cannot read ${what} (forbidden): ${e.message}`);
      return nothing;
    }
  };
  const [serverVersion, nodes, daemonSets, served] = await Promise.all([
    gw.serverVersion(),
    orNothing('nodes', () => gw.list('v1', 'Node'), []),
    orNothing('DaemonSets, so the CNI', () => gw.list('apps/v1', 'DaemonSet'), []),
    servedPolicyApis(gw),
  ]);
  const cilium = detectCnis(daemonSets).find((c) => c.name === 'cilium');
  const ciliumConfig = cilium
    ? await orNothing(
        'cilium-config',
        () =>
          gw.read({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: cilium.daemonSet.split('/')[0]!,
            name: 'cilium-config',
          }),
        undefined,
      )
    : undefined;
  const felixConfiguration = served[CALICO_CRDS]?.includes('FelixConfiguration')
    ? await orNothing(
        'FelixConfiguration default',
        () => gw.read({ apiVersion: CALICO_CRDS, kind: 'FelixConfiguration', name: 'default' }),
        undefined,
      )
    : undefined;
  const clusterPolicies = (
    await Promise.all(
      POLICY_APIS.flatMap(({ groupVersion, kinds }) =>
        kinds
          .filter((k) => served[groupVersion]?.includes(k))
          .map((kind) => orNothing(`${kind}s`, () => gw.list(groupVersion, kind), [])),
      ),
    )
  )
    .flat()
    // A kind served at two versions (ClusterNetworkPolicy v1alpha2 and v1beta1) is listed once.
    .filter((o, i, all) => all.findIndex((x) => sameObject(x, o)) === i);
  return {
    serverVersion,
    nodes,
    daemonSets,
    ...(ciliumConfig ? { ciliumConfig } : {}),
    ...(felixConfiguration ? { felixConfiguration } : {}),
    served: Object.fromEntries(
      Object.entries(served).map(([gv, kinds]) => [gv, kinds?.filter((k) => LOOKED_FOR.has(k))]),
    ),
    clusterPolicies,
    unreadable,
  };
}

const CALICO_CRDS = 'crd.projectcalico.org/v1';

function sameObject(a: KubeObject, b: KubeObject): boolean {
  return a.kind === b.kind && a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace;
}
const LOOKED_FOR = new Set([...POLICY_APIS.flatMap((a) => a.kinds), 'FelixConfiguration']);

/** API discovery first: a kind is listed only where its group version is served and has it. */
async function servedPolicyApis(gw: KubeGateway): Promise<Record<string, string[] | undefined>> {
  const entries = await Promise.all(
    POLICY_APIS.map(async ({ groupVersion }) => [groupVersion, await gw.servedKinds(groupVersion)] as const),
  );
  return Object.fromEntries(entries);
}

/** The environment of a read cluster and what in it changes what a test observes. */
export async function readEnvironment(
  gw: KubeGateway,
  snapshot: ClusterSnapshot,
  classes: readonly WorkloadClass[],
): Promise<{ environment: Environment; findings: Finding[] }> {
  return interpretEnvironment(await readEnvironmentObjects(gw), { classes, namespaces: snapshot.allNamespaces });
}

export interface Inventory extends ClusterRead {
  readonly classing: Classing;
  readonly environment: Environment;
  /** The environment's findings, and what could not be read. */
  readonly findings: readonly Finding[];
  /** The cluster-scoped and CNI-native policy objects as read (a snapshot carries ANPs and the BANP). */
  readonly clusterPolicyObjects: readonly KubeObject[];
}

/**
 * Everything check needs before it probes: the namespace set (read first, so a wrong name fails
 * before anything else is asked), the environment, then classes that keep any per-replica label a
 * cluster-scoped or CNI-native policy selects on and split along their CIDRs as along ipBlocks.
 */
export async function readInventory(gw: KubeGateway, request: NamespaceRequest): Promise<Inventory> {
  const read = await readCluster(gw, request);
  const objects = await readEnvironmentObjects(gw);
  const classing = workloadClasses(read.snapshot, {
    extraPodSelectors: clusterPolicyPodSelectors(objects.clusterPolicies, Object.keys(PER_REPLICA_LABELS)),
    extraIpBlocks: clusterPolicyIpBlocks(objects.clusterPolicies),
  });
  const { environment, findings } = interpretEnvironment(objects, {
    classes: classing.classes,
    namespaces: read.snapshot.allNamespaces,
  });
  const readFindings = read.warnings.map((message): Finding => ({ level: 'warning', topic: 'read', message }));
  return {
    ...read,
    classing,
    environment,
    findings: [...readFindings, ...findings],
    clusterPolicyObjects: objects.clusterPolicies,
  };
}
