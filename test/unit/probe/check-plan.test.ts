import { expect } from 'chai';
import { workloadClasses } from '../../../harness/inventory/classes.js';
import { classesToWorld } from '../../../harness/inventory/world.js';
import { Prediction } from '../../../harness/engine/predict.js';
import { serviceRoutes } from '../../../harness/inventory/service-routes.js';
import {
  planCheck,
  predictorFor,
  repredictCells,
  type CheckCell,
  type CheckClass,
} from '../../../harness/probe/check-plan.js';
import { shopSnapshot } from '../../support/shop-snapshot.js';

const snapshot = shopSnapshot();
const { classes } = workloadClasses(snapshot);
const world = classesToWorld(snapshot, classes);
const predict = predictorFor(world, new Prediction(world, snapshot.policies));
const options = { runId: 'k3x9q2', timeouts: { connectSeconds: 1, totalSeconds: 2 }, allReplicas: false };
const plan = planCheck(classes, predict, options);

const cell = (from: string, to: string, port: number) =>
  plan.cells.find((c) => c.from === from && c.to === to && c.port.port === port)!;

describe('check plan: sources', () => {
  it('one probe pod per source class, in its namespace, host-network classes excepted', () => {
    expect(plan.probePods.map((p) => p.source)).to.deep.equal(classes.filter((c) => !c.hostNetwork).map((c) => c.key));
    expect(plan.probePods.find((p) => p.source === 'shop/frontend')).to.deep.include({
      namespace: 'shop',
      name: 'np-check-k3x9q2-3-frontend',
    });
  });
  it('a host-network class is no source: it is listed with why', () => {
    expect(plan.unprobedSources.map((s) => s.source)).to.deep.equal(['monitoring/node-exporter']);
    expect(plan.unprobedSources[0]!.reason).to.match(/host-network/);
  });
  it("each probe pod's probes are one exec of the batch prober, in the shape probeRound runs", () => {
    const frontend = plan.probes.sources.find((s) => s.source === 'shop/frontend')!;
    expect(frontend.pod).to.equal('np-check-k3x9q2-3-frontend');
    expect(frontend.probes.map((p) => p.id)).to.deep.equal(frontend.probes.map((_, i) => i));
  });
});

describe('check plan: destinations are real pods on their declared ports, by pod IP', () => {
  it('one Ready pod per destination class, on every declared container port', () => {
    const ports = plan.cells.filter((c) => c.from === 'shop/frontend' && c.to === 'shop/backend');
    expect(ports.map((c) => `${c.pod} ${c.ip}:${c.port.port}`)).to.deep.equal([
      'backend-5c8f7b9d4-h2kvn 10.244.1.21:8080',
      'backend-5c8f7b9d4-h2kvn 10.244.1.21:9090',
    ]);
  });
  it('every replica with --all-replicas', () => {
    const all = planCheck(classes, predict, { ...options, allReplicas: true });
    const pods = all.cells.filter((c) => c.from === 'shop/backend' && c.to === 'shop/frontend').map((c) => c.ip);
    expect(pods).to.deep.equal(['10.244.1.11', '10.244.2.12', '10.244.1.13']);
  });
  it('a TCP cell is a handshake (netpol-server tcpconnect) to the pod IP', () => {
    const frontend = plan.probes.sources.find((s) => s.source === 'shop/frontend')!;
    const index = plan.cells.indexOf(cell('shop/frontend', 'shop/backend', 8080));
    const probe = frontend.probes.find((p) => p.subject.index === index)!;
    expect(probe.batch).to.equal('tcpconnect:10.244.1.21:8080');
    expect(probe.argv).to.deep.equal([
      '/netpol-server',
      'probe',
      '--timeout',
      '1s',
      `${probe.id}=tcpconnect:10.244.1.21:8080`,
    ]);
    expect(probe.identity).to.equal(undefined);
  });
  it("carries the engine's prediction over the live policies", () => {
    expect(cell('shop/frontend', 'shop/backend', 8080).predicted).to.equal(true);
    expect(cell('shop/redis-0', 'shop/backend', 8080).predicted).to.equal(false);
  });
  it('a host-network destination is unverifiable, with why, and not probed', () => {
    const c = cell('shop/frontend', 'monitoring/node-exporter', 9100);
    expect(c.unverifiable).to.match(/host-network destination/);
    expect(plan.probes.skipped.map((s) => s.index)).to.include(plan.cells.indexOf(c));
  });
  it('every cell is either probed once or skipped with its reason', () => {
    const probed = plan.probes.sources.flatMap((s) => s.probes.map((p) => p.subject.index));
    const skipped = plan.probes.skipped.map((s) => s.index);
    expect([...probed, ...skipped].sort((a, b) => a - b)).to.deep.equal(plan.cells.map((_, i) => i));
  });
});

describe('check plan: cells where no probe can give evidence', () => {
  const pod = (name: string, ip?: string) => ({
    name,
    ...(ip ? { ip } : {}),
    phase: ip ? 'Running' : 'Pending',
    ready: !!ip,
  });
  const klass = (name: string, ports: CheckClass['ports'], pods = [pod(`${name}-0`, '10.0.0.9')]): CheckClass => ({
    key: `ns/${name}`,
    namespace: 'ns',
    name,
    labels: { app: name },
    ports,
    hostNetwork: false,
    pods,
  });
  const small = [
    klass('client', []),
    klass('syslog', [{ port: 514, protocol: 'UDP' }]),
    klass('dns', [
      { port: 53, protocol: 'UDP', name: 'dns' },
      { port: 53, protocol: 'TCP', name: 'dns-tcp' },
    ]),
    klass('sctp', [{ port: 9999, protocol: 'SCTP' }]),
    klass('pending', [{ port: 80, protocol: 'TCP' }], [pod('pending-0')]),
  ];
  const p = planCheck(small, () => true, { ...options, governedBy: new Map([['ns/dns', ['GlobalNetworkPolicy x']]]) });
  const to = (name: string, protocol = 'UDP') =>
    p.cells.find((c) => c.from === 'ns/client' && c.to === `ns/${name}` && c.port.protocol === protocol)!;
  it('UDP of an unknown protocol is unverifiable', () => {
    expect(to('syslog').unverifiable).to.match(/UDP of an unknown protocol/);
  });
  it('UDP 53 is a DNS query to that server (nslookup NAME IP), the exception', () => {
    expect(to('dns').via).to.equal('dns');
    const client = p.probes.sources.find((s) => s.source === 'ns/client')!;
    const probe = client.probes.find((x) => x.subject.index === p.cells.indexOf(to('dns')))!;
    expect(probe.argv).to.deep.equal([
      'nslookup',
      '-timeout=1',
      '-retry=0',
      'kubernetes.default.svc.cluster.local',
      '10.0.0.9',
    ]);
    expect(to('dns', 'TCP').via).to.equal('tcpconnect');
  });
  it('SCTP is unverifiable', () => {
    expect(to('sctp', 'SCTP').unverifiable).to.match(/SCTP/);
  });
  it('a destination without a pod IP is unverifiable, naming the pod and its phase', () => {
    expect(to('pending', 'TCP').unverifiable).to.equal('pending-0 has no IP (Pending)');
  });
  it('a cell whose end a policy of another kind may govern says so', () => {
    expect(to('dns').governedBy).to.deep.equal(['GlobalNetworkPolicy x']);
    expect(to('syslog').governedBy).to.equal(undefined);
  });
});

describe('check plan: Services (--via service), judged for the classes behind them', () => {
  const { routes } = serviceRoutes(snapshot.services, classes, 'cluster.local');
  const via = planCheck(classes, predict, { ...options, viaPods: false, routes });
  const to = (from: string, dest: string, port: number) =>
    via.cells.find((c) => c.from === from && c.to === dest && c.port.port === port)!;
  const probeOf = (c: CheckCell) =>
    via.probes.sources.find((s) => s.source === c.from)!.probes.find((p) => p.subject.index === via.cells.indexOf(c));

  it('--via service alone: no pod cells, two cells per Service port (cluster IP, DNS name)', () => {
    expect(via.cells.every((c) => c.route)).to.equal(true);
    const frontend = via.cells.filter((c) => c.from === 'shop/frontend' && c.route?.service.service === 'shop/backend');
    expect(frontend.map((c) => `${c.to} ${c.port.port}`)).to.deep.equal([
      'svc:shop/backend 80',
      'svc-dns:shop/backend 80',
      'svc:shop/backend 9090',
      'svc-dns:shop/backend 9090',
    ]);
  });
  it('predicted as the pod cell on the targetPort: Service port 80 is backend 8080, 443 is payment-api 8443', () => {
    expect(to('shop/frontend', 'svc:shop/backend', 80).predicted).to.equal(
      predict('shop/frontend', 'shop/backend', { port: 8080, protocol: 'TCP', name: 'http' }),
    );
    expect(to('shop/frontend', 'svc:shop/backend', 80).predicted).to.equal(true);
    expect(to('shop/frontend', 'svc:payments/payment-api', 443).predicted).to.equal(false);
    expect(to('shop/backend', 'svc:payments/payment-api', 443).predicted).to.equal(true);
  });
  it('a handshake to the cluster IP, and to the DNS name (resolved in the probe pod, never its search list)', () => {
    expect(probeOf(to('shop/frontend', 'svc:shop/backend', 80))!.batch).to.equal('tcpconnect:10.96.12.41:80');
    expect(probeOf(to('shop/frontend', 'svc-dns:shop/backend', 80))!.batch).to.equal(
      'tcpconnect:backend.shop.svc.cluster.local.:80',
    );
  });
  it('classes behind a Service predicted differently: unverifiable, never probed', () => {
    const redis = to('shop/backend', 'svc-dns:shop/redis', 6379);
    expect(redis.unverifiable).to.match(/shop\/redis-0 allowed, shop\/redis-1 blocked/);
    expect(probeOf(redis)).to.equal(undefined);
  });
  it('a headless Service has only its DNS-name cell', () => {
    expect(via.cells.filter((c) => c.route?.service.service === 'shop/redis').map((c) => c.to)).to.satisfy(
      (keys: string[]) => keys.every((k) => k === 'svc-dns:shop/redis'),
    );
  });
  it('repredicted for the probe pods (an ipBlock split): Service cells follow the classes behind them', () => {
    const never = repredictCells(via.cells, () => false);
    expect(never.every((c) => !c.predicted)).to.equal(true);
    expect(never.find((c) => c.to === 'svc-dns:shop/redis')!.unverifiable).to.match(/predicted differently/);
  });
  it('--via pod,service: the pod cells, then the Service cells, per source', () => {
    const both = planCheck(classes, predict, { ...options, routes });
    expect(both.cells.length).to.equal(plan.cells.length + via.cells.length);
  });
});
