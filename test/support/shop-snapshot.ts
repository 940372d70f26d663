import { readFileSync } from 'node:fs';
import { snapshotFromObjects } from '../../harness/inventory/objects.js';
import type { ClusterSnapshot } from '../../harness/inventory/snapshot.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { parseObjects } from './recorded-gateway.js';

/** The recorded shop cluster (test/fixtures/live/shop-cluster.yaml), namespaces shop, payments, monitoring. */
export function shopSnapshot(): ClusterSnapshot {
  const objects = parseObjects(readFileSync('test/fixtures/live/shop-cluster.yaml', 'utf8'));
  const of = (kind: string, apiVersion = kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : undefined) =>
    objects.filter((o: KubeObject) => o.kind === kind && (!apiVersion || o.apiVersion === apiVersion));
  return snapshotFromObjects({
    allNamespaces: of('Namespace'),
    namespaces: ['shop', 'payments', 'monitoring'],
    pods: of('Pod'),
    services: of('Service'),
    policies: of('NetworkPolicy'),
    controllers: [...of('ReplicaSet'), ...of('Job')],
  });
}
