/**
 * `snapshot` on recorded clusters (test/fixtures/live: kubectl-exported objects of a kind + Calico
 * cluster with Deployments, a StatefulSet, Jobs, DaemonSets, a host-network agent, policies of four
 * kinds; and a Cilium cluster): what it writes, that it validates, that the engine predicts the
 * scenario exactly as it predicts the live classes, and the bad input that writes nothing.
 */
import { expect } from 'chai';
import { modelledClusterPolicies } from '../../harness/inventory/cluster-policies.js';
import { clusterPolicyOf } from '../../harness/model/admin-policy.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { snapshotCommand, type SnapshotFlags } from '../../harness/commands/snapshot.js';
import { predictScenario } from '../../harness/engine/predict-step.js';
import { Prediction } from '../../harness/engine/predict.js';
import { classesToWorld } from '../../harness/inventory/world.js';
import { UsageError } from '../../harness/exit-codes.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import type { CheckReport } from '../../harness/model/check-report.js';
import { loadScenario } from '../../harness/scenario/load.js';
import { readInventory } from '../../harness/target/read-cluster.js';
import { TargetError } from '../../harness/target/target-error.js';
import { parseObjects, RecordedGateway, type RecordedGatewayOptions } from '../support/recorded-gateway.js';

const SHOP = parseObjects(readFileSync('test/fixtures/live/shop-cluster.yaml', 'utf8'));
const CILIUM = parseObjects(readFileSync('test/fixtures/live/cilium-cluster.yaml', 'utf8'));
const NOW = new Date('2026-11-30T12:00:00Z');

interface Snap {
  code: number;
  out: string[];
  err: string[];
  dir: string;
  file: string;
}

async function snapshot(
  flags: Partial<SnapshotFlags>,
  objects: readonly KubeObject[] = SHOP,
  options?: RecordedGatewayOptions,
  dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-')),
): Promise<Snap> {
  const out: string[] = [];
  const err: string[] = [];
  const file = path.join(dir, 'prod.yaml');
  const code = await snapshotCommand(
    { context: 'prod', output: file, ...flags } as SnapshotFlags,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { gateway: () => new RecordedGateway(objects, options), now: () => NOW },
  );
  return { code, out, err, dir, file };
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();

describe('snapshot: a live namespace set as a scenario', function () {
  // The first load compiles the scenario schema; on a loaded two-core machine that takes seconds.
  this.timeout(30_000);
  let snap: Snap;
  before(async () => {
    snap = await snapshot({ namespace: ['shop', 'payments', 'monitoring'] });
  });
  after(() => rmSync(snap.dir, { recursive: true, force: true }));

  it('writes the scenario and one policy file per namespace, and nothing else', () => {
    expect(snap.code).to.equal(0);
    expect(files(snap.dir)).to.deep.equal([
      'policies/cluster-scoped.yaml',
      'policies/payments.yaml',
      'policies/shop.yaml',
      'prod.yaml',
    ]);
    expect(snap.out[0]).to.match(/3 namespace\(s\), 9 workload\(s\), 2 Service\(s\), 0 external\(s\), 7 NetworkPolicy/);
  });

  it('validates with no error and no warning', () => {
    const { scenario, diagnostics } = loadScenario(snap.file);
    expect(diagnostics).to.deep.equal([]);
    expect(scenario?.environment?.cni).to.deep.equal(['calico v3.30.2']);
  });

  it('namespaces keep their real labels but the one the API server sets', () => {
    const doc = parse(readFileSync(snap.file, 'utf8'));
    expect(doc.spec.namespaces.payments).to.deep.equal({ labels: { team: 'payments', env: 'prod', pci: 'true' } });
  });

  it('one workload per class, named after its owner, with its labels, declared ports and Service', () => {
    const doc = parse(readFileSync(snap.file, 'utf8'));
    const names = doc.spec.workloads.map((w: { namespace: string; name: string }) => `${w.namespace}/${w.name}`);
    expect(names).to.deep.equal([
      'shop/backend',
      'shop/backend-2',
      'shop/db-migrate',
      'shop/frontend',
      'shop/redis-0',
      'shop/redis-1',
      'payments/payment-api',
      'monitoring/debug-shell',
      'monitoring/fluent-bit',
    ]);
    const frontend = doc.spec.workloads.find((w: { name: string }) => w.name === 'frontend');
    expect(frontend).to.deep.equal({
      name: 'frontend',
      namespace: 'shop',
      labels: { app: 'frontend', tier: 'web' },
      ports: [{ port: 8080, protocol: 'TCP', name: 'http' }],
      service: { name: 'frontend', ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const payments = doc.spec.workloads.find((w: { name: string }) => w.name === 'payment-api');
    expect(payments.service).to.deep.equal({
      name: 'payment-api',
      ports: [{ name: 'https', port: 443, targetPort: 'https' }],
    });
    expect(doc.spec.workloads.find((w: { name: string }) => w.name === 'debug-shell')).to.not.have.property('ports');
  });

  it('policies read as a person writes them: no uid, resourceVersion, managedFields, status or last-applied', () => {
    const text = readFileSync(path.join(snap.dir, 'policies/shop.yaml'), 'utf8');
    for (const field of ['uid', 'resourceVersion', 'managedFields', 'creationTimestamp', 'generation', 'status:'])
      expect(text).to.not.contain(field);
    expect(text).to.not.contain('last-applied-configuration');
    const written = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
    const live = SHOP.filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1');
    for (const w of written) {
      const original = live.find((o) => o.metadata.name === w.metadata.name && o.metadata.namespace === 'shop')!;
      expect(w['spec'], w.metadata.name).to.deep.equal(original['spec']);
      expect(Object.keys(w.metadata).sort()).to.include.members(['name', 'namespace']);
    }
  });

  it('says what it could not carry, in the file and on stderr', () => {
    const notes = snap.err.join('\n');
    expect(notes).to.contain('monitoring/node-exporter: 3 host-network pod(s) not carried');
    expect(notes).to.contain('shop/db-migrate declares no port');
    expect(notes).to.contain(
      'Service shop/backend not carried: it selects 2 workload classes (shop/backend, shop/backend~2); ' +
        "a scenario's Service fronts one workload, and the pod path probes each",
    );
    expect(notes).to.contain('Service shop/redis not carried: it is headless');
    expect(notes).to.contain('ipBlock 10.244.2.32/28 of shop/redis-allow-legacy-subnet covers 1 pod IP(s)');
    expect(notes).to.contain('5 policy(ies) of other kinds not carried');
    expect(notes).to.contain(
      '2 cluster-scoped policy(ies) (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) carried',
    );
    const doc = parse(readFileSync(snap.file, 'utf8'));
    expect(doc.metadata.environment.notCarried).to.have.length(snap.err.length);
  });

  it('carries the AdminNetworkPolicies and the baseline that may apply, as written; the others stay notes', () => {
    const written = parseAllDocuments(readFileSync(path.join(snap.dir, 'policies/cluster-scoped.yaml'), 'utf8')).map(
      (d) => d.toJS() as KubeObject,
    );
    expect(written.map((w) => `${w.kind}/${w.metadata.name}`)).to.deep.equal([
      'AdminNetworkPolicy/pci-isolation',
      'BaselineAdminNetworkPolicy/default',
    ]);
    for (const w of written) {
      const original = SHOP.find((o) => o.kind === w.kind && o.metadata.name === w.metadata.name)!;
      expect(w['spec'], w.metadata.name).to.deep.equal(original['spec']);
      expect(w.metadata).to.deep.equal({ name: w.metadata.name });
    }
    const doc = parse(readFileSync(snap.file, 'utf8'));
    expect(doc.metadata.environment.otherPolicies.join('\n')).to.not.contain('pci-isolation');
  });

  it('the engine predicts the scenario as it predicts the live classes, but where an ipBlock named pod IPs', async () => {
    const inventory = await readInventory(new RecordedGateway(SHOP), { names: ['shop', 'payments', 'monitoring'] });
    const world = classesToWorld(inventory.snapshot, inventory.classing.classes);
    const modelled = modelledClusterPolicies(inventory.clusterPolicyObjects).map(clusterPolicyOf);
    const live = new Prediction(world, inventory.snapshot.policies, modelled);
    const index = new Map(world.endpoints.map((e, i) => [e.key, i]));
    const classOf = (workloadKey: string) => (workloadKey === 'shop/backend-2' ? 'shop/backend~2' : workloadKey);
    const [step] = predictScenario(loadScenario(snap.file).scenario!);
    const differ = step!.cells
      .filter((c) => c.to.kind === 'workload')
      .filter(
        (c) => c.predicted !== live.allowed(index.get(classOf(c.from.key))!, index.get(classOf(c.to.key))!, c.port),
      )
      .map((c) => `${c.from.key} -> ${c.to.key}:${c.port.port}`);
    // 10.244.2.32/28 holds shop/backend~2's pod on the live cluster: only through it may that pod reach
    // redis-1 there (redis-0 admits every backend), and the snapshot says so (the note above); in the
    // scenario it is a pod like any other.
    expect(differ).to.deep.equal(['shop/backend-2 -> shop/redis-1:6379']);
  });
});

describe('snapshot of a recorded real cluster: kind + Calico, applied with kubectl, nothing trimmed', function () {
  this.timeout(30_000);
  // scripts/record-cluster.ts on the e2e's production-like set (test/e2e/fixtures/check and snapshot).
  const RECORDED = parseObjects(readFileSync('test/fixtures/live/production-like-calico.yaml', 'utf8'));
  const NAMESPACES = ['shop', 'payments', 'monitoring'];
  let snap: Snap;
  before(async () => {
    snap = await snapshot({ namespace: NAMESPACES }, RECORDED);
  });
  after(() => rmSync(snap.dir, { recursive: true, force: true }));

  it('the recording is the real thing: managedFields and kubectl last-applied annotations on its policies', () => {
    const policies = RECORDED.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies).to.have.length(9);
    for (const p of policies) {
      expect(p.metadata).to.have.property('managedFields');
      expect(p.metadata['annotations']).to.have.property('kubectl.kubernetes.io/last-applied-configuration');
    }
  });

  it('writes a scenario that loads with no diagnostic: classes named after Deployments and the StatefulSet', () => {
    expect(snap.code).to.equal(0);
    const { scenario, diagnostics } = loadScenario(snap.file);
    expect(diagnostics).to.deep.equal([]);
    expect(scenario!.workloads.map((w) => `${w.namespace}/${w.name} ${w.ports.length}`)).to.deep.equal([
      'shop/backend 2',
      'shop/frontend 1',
      'shop/redis 1',
      'payments/api 1',
      'monitoring/prometheus 0',
    ]);
    expect(scenario!.externals.map((e) => e.ip)).to.deep.equal(['203.0.113.10', '203.0.113.138']);
  });

  it('cleans every policy: no managedFields, uid, resourceVersion, generation, timestamps or last-applied', () => {
    for (const ns of NAMESPACES) {
      const text = readFileSync(path.join(snap.dir, 'policies', `${ns}.yaml`), 'utf8');
      for (const field of [
        'managedFields',
        'uid:',
        'resourceVersion',
        'generation',
        'creationTimestamp',
        'last-applied',
      ])
        expect(text, `${ns}: ${field}`).to.not.contain(field);
    }
  });

  it('the engine predicts the scenario exactly as it predicts the live classes', async () => {
    const inventory = await readInventory(new RecordedGateway(RECORDED), { names: NAMESPACES });
    const world = classesToWorld(inventory.snapshot, inventory.classing.classes);
    const modelled = modelledClusterPolicies(inventory.clusterPolicyObjects).map(clusterPolicyOf);
    const live = new Prediction(world, inventory.snapshot.policies, modelled);
    const index = new Map(world.endpoints.map((e, i) => [e.key, i]));
    const [step] = predictScenario(loadScenario(snap.file).scenario!);
    const pods = step!.cells.filter((c) => c.to.kind === 'workload');
    expect(pods.length).to.be.greaterThan(20);
    const differ = pods.filter(
      (c) => c.predicted !== live.allowed(index.get(c.from.key)!, index.get(c.to.key)!, c.port),
    );
    expect(differ.map((c) => `${c.from.key} -> ${c.to.key}:${c.port.port}`)).to.deep.equal([]);
  });
});

describe('snapshot: externals for ipBlocks, and --observed', function () {
  this.timeout(30_000);
  const withEgress = (): KubeObject[] => [
    ...SHOP,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'backend-egress', namespace: 'shop', uid: 'x', resourceVersion: '9' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }],
            ports: [{ port: 443, protocol: 'TCP' }],
          },
        ],
      },
    } as KubeObject,
  ];

  it('one external inside the cidr and one inside each except, on the rule ports, said in a comment', async () => {
    const snap = await snapshot({ namespace: ['shop'] }, withEgress());
    try {
      const doc = parse(readFileSync(snap.file, 'utf8'));
      expect(doc.spec.externals).to.deep.equal([
        { name: 'ip-203-0-113-10', ip: '203.0.113.10', ports: [{ port: 443, protocol: 'TCP' }] },
        { name: 'ip-203-0-113-138', ip: '203.0.113.138', ports: [{ port: 443, protocol: 'TCP' }] },
      ]);
      const text = readFileSync(snap.file, 'utf8');
      expect(text).to.contain('# inside 203.0.113.0/24 except 203.0.113.128/25 of shop/backend-egress');
      const [step] = predictScenario(loadScenario(snap.file).scenario!);
      const toExternals = step!.cells
        .filter((c) => c.to.kind === 'external' && c.from.key === 'shop/backend')
        .map((c) => `${c.to.name} ${c.predicted ? '.' : 'X'}`);
      expect(toExternals).to.deep.equal(['ip-203-0-113-10 .', 'ip-203-0-113-138 X']);
    } finally {
      rmSync(snap.dir, { recursive: true, force: true });
    }
  });

  it('--observed: the replay asserts what check saw on the real cluster', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-'));
    const report: Partial<CheckReport> = {
      schemaVersion: 1,
      contexts: [
        {
          context: 'prod',
          namespaces: ['shop'],
          classes: [],
          environment: [],
          notProbed: [],
          notes: [],
          cleanupErrors: [],
          stable: true,
          cells: [
            ['shop/frontend', 'shop/backend', 'allowed'],
            ['shop/backend~2', 'shop/backend', 'blocked'],
          ].map(([from, to, evidence]) => ({
            from: from!,
            to: to!,
            port: { port: 8080, protocol: 'TCP' },
            predicted: 'allowed' as const,
            evidence: evidence as 'allowed' | 'blocked',
            outcome: 'allowed' as const,
            detail: '',
            verdict: 'pass' as const,
          })),
        },
      ],
    };
    writeFileSync(path.join(dir, 'check.json'), JSON.stringify(report));
    const snap = await snapshot({ namespace: ['shop'], observed: path.join(dir, 'check.json') }, SHOP, {}, dir);
    try {
      const doc = parse(readFileSync(snap.file, 'utf8'));
      expect(doc.spec.expect).to.deep.equal({
        default: 'predicted',
        matrix: [
          {
            via: 'pod',
            port: 8080,
            protocol: 'TCP',
            table: 'from\\to         shop/backend\nshop/frontend   .\nshop/backend-2  X\n',
          },
        ],
      });
      expect(loadScenario(snap.file).diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--all-namespaces: every namespace but the system and CNI ones', async () => {
    const snap = await snapshot({ allNamespaces: true });
    try {
      expect(Object.keys(parse(readFileSync(snap.file, 'utf8')).spec.namespaces)).to.deep.equal([
        'default',
        'monitoring',
        'payments',
        'shop',
      ]);
    } finally {
      rmSync(snap.dir, { recursive: true, force: true });
    }
  });

  it('the environment of a Cilium cluster: its CNI, its enforcement settings', async () => {
    const snap = await snapshot({ namespace: ['web'] }, CILIUM);
    try {
      const doc = parse(readFileSync(snap.file, 'utf8'));
      expect(doc.metadata.environment.cni[0]).to.match(/^cilium v1\./);
      expect(doc.metadata.environment.settings.join('\n')).to.contain('enable-policy');
    } finally {
      rmSync(snap.dir, { recursive: true, force: true });
    }
  });
});

describe('snapshot: bad input is a clear error, the documented exit code, and no file left', function () {
  this.timeout(30_000);
  const fails = async (flags: Partial<SnapshotFlags>, options?: RecordedGatewayOptions, objects = SHOP) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-'));
    try {
      const error = await snapshot(flags, objects, options, dir).catch((e: unknown) => e);
      return { error: error as Error, left: readdirSync(dir) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a namespace that does not exist: exit 2 (TargetError) naming it', async () => {
    const { error, left } = await fails({ namespace: ['shop', 'shpo'] });
    expect(error).to.be.instanceOf(TargetError);
    expect(error.message).to.equal('namespace not found: shpo');
    expect(left).to.deep.equal([]);
  });

  it('missing RBAC: exit 2 listing every read verb denied, before anything is read', async () => {
    const { error, left } = await fails({ namespace: ['shop', 'payments'] }, { denied: ['list pods'] });
    expect(error).to.be.instanceOf(TargetError);
    expect(error.message).to.equal(
      'prod: missing RBAC permissions to read: list pods in shop, list pods in payments; nothing was written',
    );
    expect(left).to.deep.equal([]);
  });

  it('a namespace name longer than a scenario allows (40: a run prefixes it): exit 2 naming it', async () => {
    const long = 'a-namespace-name-that-is-longer-than-forty';
    const objects = [
      ...SHOP,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: long, labels: {} } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: long, labels: { app: 'web' } },
        spec: { containers: [{ name: 'c' }] },
        status: { phase: 'Running', podIP: '10.244.1.200' },
      },
    ] as KubeObject[];
    const { error, left } = await fails({ namespace: [long] }, {}, objects);
    expect(error).to.be.instanceOf(TargetError);
    expect(error.message).to.contain(long);
    expect(left).to.deep.equal([]);
  });

  it('no namespace named: exit 3', async () => {
    const { error } = await fails({});
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.contain('--namespace a,b or --all-namespaces');
  });

  it('an existing scenario file is refused before the cluster is asked; --force overwrites it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-'));
    try {
      writeFileSync(path.join(dir, 'prod.yaml'), 'mine\n');
      const error = await snapshot({ namespace: ['shop'] }, SHOP, {}, dir).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UsageError);
      expect((error as Error).message).to.match(/prod\.yaml exists: choose another -o, or pass --force/);
      expect(readFileSync(path.join(dir, 'prod.yaml'), 'utf8')).to.equal('mine\n');
      expect(existsSync(path.join(dir, 'policies'))).to.equal(false);
      const forced = await snapshot({ namespace: ['shop'], force: true }, SHOP, {}, dir);
      expect(forced.code).to.equal(0);
      expect(readFileSync(path.join(dir, 'prod.yaml'), 'utf8')).to.contain('kind: Scenario');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an existing policy file is refused too, and the scenario is not written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-'));
    try {
      await snapshot({ namespace: ['shop'] }, SHOP, {}, dir);
      rmSync(path.join(dir, 'prod.yaml'));
      const error = await snapshot({ namespace: ['shop'] }, SHOP, {}, dir).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UsageError);
      expect((error as Error).message).to.match(/policies\/shop\.yaml(, .*)? exist\(s\): pass --force/);
      expect(readdirSync(dir).sort()).to.deep.equal(['policies']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--observed that is not a check report, or has no such context: exit 3', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-'));
    try {
      writeFileSync(path.join(dir, 'x.json'), '{"hello": 1}');
      const notReport = await snapshot(
        { namespace: ['shop'], observed: path.join(dir, 'x.json') },
        SHOP,
        {},
        dir,
      ).catch((e: unknown) => e);
      expect((notReport as Error).message).to.contain('not a check report');
      writeFileSync(
        path.join(dir, 'two.json'),
        JSON.stringify({
          schemaVersion: 1,
          contexts: [
            { context: 'a', cells: [] },
            { context: 'b', cells: [] },
          ],
        }),
      );
      const noContext = await snapshot(
        { namespace: ['shop'], observed: path.join(dir, 'two.json') },
        SHOP,
        {},
        dir,
      ).catch((e: unknown) => e);
      expect(noContext).to.be.instanceOf(UsageError);
      expect((noContext as Error).message).to.contain('it has no context prod (it has a, b)');
      expect(readdirSync(dir).sort()).to.deep.equal(['two.json', 'x.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a namespace set too large for one scenario: exit 3 with the class count and what to do', async () => {
    const pods = Array.from({ length: 201 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `job-${i}`, namespace: 'shop', labels: { app: `job-${i}` } },
      spec: { containers: [{ name: 'c' }] },
      status: { phase: 'Running', podIP: `10.244.1.${(i % 250) + 1}` },
    })) as KubeObject[];
    const objects = [...SHOP.filter((o) => o.kind !== 'Pod' || o.metadata.namespace !== 'shop'), ...pods];
    const { error, left } = await fails({ namespace: ['shop'] }, {}, objects);
    expect(error).to.be.instanceOf(UsageError);
    expect(error.message).to.equal(
      '1 namespace(s) hold 201 workload classes; one scenario carries at most 200 (a kind replay on one machine): ' +
        'snapshot fewer namespaces with --namespace',
    );
    expect(left).to.deep.equal([]);
  });
});
