/**
 * check's live path against the in-memory cluster, which enforces the spec over the objects really
 * applied: probe pods carrying the real classes' labels are probed from, the real pods answer. Not a
 * real cluster: that is why the command still refuses without --dry-run.
 */
import { expect } from 'chai';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { snapshotFromObjects } from '../../harness/inventory/objects.js';
import { workloadClasses } from '../../harness/inventory/classes.js';
import { classesToWorld } from '../../harness/inventory/world.js';
import { Prediction } from '../../harness/engine/predict.js';
import { planCheck, predictorFor, predictorForProbePods } from '../../harness/probe/check-plan.js';
import { checkLive, type CheckLiveSettings } from '../../harness/run/check-live.js';
import type { Applied, ObjectRef } from '../../harness/kube/gateway.js';
import { FakeCluster, type FakeClusterOptions } from '../support/fake-cluster.js';

/** The fake plus ConfigMaps with uids (the owner objects), and pods it can be told to refuse (PSA). */
class OwnerAwareFake extends FakeCluster {
  readonly configMaps = new Map<string, KubeObject>();
  readonly applied: KubeObject[] = [];
  constructor(
    options: FakeClusterOptions,
    private readonly refuse: (o: KubeObject) => string | undefined = () => undefined,
  ) {
    super(options);
  }
  override async apply(object: KubeObject): Promise<Applied | void> {
    const why = this.refuse(object);
    if (why) throw new Error(why);
    this.applied.push(object);
    if (object.kind !== 'ConfigMap') return super.apply(object);
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    this.configMaps.set(key, { ...object, metadata: { ...object.metadata, uid: `uid-${key}` } });
    // As the API server does: the apply's answer carries the uid (check never reads the ConfigMap back).
    return { uid: `uid-${key}` };
  }
  override async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    if (ref.kind === 'ConfigMap') return this.configMaps.get(`${ref.namespace}/${ref.name}`);
    return super.read(ref);
  }
  override async remove(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    if (object.kind === 'ConfigMap') this.configMaps.delete(key);
    else if (object.kind === 'Pod') this.deletePod(key);
    else await super.remove(object);
  }
  private deletePod(key: string): void {
    (this as unknown as { pods: Map<string, unknown> }).pods.delete(key);
  }
}

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const realPod = (ns: string, name: string, app: string, port: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: ns,
    labels: { app, 'pod-template-hash': '5c8f' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, controller: true }],
  },
  spec: { containers: [{ name: 'app', ports: [{ containerPort: port, protocol: 'TCP', name: 'http' }] }] },
});
const policies: KubeObject[] = [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-ingress', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'backend-allow-frontend', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }],
    },
  },
];
const reals = [
  realPod('shop', 'frontend-1', 'frontend', 8080),
  realPod('shop', 'backend-1', 'backend', 8080),
  realPod('shop', 'backend-2', 'backend', 8080),
  realPod('payments', 'api-1', 'api', 8443),
];

async function cluster(
  options: FakeClusterOptions = {},
  refuse?: (o: KubeObject) => string | undefined,
  more: (ipOf: (pod: string) => string) => KubeObject[] = () => [],
) {
  const fake = new OwnerAwareFake(options, refuse);
  for (const o of [namespace('shop'), namespace('payments'), ...reals]) await fake.apply(o);
  // What the reader would have read: the pods with their IPs, Running and Ready.
  const statuses = [...(await fake.podStatuses('shop')), ...(await fake.podStatuses('payments'))];
  const ipOf = (pod: string) => statuses.find((s) => s.name === pod)!.ip!;
  for (const o of [...policies, ...more(ipOf)]) await fake.apply(o);
  fake.applied.length = 0;
  const policiesNow = [...policies, ...more(ipOf)];
  const pods = reals.map((p) => ({
    ...p,
    status: {
      phase: 'Running',
      podIP: statuses.find((s) => s.name === p.metadata.name)!.ip,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  }));
  const snapshot = snapshotFromObjects({
    allNamespaces: [namespace('shop'), namespace('payments')].map((n) => ({
      ...n,
      metadata: { ...n.metadata, labels: { 'kubernetes.io/metadata.name': n.metadata.name } },
    })),
    namespaces: ['shop', 'payments'],
    pods,
    services: [],
    policies: policiesNow,
    controllers: [],
  });
  const { classes } = workloadClasses(snapshot);
  const world = classesToWorld(snapshot, classes);
  const timeouts = { connectSeconds: 1, totalSeconds: 2 };
  const plan = planCheck(classes, predictorFor(world, new Prediction(world, snapshot.policies)), {
    runId: 'k3x9q2',
    timeouts,
    allReplicas: false,
  });
  return { fake, classes, plan, timeouts, world, snapshot };
}

const settings = (timeouts: CheckLiveSettings['timeouts'], signal?: AbortSignal): CheckLiveSettings => ({
  run: { runId: 'k3x9q2', owner: 'laptop:4242' },
  image: { image: 'netpol-harness/probe:test', pullPolicy: 'IfNotPresent' },
  activeDeadlineSeconds: 600,
  timeouts,
  round: { concurrency: 8, execTimeoutMs: 5000, parallelInPod: 8 },
  converge: { stableRounds: 2, timeoutMs: 1000, intervalMs: 10 },
  podStartTimeoutMs: 500,
  ...(signal ? { signal } : {}),
});

const verdictOf = (r: Awaited<ReturnType<typeof checkLive>>, from: string, to: string) =>
  r.cells.find((c) => c.cell.from === from && c.cell.to === to)!;

describe('check live path on the in-memory cluster', () => {
  it("probes from probe pods carrying each class's labels, and every cell agrees with the prediction", async () => {
    const { fake, classes, plan, timeouts } = await cluster();
    const result = await checkLive(fake, plan, classes, settings(timeouts));
    expect(result.notStarted).to.deep.equal([]);
    expect(result.cells.map((c) => `${c.cell.from}->${c.cell.to} ${c.verdict}`)).to.deep.equal(
      result.cells.map((c) => `${c.cell.from}->${c.cell.to} pass`),
    );
    expect(verdictOf(result, 'shop/frontend', 'shop/backend').observation.evidence).to.equal('allowed');
    expect(verdictOf(result, 'payments/api', 'shop/backend').observation.evidence).to.equal('blocked');
    expect(result.stable).to.equal(true);
  });
  it('creates the owner ConfigMap first and gives each probe pod its uid as controller owner', async () => {
    const { fake, classes, plan, timeouts } = await cluster();
    await checkLive(fake, plan, classes, settings(timeouts));
    expect(fake.applied.map((o) => `${o.kind} ${o.metadata.namespace}`)).to.deep.equal([
      'ConfigMap shop',
      'Pod shop',
      'Pod shop',
      'ConfigMap payments',
      'Pod payments',
    ]);
    const pod = fake.applied.find((o) => o.kind === 'Pod' && o.metadata.namespace === 'payments')!;
    expect(pod.metadata['ownerReferences']).to.deep.equal([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'netpol-harness-check-k3x9q2',
        uid: 'uid-payments/netpol-harness-check-k3x9q2',
        controller: true,
        blockOwnerDeletion: false,
      },
    ]);
  });
  it('deletes every object of the run at the end and leaves the real pods alone', async () => {
    const { fake, classes, plan, timeouts } = await cluster();
    const result = await checkLive(fake, plan, classes, settings(timeouts));
    expect(result.cleanupErrors).to.deep.equal([]);
    expect(fake.configMaps.size).to.equal(0);
    const left = [...(await fake.list('v1', 'Pod', 'shop')), ...(await fake.list('v1', 'Pod', 'payments'))];
    expect(left.filter((p) => p.metadata.labels?.[RUN_LABEL])).to.deep.equal([]);
    expect(left.map((p) => p.metadata.name).sort()).to.deep.equal(['api-1', 'backend-1', 'backend-2', 'frontend-1']);
  });
  it('with rejecting policies, a refusal is a block only where another source confirmed the port listens', async () => {
    const { fake, classes, plan, timeouts } = await cluster({ blocked: 'refused' });
    const result = await checkLive(fake, plan, classes, settings(timeouts));
    const toBackend = verdictOf(result, 'payments/api', 'shop/backend');
    expect(toBackend.observation.evidence).to.equal('blocked');
    expect(toBackend.observation.detail).to.match(/shop\/frontend reached it/);
    // Nothing may reach shop/frontend (default deny): nothing confirms it listens, so it stays ambiguous.
    const toFrontend = verdictOf(result, 'payments/api', 'shop/frontend');
    expect(toFrontend.observation.evidence).to.equal('ambiguous');
    expect(toFrontend.verdict).to.equal('inconclusive');
  });
  it('a probe pod the cluster refuses (PSA, quota) costs its class only: reported, the others probed', async () => {
    const refuse = (o: KubeObject) =>
      o.kind === 'Pod' && o.metadata.labels?.[RUN_LABEL] && o.metadata.namespace === 'payments'
        ? 'pods is forbidden: violates PodSecurity'
        : undefined;
    const { fake, classes, plan, timeouts } = await cluster({}, refuse);
    const result = await checkLive(fake, plan, classes, settings(timeouts));
    expect(result.notStarted).to.deep.equal([
      { source: 'payments/api', reason: 'pods is forbidden: violates PodSecurity' },
    ]);
    expect(verdictOf(result, 'payments/api', 'shop/backend').observation.detail).to.match(/did not start/);
    expect(verdictOf(result, 'payments/api', 'shop/backend').verdict).to.equal('inconclusive');
    expect(verdictOf(result, 'shop/frontend', 'shop/backend').verdict).to.equal('pass');
  });
  it('after Ctrl-C nothing is created, and the cleanup still runs', async () => {
    const { fake, classes, plan, timeouts } = await cluster();
    const stop = new AbortController();
    stop.abort();
    const result = await checkLive(fake, plan, classes, settings(timeouts, stop.signal));
    expect(fake.applied).to.deep.equal([]);
    expect(result.notStarted.map((n) => n.source)).to.deep.equal(['shop/backend', 'shop/frontend', 'payments/api']);
    expect(result.cleanupErrors).to.deep.equal([]);
  });
});

describe('check live path: a probe pod sends from its own IP', () => {
  // payments/api admits only frontend-1's own IP: the class shop/frontend is allowed by IP, its
  // probe pod (another IP) is not. The class prediction would call the probe's block a failure.
  const byIp = (ipOf: (pod: string) => string): KubeObject[] => [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-allow-frontend-ip', namespace: 'payments' },
      spec: {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: `${ipOf('frontend-1')}/32` } }] }],
      },
    },
  ];
  it('without predicting again for the probe pod, the ipBlock cell fails', async () => {
    const { fake, classes, plan, timeouts } = await cluster({}, undefined, byIp);
    const result = await checkLive(fake, plan, classes, settings(timeouts));
    const cell = verdictOf(result, 'shop/frontend', 'payments/api');
    expect(cell.cell.predicted).to.equal(true);
    expect(cell.verdict).to.equal('fail');
  });
  it("predicted again for the probe pods' own IPs, it passes: blocked, as the policy says for that IP", async () => {
    const { fake, classes, plan, timeouts, world, snapshot } = await cluster({}, undefined, byIp);
    const repredict = (ips: ReadonlyMap<string, string>) => predictorForProbePods(world, snapshot.policies, ips);
    const result = await checkLive(fake, plan, classes, { ...settings(timeouts), repredict });
    const cell = verdictOf(result, 'shop/frontend', 'payments/api');
    expect(cell.cell.predicted).to.equal(false);
    expect(cell.verdict).to.equal('pass');
    expect(result.cells.every((c) => c.verdict === 'pass')).to.equal(true);
  });
});
