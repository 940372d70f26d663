import { expect } from 'chai';
import { readCluster } from '../../harness/target/read-cluster.js';
import { TargetError } from '../../harness/target/target-error.js';
import type { ClusterSnapshot, LivePod } from '../../harness/inventory/snapshot.js';
import { readFileSync } from 'node:fs';
import { parseObjects, RecordedGateway, type RecordedGatewayOptions } from '../support/recorded-gateway.js';

const OBJECTS = parseObjects(readFileSync('test/fixtures/live/shop-cluster.yaml', 'utf8'));
const recorded = (options?: RecordedGatewayOptions) => new RecordedGateway(OBJECTS, options);

function podNamed(snapshot: ClusterSnapshot, key: string): LivePod {
  const found = snapshot.pods.find((p) => `${p.namespace}/${p.name}` === key);
  if (!found) throw new Error(`no pod ${key}`);
  return found;
}

describe('reader: the namespace set', () => {
  it('--all-namespaces reads every namespace but the system and CNI ones', async () => {
    const read = await readCluster(recorded(), { all: true });
    expect(read.snapshot.namespaces).to.deep.equal(['default', 'monitoring', 'payments', 'shop']);
    expect(read.excluded).to.deep.equal([
      'calico-system',
      'cilium-secrets',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'tigera-operator',
    ]);
    expect(read.snapshot.pods.some((p) => p.namespace === 'kube-system')).to.equal(false);
  });
  it('a system namespace is read when named', async () => {
    const read = await readCluster(recorded(), { names: ['kube-system', 'shop'] });
    expect(read.snapshot.namespaces).to.deep.equal(['kube-system', 'shop']);
    expect(
      read.snapshot.pods.filter((p) => p.namespace === 'kube-system').map((p) => p.labels['k8s-app']),
    ).to.deep.equal(['kube-dns', 'kube-dns']);
  });
  it('a named namespace that does not exist is an error naming it, before anything else is listed', async () => {
    const gw = recorded();
    const error = await readCluster(gw, { names: ['shop', 'shpo'] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TargetError);
    expect((error as Error).message).to.equal('namespace not found: shpo');
    expect(gw.calls).to.deep.equal(['list Namespace']);
  });
  it('namespace labels of every namespace are kept (namespaceSelectors reach outside the set)', async () => {
    const read = await readCluster(recorded(), { names: ['shop'] });
    expect(read.snapshot.allNamespaces.find((n) => n.name === 'payments')?.labels).to.deep.include({
      team: 'payments',
      pci: 'true',
      'kubernetes.io/metadata.name': 'payments',
    });
  });
});

describe('reader: pods', () => {
  it('labels, IPs, node, phase, readiness and declared ports of a Deployment pod', async () => {
    const { snapshot } = await readCluster(recorded(), { names: ['shop'] });
    expect(podNamed(snapshot, 'shop/backend-5c8f7b9d4-zx7rt')).to.deep.equal({
      namespace: 'shop',
      name: 'backend-5c8f7b9d4-zx7rt',
      labels: { app: 'backend', tier: 'api', 'pod-template-hash': '5c8f7b9d4' },
      ip: '10.244.2.40',
      ips: ['10.244.2.40'],
      node: 'kind-worker2',
      phase: 'Running',
      ready: true,
      owner: { kind: 'Deployment', name: 'backend' },
      hostNetwork: false,
      ports: [
        { port: 8080, protocol: 'TCP', name: 'http' },
        { port: 9090, protocol: 'TCP', name: 'metrics' },
      ],
    });
  });
  it('owners: a ReplicaSet resolves to its Deployment, a Job to its CronJob; StatefulSet and DaemonSet as they are', async () => {
    const { snapshot } = await readCluster(recorded(), { all: true });
    const owner = (key: string) => podNamed(snapshot, key).owner;
    expect(owner('shop/frontend-7d9f8b6c5d-4xk2p')).to.deep.equal({ kind: 'Deployment', name: 'frontend' });
    expect(owner('shop/db-migrate-28930140-xk2p9')).to.deep.equal({ kind: 'CronJob', name: 'db-migrate' });
    expect(owner('shop/redis-1')).to.deep.equal({ kind: 'StatefulSet', name: 'redis' });
    expect(owner('monitoring/fluent-bit-c7nzw')).to.deep.equal({ kind: 'DaemonSet', name: 'fluent-bit' });
    expect(owner('monitoring/debug-shell')).to.equal(undefined);
  });
  it('without the right to list ReplicaSets, the owner stays the ReplicaSet and a warning says so', async () => {
    const read = await readCluster(recorded({ forbidden: ['ReplicaSet'] }), { names: ['shop'] });
    expect(podNamed(read.snapshot, 'shop/frontend-7d9f8b6c5d-4xk2p').owner).to.deep.equal({
      kind: 'ReplicaSet',
      name: 'frontend-7d9f8b6c5d',
    });
    expect(read.warnings).to.deep.equal([
      'cannot list ReplicaSets (forbidden): their pods are named after the ReplicaSet, not its owner',
    ]);
  });
  it('a host-network pod: hostNetwork set, its IP is the node IP', async () => {
    const { snapshot } = await readCluster(recorded(), { names: ['monitoring'] });
    expect(podNamed(snapshot, 'monitoring/node-exporter-q9d7x')).to.deep.include({
      hostNetwork: true,
      ip: '172.18.0.2',
      node: 'kind-worker',
    });
  });
  it('a finished Job pod: phase Succeeded, not ready, no IP', async () => {
    const { snapshot } = await readCluster(recorded(), { names: ['shop'] });
    const done = podNamed(snapshot, 'shop/db-migrate-28930080-a1b2c');
    expect([done.phase, done.ready, done.ip, done.ips]).to.deep.equal(['Succeeded', false, undefined, []]);
  });
});

describe('reader: Services and NetworkPolicies', () => {
  it('Services with selector, ports and targetPorts (numbers and names)', async () => {
    const { snapshot } = await readCluster(recorded(), { names: ['shop'] });
    expect(snapshot.services.find((s) => s.name === 'backend')).to.deep.equal({
      namespace: 'shop',
      name: 'backend',
      type: 'ClusterIP',
      clusterIPs: ['10.96.12.41'],
      selector: { app: 'backend' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' },
      ],
    });
    expect(snapshot.services.find((s) => s.name === 'redis')?.clusterIPs).to.deep.equal(['None']);
  });
  it('NetworkPolicies of the set only, with their rules intact (ingress `from`)', async () => {
    const { snapshot } = await readCluster(recorded(), { names: ['payments'] });
    expect(snapshot.policies.map((p) => p.metadata.name)).to.deep.equal([
      'payment-api-ingress',
      'payment-api-allow-legacy-subnet',
    ]);
    expect(snapshot.policies[1]!.spec.ingress?.[0]?.from).to.deep.equal([{ ipBlock: { cidr: '10.244.2.32/28' } }]);
  });
});

describe('reader: read-only', () => {
  it('lists, and never applies, deletes or execs', async () => {
    const gw = recorded();
    await readCluster(gw, { all: true });
    expect(gw.calls.every((c) => c.startsWith('list '))).to.equal(true);
  });
  it('one list per kind for --all-namespaces, one per kind and namespace when named', async () => {
    const all = recorded();
    await readCluster(all, { all: true });
    expect(all.calls).to.have.length(6);
    const named = recorded();
    await readCluster(named, { names: ['shop', 'payments'] });
    expect(named.calls).to.have.length(1 + 5 * 2);
  });
});

describe('reader: a user who may not list namespaces', () => {
  it('named namespaces are read one by one, with a warning about namespaceSelectors', async () => {
    const gw = recorded({ forbidden: ['Namespace'] });
    const read = await readCluster(gw, { names: ['shop'] });
    expect(read.snapshot.allNamespaces.map((n) => n.name)).to.deep.equal(['shop']);
    expect(read.warnings[0]).to.match(/^cannot list namespaces \(forbidden\)/);
    expect(gw.calls).to.include('read Namespace shop');
  });
  it('a named namespace that cannot be read is still reported missing', async () => {
    const error = await readCluster(recorded({ forbidden: ['Namespace'] }), { names: ['nope'] }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).to.equal('namespace not found: nope');
  });
  it('--all-namespaces cannot work without listing them: an error that says what to do', async () => {
    const error = await readCluster(recorded({ forbidden: ['Namespace'] }), { all: true }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TargetError);
    expect((error as Error).message).to.equal('cannot list namespaces (forbidden): name them with --namespace');
  });
});
