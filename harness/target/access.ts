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

/** Refuse to touch a cluster where we lack a permission, listing every missing one. */
export async function assertAccess(gw: KubeGateway, target: string): Promise<void> {
  const denied = await gw.deniedAccess(REQUIRED_ACCESS);
  if (denied.length === 0) return;
  const list = denied.map((d) => `${d.verb} ${d.group ? `${d.resource}.${d.group}` : d.resource}`).join(', ');
  throw new TargetError(
    `${target}: missing RBAC permissions: ${list} (apply clusters/rbac/netpol-harness.yaml and bind it to this user)`,
  );
}
