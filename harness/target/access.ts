import type { AccessCheck, KubeGateway } from '../kube/gateway.js';
import { TargetError } from './target-error.js';

/**
 * What the harness needs on an existing cluster, no more: clusters/rbac/netpol-harness.yaml grants
 * exactly this, and test/e2e/rbac.e2e.test.ts proves that each one is needed by a call the harness
 * makes (server-side apply is patch, and create when it creates; exec over a websocket is get on
 * pods/exec, and also create from Kubernetes v1.35 on).
 */
export const REQUIRED_ACCESS: readonly AccessCheck[] = [
  ...['create', 'patch', 'list', 'delete'].map((verb) => ({ verb, resource: 'namespaces', group: '' })),
  ...['create', 'patch', 'list'].map((verb) => ({ verb, resource: 'pods', group: '' })),
  { verb: 'create', resource: 'pods/exec', group: '' },
  { verb: 'get', resource: 'pods/exec', group: '' },
  { verb: 'list', resource: 'events', group: '' },
  ...['create', 'patch', 'delete'].map((verb) => ({ verb, resource: 'networkpolicies', group: 'networking.k8s.io' })),
];

/** What a scenario whose workloads declare Services also needs (clusters/rbac/netpol-harness.yaml). */
export const SERVICE_ACCESS: readonly AccessCheck[] = [
  ...['create', 'patch', 'get'].map((verb) => ({ verb, resource: 'services', group: '' })),
  { verb: 'list', resource: 'endpointslices', group: 'discovery.k8s.io' },
];

/**
 * What `run --allow-cluster-scoped` also needs for scenarios with cluster-scoped policies
 * (clusters/rbac/netpol-harness-cluster-scoped.yaml, a role of its own: most users never grant it).
 */
export const CLUSTER_SCOPED_ACCESS: readonly AccessCheck[] = [
  'adminnetworkpolicies',
  'baselineadminnetworkpolicies',
  'clusternetworkpolicies',
].flatMap((resource) =>
  ['create', 'patch', 'get', 'list', 'delete'].map((verb) => ({ verb, resource, group: 'policy.networking.k8s.io' })),
);

/** Refuse to touch a cluster where we lack a permission, listing every missing one. */
export async function assertAccess(gw: KubeGateway, target: string, also: readonly AccessCheck[] = []): Promise<void> {
  const denied = await gw.deniedAccess([...REQUIRED_ACCESS, ...also]);
  if (denied.length === 0) return;
  const list = denied.map(accessText).join(', ');
  const clusterScoped = denied.some((d) => CLUSTER_SCOPED_ACCESS.includes(d));
  throw new TargetError(
    `${target}: missing RBAC permissions: ${list} (apply clusters/rbac/netpol-harness.yaml` +
      (clusterScoped ? ' and clusters/rbac/netpol-harness-cluster-scoped.yaml' : '') +
      ' and bind it to this user)',
  );
}

/**
 * What `snapshot` reads, and nothing else: the namespaces (get each named one, or list them all),
 * and the pods, Services and NetworkPolicies in each. ReplicaSets, Jobs, nodes and the policy CRDs
 * are read when allowed and said when not (target/read-cluster.ts).
 */
export function snapshotAccess(namespaces: readonly string[] | 'all'): AccessCheck[] {
  const within = (resource: string, group: string): AccessCheck[] =>
    namespaces === 'all'
      ? [{ verb: 'list', resource, group }]
      : namespaces.map((namespace) => ({ verb: 'list', resource, group, namespace }));
  return [
    namespaces === 'all'
      ? { verb: 'list', resource: 'namespaces', group: '' }
      : { verb: 'get', resource: 'namespaces', group: '' },
    ...within('pods', ''),
    ...within('services', ''),
    ...within('networkpolicies', 'networking.k8s.io'),
  ];
}

/** Refuse before reading when a verb `snapshot` needs is denied, listing each one. */
export async function assertSnapshotAccess(
  gw: KubeGateway,
  context: string,
  namespaces: readonly string[] | 'all',
): Promise<void> {
  const denied = await gw.deniedAccess(snapshotAccess(namespaces));
  if (denied.length === 0) return;
  const list = denied.map(accessText).join(', ');
  throw new TargetError(`${context}: missing RBAC permissions to read: ${list}; nothing was written`);
}

/** `list networkpolicies.networking.k8s.io in shop`, as kubectl auth can-i names a verb. */
function accessText(a: AccessCheck): string {
  return `${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource}${a.namespace ? ` in ${a.namespace}` : ''}`;
}
