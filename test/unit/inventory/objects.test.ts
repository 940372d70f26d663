import { expect } from 'chai';
import { snapshotFromObjects } from '../../../harness/inventory/objects.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const owned = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: 'u', controller: true }];

function podObject(
  name: string,
  extra: { spec?: object; status?: object; ownerReferences?: object[] } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      labels: { app: name },
      ...(extra.ownerReferences ? { ownerReferences: extra.ownerReferences } : {}),
    },
    spec: { containers: [{ name: 'main' }], ...extra.spec },
    status: { phase: 'Running', ...extra.status },
  };
}

const read = (pods: KubeObject[], controllers: KubeObject[] = []) =>
  snapshotFromObjects({
    allNamespaces: [ns('shop')],
    namespaces: ['shop'],
    pods,
    services: [],
    policies: [],
    controllers,
  });

describe('objects: a pod as the reader records it', () => {
  it('a ReplicaSet owner resolves to the Deployment that controls it', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d9f', namespace: 'shop', ownerReferences: owned('Deployment', 'web') },
    };
    const [pod] = read([podObject('web-5d9f-abcde', { ownerReferences: owned('ReplicaSet', 'web-5d9f') })], [rs]).pods;
    expect(pod!.owner).to.deep.equal({ kind: 'Deployment', name: 'web' });
  });
  it('a ReplicaSet nobody owns stays the owner', () => {
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'lone', namespace: 'shop' } };
    const [pod] = read([podObject('lone-x', { ownerReferences: owned('ReplicaSet', 'lone') })], [rs]).pods;
    expect(pod!.owner).to.deep.equal({ kind: 'ReplicaSet', name: 'lone' });
  });
  it('a mirror (static) pod owned by its Node has no workload owner', () => {
    const [pod] = read([
      podObject('etcd-node1', {
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node1', controller: true }],
      }),
    ]).pods;
    expect(pod!.owner).to.equal(undefined);
  });
  it('ports of every container and of sidecars (restartPolicy Always init containers), protocol defaulting to TCP', () => {
    const [pod] = read([
      podObject('p', {
        spec: {
          containers: [
            { name: 'a', ports: [{ containerPort: 9090, name: 'metrics' }] },
            { name: 'b', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }] },
          ],
          initContainers: [
            { name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] },
            { name: 'setup', ports: [{ containerPort: 1 }] },
          ],
        },
      }),
    ]).pods;
    expect(pod!.ports).to.deep.equal([
      { port: 53, protocol: 'UDP', name: 'dns' },
      { port: 9090, protocol: 'TCP', name: 'metrics' },
      { port: 15001, protocol: 'TCP' },
    ]);
  });
  it('ready only with condition Ready=True; dual-stack IPs all kept', () => {
    const [pod] = read([
      podObject('p', {
        status: {
          podIP: '10.244.1.5',
          podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }],
          conditions: [{ type: 'Ready', status: 'False' }],
        },
      }),
    ]).pods;
    expect([pod!.ip, pod!.ips, pod!.ready]).to.deep.equal(['10.244.1.5', ['10.244.1.5', 'fd00:10:244:1::5'], false]);
  });
});

describe('objects: a Service as the reader records it', () => {
  const read = (name: string, spec: Record<string, unknown>) =>
    snapshotFromObjects({
      allNamespaces: [ns('shop')],
      namespaces: ['shop'],
      pods: [],
      services: [{ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec }],
      policies: [],
      controllers: [],
    }).services[0];

  it('an absent targetPort is the port (API default); no selector stays undefined', () => {
    expect(read('ext', { clusterIP: '10.96.0.9', ports: [{ port: 5432 }] })).to.deep.equal({
      namespace: 'shop',
      name: 'ext',
      type: 'ClusterIP',
      clusterIPs: ['10.96.0.9'],
      ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
    });
  });

  it('keeps the traffic policies, which decide where a connection through it may land', () => {
    const web = read('web', {
      type: 'NodePort',
      clusterIP: '10.96.0.9',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }],
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Local',
    });
    expect(web).to.include({ externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' });
  });
});

describe('objects: policies', () => {
  it('only networking.k8s.io/v1 NetworkPolicies reach the engine (Calico has a kind of the same name)', () => {
    const k8s: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'shop', resourceVersion: '7' },
      spec: { podSelector: {} },
    };
    const calico: KubeObject = { ...k8s, apiVersion: 'crd.projectcalico.org/v1', spec: { selector: 'all()' } };
    const snapshot = snapshotFromObjects({
      allNamespaces: [ns('shop')],
      namespaces: ['shop'],
      pods: [],
      services: [],
      policies: [k8s, calico],
      controllers: [],
    });
    expect(snapshot.policies).to.deep.equal([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'shop' },
        spec: { podSelector: {} },
      },
    ]);
  });
});
