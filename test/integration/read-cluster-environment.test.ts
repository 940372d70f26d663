import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { workloadClasses } from '../../harness/inventory/classes.js';
import { readCluster, readEnvironment, readInventory } from '../../harness/target/read-cluster.js';
import { parseObjects, RecordedGateway, type RecordedGatewayOptions } from '../support/recorded-gateway.js';

const CALICO = parseObjects(readFileSync('test/fixtures/live/shop-cluster.yaml', 'utf8'));
const CILIUM = parseObjects(readFileSync('test/fixtures/live/cilium-cluster.yaml', 'utf8'));

async function environmentOf(objects: typeof CALICO, options?: RecordedGatewayOptions) {
  const gw = new RecordedGateway(objects, options);
  const { snapshot } = await readCluster(gw, { all: true });
  const { classes } = workloadClasses(snapshot);
  return { gw, ...(await readEnvironment(gw, snapshot, classes)) };
}

describe('environment: version, nodes and CNI', () => {
  it('Kubernetes version, node OS image and kernel', async () => {
    const { environment } = await environmentOf(CALICO, { serverVersion: 'v1.34.1' });
    expect(environment.kubernetesVersion).to.equal('v1.34.1');
    expect(environment.nodes[0]).to.deep.equal({
      name: 'kind-control-plane',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.1.0-28-amd64',
      kubeletVersion: 'v1.34.1',
      containerRuntime: 'containerd://2.1.3',
    });
  });
  it('Calico from the calico-node DaemonSet image, with its version', async () => {
    const { environment } = await environmentOf(CALICO);
    expect(environment.cni.map((c) => [c.name, c.version, c.daemonSet])).to.deep.equal([
      ['calico', 'v3.30.2', 'calico-system/calico-node'],
    ]);
  });
  it('nodes with different kernels are a finding', async () => {
    const { findings } = await environmentOf(CILIUM);
    expect(findings).to.deep.include({
      level: 'info',
      topic: 'nodes',
      message: 'nodes run different kernels: 6.8.0-45-generic, 6.1.0-28-amd64',
    });
  });
  it('without the right to list DaemonSets the CNI is unknown, and the report says why', async () => {
    const { environment, findings } = await environmentOf(CALICO, { forbidden: ['DaemonSet'] });
    expect(environment.cni).to.deep.equal([]);
    expect(findings.filter((f) => f.level === 'warning').map((f) => f.topic)).to.include.members(['cni', 'read']);
  });
});

describe('environment: CNI settings, read only where their API or agent exists', () => {
  it('Calico: the default FelixConfiguration; Reject makes blocked connections refused', async () => {
    const { environment, findings } = await environmentOf(CALICO);
    expect(environment.settings.map((s) => `${s.key}=${s.value}`)).to.deep.equal([
      'iptablesFilterDenyAction=Reject',
      'defaultEndpointToHostAction=Drop',
    ]);
    expect(
      findings.some((f) => f.topic === 'setting' && f.message.includes('iptablesFilterDenyAction=Reject')),
    ).to.equal(true);
  });
  it('Cilium: cilium-config in the agent namespace; audit mode is a warning', async () => {
    const { environment, findings, gw } = await environmentOf(CILIUM);
    expect(environment.cni.map((c) => `${c.name} ${c.version}`)).to.deep.equal(['cilium v1.18.3']);
    expect(gw.calls).to.include('read ConfigMap kube-system/cilium-config');
    expect(findings).to.deep.include({
      level: 'warning',
      topic: 'setting',
      message:
        'kube-system/cilium-config policy-audit-mode=true: audit mode: denials are only logged, nothing is blocked',
    });
    expect(findings.map((f) => f.message)).to.include(
      "kube-system/cilium-config identity-change-grace-period=10s: a pod's new labels take effect in policy after 10s",
    );
  });
  it('no Felix API served: no FelixConfiguration read', async () => {
    const { gw } = await environmentOf(CILIUM);
    expect(gw.calls.some((c) => c.includes('FelixConfiguration'))).to.equal(false);
  });
});

describe('environment: cluster-scoped and CNI-native policies', () => {
  it('API discovery first: kinds are listed only where served', async () => {
    const { gw } = await environmentOf(CILIUM);
    const lists = gw.calls.filter((c) => c.startsWith('list ') && /Policy|Tier/.test(c) && c !== 'list NetworkPolicy');
    expect(lists).to.deep.equal([
      'list AdminNetworkPolicy',
      'list CiliumNetworkPolicy',
      'list CiliumClusterwideNetworkPolicy',
    ]);
  });
  it('each policy says whether it can apply to the read pods, and whether the CNI enforces its kind', async () => {
    const { environment } = await environmentOf(CALICO);
    const rows = environment.clusterPolicies.map((p) => [
      p.kind,
      p.name,
      p.applicability,
      p.classes.length,
      p.enforced,
    ]);
    expect(rows).to.deep.equal([
      ['AdminNetworkPolicy', 'pci-isolation', 'applies', 1, true],
      ['AdminNetworkPolicy', 'sandbox-egress', 'does not apply', 0, true],
      ['BaselineAdminNetworkPolicy', 'default', 'applies', 9, true],
      ['GlobalNetworkPolicy', 'security.deny-cloud-metadata', 'applies', 9, true],
      ['NetworkPolicy', 'allow-metrics-scrape', 'may apply', 6, true],
      ['Tier', 'security', 'may apply', 9, true],
      ['Tier', 'adminnetworkpolicy', 'does not apply', 0, true],
      ['CiliumNetworkPolicy', 'batch-egress', 'does not apply', 0, false],
      ['CiliumClusterwideNetworkPolicy', 'redis-lockdown', 'applies', 2, false],
    ]);
  });
  it('a Calico tier with no policy in it (Calico creates three on every cluster) does not apply, and is not warned about', async () => {
    const { environment, findings } = await environmentOf(CALICO);
    expect(environment.clusterPolicies.find((p) => p.name === 'adminnetworkpolicy')?.reason).to.equal(
      'no Calico policy in this tier (a tier selects nothing by itself)',
    );
    expect(findings.some((f) => f.message.includes('adminnetworkpolicy'))).to.equal(false);
    expect(findings.some((f) => f.message.startsWith('Tier security may apply'))).to.equal(true);
  });
  it('a policy that applies and is enforced is a warning naming it; a leftover the CNI ignores is information', async () => {
    const { findings } = await environmentOf(CALICO);
    expect(findings).to.deep.include({
      level: 'warning',
      topic: 'policy',
      message:
        'AdminNetworkPolicy pci-isolation applies to 1 class: their cells are not judged by the NetworkPolicy prediction alone',
    });
    expect(findings).to.deep.include({
      level: 'info',
      topic: 'policy',
      message:
        'CiliumClusterwideNetworkPolicy redis-lockdown applies to 2 classes but the running CNI does not enforce CiliumClusterwideNetworkPolicy',
    });
  });
  it('on Cilium: the CNP by a k8s: key and the namespace-label CCNP apply; service-account key may apply; ANP not enforced', async () => {
    const { environment } = await environmentOf(CILIUM);
    expect(environment.clusterPolicies.map((p) => [p.name, p.applicability, p.enforced])).to.deep.equal([
      ['staging-isolation', 'applies', false],
      ['shopfront-ingress', 'applies', true],
      ['host-firewall', 'does not apply', true],
      ['by-service-account', 'may apply', true],
      ['staging-namespaces', 'applies', true],
    ]);
  });
  it('reading the environment writes nothing', async () => {
    const { gw } = await environmentOf(CALICO);
    expect(gw.calls.filter((c) => c.startsWith('REFUSED'))).to.deep.equal([]);
  });
});

describe('inventory: the namespace set, its classes and the environment in one read', () => {
  it('classes keep a per-replica label a Cilium policy selects on', async () => {
    const ccnp = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'one-frontend' },
      spec: { endpointSelector: { matchLabels: { 'k8s:pod-template-hash': '7d9f8b6c5d' } } },
    };
    const rollout = CALICO.map((o) =>
      o.kind === 'Pod' && o.metadata.name === 'frontend-7d9f8b6c5d-tm5lb'
        ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'pod-template-hash': '59b4c8d7f6' } } }
        : o,
    );
    const without = await readInventory(new RecordedGateway(rollout), { names: ['shop'] });
    expect(without.classing.classes.filter((c) => c.name.startsWith('frontend')).map((c) => c.replicas)).to.deep.equal([
      3,
    ]);
    const withPolicy = await readInventory(new RecordedGateway([...rollout, ccnp]), { names: ['shop'] });
    expect(
      withPolicy.classing.classes.filter((c) => c.name.startsWith('frontend')).map((c) => c.replicas),
    ).to.deep.equal([2, 1]);
    expect(withPolicy.classing.keptLabels).to.include('pod-template-hash');
  });
  it('read warnings come first among the findings', async () => {
    const inventory = await readInventory(new RecordedGateway(CALICO, { forbidden: ['Job'] }), { names: ['shop'] });
    expect(inventory.findings[0]).to.deep.equal({
      level: 'warning',
      topic: 'read',
      message: 'cannot list Jobs (forbidden): their pods are named after the Job, not its owner',
    });
    expect(inventory.classing.classes.map((c) => c.name)).to.include('db-migrate-28930140');
  });
});
