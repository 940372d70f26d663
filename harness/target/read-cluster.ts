/**
 * Read a live cluster, read-only: the namespaces, pods, Services and NetworkPolicies of a namespace
 * set, through KubeGateway's list verb only. Interpretation is pure and lives in harness/inventory.
 */
import { KubeError, type KubeGateway } from '../kube/gateway.js';
import type { KubeObject } from '../model/kube-object.js';
import { snapshotFromObjects, type RecordedObjects } from '../inventory/objects.js';
import { selectNamespaces, type NamespaceRequest } from '../inventory/namespaces.js';
import type { ClusterSnapshot } from '../inventory/snapshot.js';
import { TargetError } from './target-error.js';

export interface ClusterRead {
  readonly snapshot: ClusterSnapshot;
  /** System namespaces left out of an all-namespaces read. */
  readonly excluded: readonly string[];
  /** What could not be read and what that costs (owners shown as ReplicaSets, ...). */
  readonly warnings: readonly string[];
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
  return { snapshot: snapshotFromObjects(objects), excluded: objects.excluded, warnings: objects.warnings };
}

/** The raw objects of a read (what a recording of the cluster stores). */
export async function readObjects(
  gw: KubeGateway,
  request: NamespaceRequest,
): Promise<RecordedObjects & { excluded: readonly string[]; warnings: readonly string[] }> {
  const allNamespaces = await gw.list('v1', 'Namespace');
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
  const warnings: string[] = [];
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
