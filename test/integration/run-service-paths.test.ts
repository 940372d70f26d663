/**
 * Cells through Services on a cluster that enforces the spec (the in-memory fake plays kube-proxy:
 * cluster IP and DNS name to the backend pod and its targetPort): the service-paths example passes on
 * every path, a failed lookup is dns-error and counts as not connected, and the upstream cases pass
 * through the upstream suite's own Services as they do pod to pod.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { countVerdicts } from '../../harness/model/run-report.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { runScenario } from '../../harness/run/scenario-run.js';
import { withImplicitServices } from '../../harness/scenario/services.js';
import { fakeRunSettings, loadValid } from '../support/fake-run.js';
import { FakeCluster, fakeSession } from '../support/fake-cluster.js';

const settings = fakeRunSettings('svc001');

function session(cluster = new FakeCluster({ coreDns: 'up' })) {
  return { cluster, target: fakeSession(cluster) };
}

describe('probing through Services (in-memory cluster)', () => {
  it('the service-paths example passes on every path; the name that cannot be looked up is dns-error', async () => {
    const { cluster, target } = session();
    const run = await runScenario(target, loadValid('scenarios/12-service-paths.yaml'), 0, settings);
    expect(run.error).to.equal(undefined);
    const cells = run.steps[0]!.cells;
    expect(countVerdicts(cells).fail, JSON.stringify(cells.find((c) => c.verdict === 'fail'))).to.equal(0);
    const report = cells.filter((c) => c.from === 'batch/report' && c.to === 'web/frontend' && c.port === 8080);
    expect(report.map((c) => [c.via ?? 'pod', c.service ?? '', c.observed, c.verdict])).to.deep.equal([
      ['pod', '', 'allowed', 'pass'],
      ['service', 'frontend:80', 'allowed', 'pass'],
      ['dns', 'frontend:80', 'dns-error', 'pass'],
    ]);
    const hairpin = cells.find((c) => c.from === 'web/frontend' && c.via === 'service')!;
    expect([hairpin.verdict, hairpin.clusterDeviatesFromSpec]).to.deep.equal(['not-asserted', false]);
    expect(hairpin.unspecified).to.match(/hairpin/);
    expect(cluster.services.size, 'Services go with their namespaces').to.equal(0);
  });

  it('a Service without a ready endpoint makes its cells errors, never blocked', async () => {
    const cluster = new FakeCluster({ coreDns: 'up' });
    // The endpoint controller never publishes anything.
    const list = cluster.list.bind(cluster);
    cluster.list = async (apiVersion, kind, namespace) =>
      kind === 'EndpointSlice' ? [] : list(apiVersion, kind, namespace);
    const { target } = session(cluster);
    const run = await runScenario(target, loadValid('scenarios/12-service-paths.yaml'), 0, {
      ...settings,
    });
    const via = run.steps[0]!.cells.filter((c) => c.via);
    expect(via.length).to.be.greaterThan(0);
    expect(via.every((c) => c.observed === 'error' && c.verdict === 'inconclusive')).to.equal(true);
    expect(via[0]!.detail).to.match(/had no ready endpoint after [\d.]+ s/);
  });

  const upstream = readdirSync('test/fixtures/upstream')
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it(`the ${upstream.length} upstream cases pass through their Services as pod to pod`, async () => {
    for (const file of upstream) {
      const scenario = loadValid(path.join('test/fixtures/upstream', file));
      const viaService: Scenario = {
        ...scenario,
        probe: { via: ['pod', 'service'], services: 'all', fromNodes: false },
        workloads: withImplicitServices(scenario.workloads),
      };
      const { target } = session();
      const run = await runScenario(target, viaService, 0, settings);
      expect(run.error, file).to.equal(undefined);
      for (const step of run.steps) {
        const tcpUdp = step.cells.filter((c) => c.protocol !== 'SCTP');
        expect(countVerdicts(tcpUdp).fail, `${file} ${step.name}`).to.equal(0);
        const pod = tcpUdp.filter((c) => !c.via).map((c) => `${c.from} ${c.to} ${c.port} ${c.observed === 'allowed'}`);
        const service = tcpUdp
          .filter((c) => c.via === 'service' && !c.unspecified)
          .map((c) => `${c.from} ${c.to} ${c.port} ${c.observed === 'allowed'}`);
        expect(service.length, file).to.be.greaterThan(0);
        expect(pod, `${file} ${step.name}: every service cell saw what its pod cell saw`).to.include.members(service);
      }
    }
  }).timeout(120_000);
});

describe('probing from nodes (in-memory cluster with two nodes)', () => {
  it('node:local always gets through, node:remote is judged where the readings agree, the rest is unspecified', async () => {
    const cluster = new FakeCluster({ coreDns: 'up', nodes: ['fake-control-plane', 'fake-worker'] });
    const { target } = session(cluster);
    const run = await runScenario(target, loadValid('scenarios/13-node-probes.yaml'), 0, settings);
    expect(run.error).to.equal(undefined);
    const cells = run.steps[0]!.cells.filter((c) => c.from.startsWith('node:'));
    expect(cells.map((c) => `${c.from} ${c.to} ${c.port} ${c.observed} ${c.verdict}`)).to.deep.equal([
      'node:local shop/api 8080 allowed pass',
      'node:remote shop/api 8080 dropped pass',
      'node:local shop/web 8080 allowed pass',
      'node:remote shop/web 8080 dropped pass',
      'node:local shop/web 9090 allowed pass',
      // The fake treats a host-network pod as a pod with its node's IP: the ipBlock admits it.
      'node:remote shop/web 9090 allowed not-asserted',
    ]);
    expect(cells.at(-1)!.unspecified).to.match(/host-network source undefined/);
    expect(cells.at(-1)!.clusterDeviatesFromSpec).to.equal(false);
    expect(cluster.namespaces.size, 'the host probes go with the lane').to.equal(0);
  });

  it('on a cluster we do not own, node cells are unsupported, with why, and nothing runs in the host network', async () => {
    const cluster = new FakeCluster({ coreDns: 'up', nodes: ['n1', 'n2'] });
    const context = { ...session(cluster).target, ownCluster: false };
    const other = await runScenario(context, loadValid('scenarios/13-node-probes.yaml'), 0, settings);
    const cells = other.steps[0]!.cells.filter((c) => c.from.startsWith('node:'));
    expect(cells.every((c) => c.observed === 'unsupported' && c.verdict === 'inconclusive')).to.equal(true);
    expect(cells[0]!.detail).to.match(/started only with run --allow-host-network/);
    const hostPods = [...cluster.pods.values()].filter(
      (p) => (p.object['spec'] as { hostNetwork?: boolean }).hostNetwork,
    );
    expect(hostPods).to.deep.equal([]);
  });
});

describe('node sources on a cluster we do not own, with --allow-host-network', () => {
  it('host probes go only on the nodes of the workload pods, are never Ready, and their namespace is PSA privileged', async () => {
    const cluster = new FakeCluster({ coreDns: 'up', nodes: ['n1', 'n2', 'n3'] });
    const context = { ...session(cluster).target, ownCluster: false };
    const run = await runScenario(context, loadValid('scenarios/13-node-probes.yaml'), 0, {
      ...settings,
      allowHostNetwork: true,
      keepNamespaces: true,
    });
    const cells = run.steps[0]!.cells.filter((c) => c.from.startsWith('node:'));
    expect(cells.filter((c) => c.verdict === 'fail' || c.observed === 'unsupported')).to.deep.equal([]);
    const hosts = [...cluster.pods.values()].filter((p) => (p.object['spec'] as { hostNetwork?: boolean }).hostNetwork);
    const workloadNodes = new Set([...cluster.pods.values()].filter((p) => !hosts.includes(p)).map((p) => p.node));
    expect(new Set(hosts.map((p) => p.node))).to.deep.equal(workloadNodes);
    expect(workloadNodes.size).to.equal(2);
    for (const h of hosts) {
      const container = (h.object['spec'] as { containers: Array<{ readinessProbe?: unknown }> }).containers[0]!;
      expect(container.readinessProbe).to.deep.equal({
        exec: { command: ['false'] },
        periodSeconds: 3600,
        failureThreshold: 1,
      });
    }
    const ns = hosts[0]!.object.metadata.namespace!;
    expect(cluster.namespaces.get(ns)).to.include({ 'pod-security.kubernetes.io/enforce': 'privileged' });
  });
});

describe('from outside through NodePorts (in-memory cluster: externals as clients)', () => {
  const partner = '198.51.100.10';
  const stranger = '203.0.113.20';
  const nodes = ['fake-control-plane', 'fake-worker'];

  it('Local keeps the client: the partner network gets in, a stranger does not; Cluster is unspecified for the partner', async () => {
    const cluster = new FakeCluster({
      coreDns: 'up',
      nodes,
      externals: [partner, stranger].map((ip) => ({
        ip,
        identity: `external@${ip}`,
        ports: [{ port: 443, protocol: 'TCP' }],
      })),
    });
    const nodeAddresses = new Map(nodes.map((n, i) => [n, `172.18.0.${2 + i}`]));
    const target = {
      ...session(cluster).target,
      externals: new Map([partner, stranger].map((ip) => [ip, `external@${ip}`])),
      externalClients: new Map([partner, stranger].map((ip) => [ip, { container: `ext-${ip}`, nodeAddresses }])),
      execInExternal: cluster.execInExternal,
    };
    const run = await runScenario(target, loadValid('scenarios/14-nodeport-from-outside.yaml'), 0, settings);
    expect(run.error).to.equal(undefined);
    const cells = run.steps[0]!.cells.filter((c) => c.via === 'nodeport');
    expect(cells.map((c) => `${c.from} -> ${c.to} ${c.service} ${c.observed} ${c.verdict}`)).to.deep.equal([
      'external:partner -> shop/web web:80 allowed pass',
      'external:partner -> shop/api api:80 allowed not-asserted',
      'external:stranger -> shop/web web:80 dropped pass',
      'external:stranger -> shop/api api:80 dropped pass',
    ]);
    expect(cells[1]!.unspecified).to.match(/externalTrafficPolicy: Cluster lets kube-proxy SNAT the client/);
    expect(cells[0]!.reproduce).to.match(
      /^docker exec ext-198\.51\.100\.10 \/netpol-server probe .*=tcp:172\.18\.0\.\d:30\d{3}$/,
    );
  });

  it('on a target without external containers, nodeport cells are unsupported, with why', async () => {
    const { target } = session(new FakeCluster({ coreDns: 'up', nodes }));
    const run = await runScenario(target, loadValid('scenarios/14-nodeport-from-outside.yaml'), 0, settings);
    const cells = run.steps[0]!.cells.filter((c) => c.via === 'nodeport');
    expect(cells.every((c) => c.observed === 'unsupported')).to.equal(true);
    expect(cells[0]!.detail).to.match(/is not a client here/);
  });
});
