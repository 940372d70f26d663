/**
 * `check` on kind + Calico, in place, on a "production-like" namespace set the test deploys with
 * plain manifests (test/e2e/fixtures/check/production-like.yaml): Deployments of 3, a StatefulSet,
 * Services, a client without ports, policies. Asserted, as issue 10 asks: every class pair reported
 * with its prediction and observation, exit 0; the real pods keep their UIDs and restart counts,
 * the controllers their replicas; no EndpointSlice ever lists a probe pod as a ready endpoint
 * (while one not-ready listing proves the watch saw them); nothing left; --dry-run creates nothing
 * (a watch on pods and ConfigMaps); Ctrl-C removes every probe pod.
 */
import { expect } from 'chai';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { execa } from 'execa';
import { ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import type { CheckReport } from '../../harness/model/check-report.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { pollUntil } from '../../harness/util/poll.js';
import { io, seconds } from './support.js';
import { checkReportErrors } from '../support/check-report-schema.js';
import { mintToken, writeServiceAccountKubeconfig } from './fixtures/rbac/identities.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import {
  deployProductionLike,
  kubectl as kubectlIn,
  NAMESPACES,
  removeProductionLike,
} from './fixtures/check/deploy.js';

const CLI = path.resolve('bin/netpol-harness.js');

interface RealState {
  readonly pods: Record<string, string>;
  readonly controllers: Record<string, number>;
}

describe('check in place on kind + Calico (a production-like namespace set)', function () {
  let cluster: KindCluster;
  const kubectl = (args: string[]) => kubectlIn(cluster, args);
  const check = (args: string[]) =>
    execa(
      'node',
      [
        CLI,
        'check',
        '--context',
        cluster.context,
        '--kubeconfig',
        cluster.kubeconfig,
        '-n',
        NAMESPACES.join(','),
        ...args,
      ],
      { reject: false, env: { NO_COLOR: '1' } },
    );

  before(async function () {
    cluster = await ensureKindCluster({ cni: 'calico', images: [probeImage(loadClusterVersions())] }, io.err);
    await deployProductionLike(cluster);
  });

  after(async function () {
    if (!cluster) return;
    await removeProductionLike(cluster);
    if (process.env['NETPOL_E2E_FRESH']) await cluster.remove();
  });

  /** Every real pod's UID and restart count, every controller's replicas. */
  async function realState(): Promise<RealState> {
    const pods: Record<string, string> = {};
    const controllers: Record<string, number> = {};
    for (const ns of NAMESPACES) {
      for (const p of await cluster.gw.list('v1', 'Pod', ns)) {
        if (p.metadata.labels?.[RUN_LABEL]) continue;
        const statuses = ((p['status'] as { containerStatuses?: Array<{ restartCount: number }> }).containerStatuses ??
          []) as Array<{ restartCount: number }>;
        pods[`${ns}/${p.metadata.name}`] =
          `${p.metadata['uid']} restarts ${statuses.map((s) => s.restartCount).join(',')}`;
      }
      for (const kind of ['ReplicaSet', 'StatefulSet'])
        for (const c of await cluster.gw.list('apps/v1', kind, ns)) {
          const status = c['status'] as { replicas?: number; readyReplicas?: number };
          controllers[`${kind} ${ns}/${c.metadata.name}`] = status.replicas ?? 0;
        }
    }
    return { pods, controllers };
  }

  async function leftovers(): Promise<string[]> {
    const left: string[] = [];
    for (const ns of NAMESPACES)
      for (const kind of ['Pod', 'ConfigMap'])
        for (const o of await cluster.gw.list('v1', kind, ns))
          if (o.metadata.labels?.[RUN_LABEL] && !o.metadata['deletionTimestamp'])
            left.push(`${kind} ${ns}/${o.metadata.name}`);
    return left;
  }

  /** Until the check under way has created probe pods (so a signal lands mid-probe). */
  async function probePodsExist(): Promise<void> {
    await pollUntil(
      'probe pods to exist',
      async () => ((await leftovers()).some((l) => l.startsWith('Pod')) ? { done: true } : { waiting: 'none yet' }),
      { timeoutMs: 120_000, intervalMs: 200 },
    );
  }

  /** Polls the EndpointSlices of the namespaces while `during` runs: every probe pod listed, and how. */
  async function endpointsDuring<T>(
    during: () => Promise<T>,
  ): Promise<{ result: T; ready: string[]; notReady: string[] }> {
    const ready = new Set<string>();
    const notReady = new Set<string>();
    let stop = false;
    const poller = (async () => {
      while (!stop) {
        for (const ns of NAMESPACES)
          for (const slice of await cluster.gw.list('discovery.k8s.io/v1', 'EndpointSlice', ns))
            for (const e of (slice['endpoints'] ?? []) as Array<{
              targetRef?: { name?: string };
              conditions?: { ready?: boolean };
            }>) {
              const name = e.targetRef?.name ?? '';
              if (!name.startsWith('np-check-')) continue;
              (e.conditions?.ready ? ready : notReady).add(`${slice.metadata.name}: ${name}`);
            }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      const result = await during();
      return { result, ready: [...ready], notReady: [...notReady] };
    } finally {
      stop = true;
      await poller;
    }
  }

  it('reports every class pair with prediction and observation, exits 0, and changes nothing real', async function () {
    const before = await realState();
    const started = Date.now();
    const { result, ready, notReady } = await endpointsDuring(() => check(['-o', 'json']));
    io.err(`check: exit ${result.exitCode} in ${seconds(Date.now() - started)}\n${result.stderr}`);
    expect(result.exitCode, result.stdout + result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(checkReportErrors(report)).to.deep.equal([]);
    const [ctx] = report.contexts;
    expect(ctx!.classes.map((c) => `${c.key} x${c.replicas}`).sort()).to.deep.equal([
      'monitoring/prometheus x1',
      'payments/api x3',
      'shop/backend x3',
      'shop/frontend x3',
      'shop/redis x2',
    ]);
    // Every source class (all five can be stood in for) to every port of every class: 5 x 5 ports.
    expect(ctx!.cells).to.have.length(25);
    for (const c of ctx!.cells) {
      expect(c.verdict, `${c.from} -> ${c.to} ${c.port.port}: ${c.detail}`).to.equal('pass');
      expect(['allowed', 'blocked']).to.include(c.evidence);
    }
    const cell = (from: string, to: string, port: number) =>
      ctx!.cells.find((c) => c.from === from && c.to === to && c.port.port === port)!;
    expect(cell('shop/frontend', 'shop/backend', 8080).evidence).to.equal('allowed');
    expect(cell('shop/redis', 'shop/backend', 8080).evidence).to.equal('blocked');
    expect(cell('monitoring/prometheus', 'shop/backend', 9090).evidence).to.equal('allowed');
    expect(cell('shop/backend', 'payments/api', 8443).evidence).to.equal('allowed');
    expect(cell('shop/frontend', 'payments/api', 8443).evidence).to.equal('blocked');

    expect(ready, 'a probe pod listed as a ready endpoint').to.deep.equal([]);
    expect(notReady.length, 'the EndpointSlice watch saw no probe pod at all').to.be.greaterThan(0);
    expect(await realState()).to.deep.equal(before);
    expect(await leftovers()).to.deep.equal([]);
  });

  it('--via pod,service: each Service by cluster IP and by DNS name, judged for the pods behind it', async function () {
    const started = Date.now();
    const result = await check(['--via', 'pod,service', '-o', 'json']);
    io.err(`check --via pod,service: exit ${result.exitCode} in ${seconds(Date.now() - started)}\n${result.stderr}`);
    expect(result.exitCode, result.stdout + result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(checkReportErrors(report)).to.deep.equal([]);
    const [ctx] = report.contexts;
    const services = ctx!.cells.filter((c) => c.service);
    // 5 sources x (frontend 80, backend 8080 and 9090, payments api 443: cluster IP and name; redis: headless, name only).
    expect(services).to.have.length(5 * 9);
    expect(ctx!.cells.length - services.length).to.equal(25);
    for (const c of services) {
      expect(c.verdict, `${c.from} -> ${c.to} ${c.port.port}: ${c.detail}`).to.equal('pass');
      expect(['allowed', 'blocked']).to.include(c.evidence);
    }
    const cell = (from: string, to: string, port: number) =>
      services.find((c) => c.from === from && c.to === to && c.port.port === port)!;
    expect(cell('shop/backend', 'svc:payments/api', 443).evidence).to.equal('allowed');
    expect(cell('shop/backend', 'svc-dns:payments/api', 443).evidence).to.equal('allowed');
    expect(cell('shop/backend', 'svc-dns:payments/api', 443).detail).to.match(
      /api\.payments\.svc\.cluster\.local\.:443 \(10\./,
    );
    expect(cell('shop/frontend', 'svc:payments/api', 443).evidence).to.equal('blocked');
    expect(cell('shop/backend', 'svc-dns:shop/redis', 6379).evidence).to.equal('allowed');
    expect(cell('shop/frontend', 'svc-dns:shop/redis', 6379).evidence).to.equal('blocked');
    expect(await leftovers()).to.deep.equal([]);
  });

  it('--dry-run prints the objects and creates nothing (a watch on pods and ConfigMaps sees no event)', async function () {
    // Watched from no resourceVersion: every existing object arrives first as ADDED, so only what
    // comes between the two markers counts; the markers prove the watches were live around the dry run.
    const seen: string[] = [];
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const watches = await Promise.all(
      ['/api/v1/pods', '/api/v1/configmaps'].map((url) =>
        new Watch(kc).watch(
          url,
          {},
          (phase: string, o: { kind?: string; metadata?: { namespace?: string; name?: string } }) =>
            seen.push(`${phase} ${url.split('/').pop()} ${o.metadata?.namespace}/${o.metadata?.name}`),
          () => undefined,
        ),
      ),
    );
    const marker = async (name: string) => {
      await kubectl(['create', 'configmap', name, '-n', 'monitoring']);
      await pollUntil(
        `the watch to see ${name}`,
        async () => (seen.some((e) => e.includes(name)) ? { done: true } : { waiting: `${seen.length} events` }),
        { timeoutMs: 20_000, intervalMs: 200 },
      );
    };
    let dry;
    let between: string[];
    try {
      await marker('nph-dry-run-marker-before');
      const from = seen.length;
      dry = await check(['--dry-run']);
      await marker('nph-dry-run-marker-after');
      // The checked namespaces, and anything named like what check creates, anywhere (other
      // namespaces' controllers may touch their own ConfigMaps meanwhile: not ours to judge).
      const ours = (e: string) =>
        NAMESPACES.some((ns) => e.includes(` ${ns}/`)) || /np-check-|netpol-harness-check-/.test(e);
      between = seen.slice(from).filter((e) => ours(e) && !e.includes('nph-dry-run-marker'));
    } finally {
      for (const w of watches) w.abort();
      for (const name of ['nph-dry-run-marker-before', 'nph-dry-run-marker-after'])
        await kubectl(['delete', 'configmap', name, '-n', 'monitoring', '--ignore-not-found']);
    }
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect(dry.stdout.match(/^kind: Pod$/gm)).to.have.length(5);
    expect(between).to.deep.equal([]);
  });

  it('Ctrl-C while probing: exit 2, every probe pod and owner ConfigMap removed', async function () {
    const child = check([]);
    await probePodsExist();
    child.kill('SIGINT');
    const done = await child;
    expect(done.exitCode, done.stderr).to.equal(2);
    expect(done.stderr).to.include('SIGINT: stopping');
    expect(await leftovers()).to.deep.equal([]);
  });

  it('SIGKILL while probing leaves probe pods; the next check removes them (their process is gone) and says so', async function () {
    const child = check([]);
    await probePodsExist();
    child.kill('SIGKILL');
    await child;
    const left = await leftovers();
    expect(
      left.filter((l) => l.startsWith('ConfigMap')),
      'SIGKILL cannot clean up',
    ).to.not.deep.equal([]);
    const next = await check(['-o', 'json']);
    expect(next.exitCode, next.stderr).to.equal(0);
    const [ctx] = (JSON.parse(next.stdout) as CheckReport).contexts;
    expect(ctx!.notes.join('\n')).to.match(
      /removed \d+ probe pod\(s\) left by check \w+, whose process \(.+ pid \d+\) is gone/,
    );
    // The killed check's pods were never classed as real workloads.
    expect(ctx!.classes).to.have.length(5);
    expect(await leftovers()).to.deep.equal([]);
  });

  it('--expect: the intent line the policies do not deliver fails (exit 1), the lines they do pass', async function () {
    const result = await check(['--expect', 'test/e2e/fixtures/check/intent.yaml', '-o', 'json']);
    expect(result.exitCode, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(checkReportErrors(report)).to.deep.equal([]);
    expect(report.intent).to.deep.equal({ file: 'test/e2e/fixtures/check/intent.yaml', name: 'shop-intent' });
    const cells = report.contexts[0]!.cells;
    const failed = cells.filter((c) => c.verdict !== 'pass');
    expect(
      failed.map((c) => [c.from, c.to, c.port.port, c.expected, c.predicted, c.evidence, c.verdict]),
    ).to.deep.equal([['shop/frontend', 'payments/api', 8443, 'allowed', 'blocked', 'blocked', 'fail']]);
    expect(cells.filter((c) => c.expected).length, 'cells the intent names').to.equal(5);
    expect(await leftovers()).to.deep.equal([]);
  });

  it('under exactly the shipped check roles (a ServiceAccount): passes; one namespace unbound: refused up front, nothing created; snapshot with the read role alone', async function () {
    const roles = parseAllDocuments(readFileSync('clusters/rbac/netpol-harness-check.yaml', 'utf8')).map(
      (d) => d.toJSON() as KubeObject,
    );
    const accounts = 'nph-check-accounts';
    const sa = 'nph-check-sa';
    const binding = (kind: string, name: string, role: string, namespace?: string): KubeObject =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: { name, ...(namespace ? { namespace } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: accounts }],
      }) as KubeObject;
    const bindings = [
      binding('ClusterRoleBinding', 'nph-check-e2e-read', 'netpol-harness-check-read'),
      ...NAMESPACES.map((ns) => binding('RoleBinding', 'nph-check-e2e-probe', 'netpol-harness-check-probe', ns)),
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-check-sa-'));
    const kubeconfig = path.join(dir, 'config');
    try {
      await cluster.gw.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: accounts } });
      await cluster.gw.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: accounts } });
      for (const o of [...roles, ...bindings]) await cluster.gw.apply(o);
      writeServiceAccountKubeconfig(
        kubeconfig,
        cluster.kubeconfig,
        new Map([[sa, await mintToken(cluster.kubeconfig, accounts, sa)]]),
      );
      const asSa = (args: string[]) =>
        execa(
          'node',
          [CLI, 'check', '--context', sa, '--kubeconfig', kubeconfig, '-n', NAMESPACES.join(','), ...args],
          {
            reject: false,
            env: { NO_COLOR: '1' },
          },
        );
      const ok = await asSa(['-o', 'json']);
      expect(ok.exitCode, ok.stderr).to.equal(0);
      expect(
        (JSON.parse(ok.stdout) as CheckReport).contexts[0]!.cells.filter((c) => c.verdict === 'pass'),
      ).to.have.length(25);
      expect(await leftovers()).to.deep.equal([]);

      await cluster.gw.remove(bindings.at(-1)!); // monitoring's RoleBinding
      await pollUntil(
        'the RoleBinding to be gone',
        async () =>
          (await cluster.gw.read({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            namespace: 'monitoring',
            name: 'nph-check-e2e-probe',
          }))
            ? { waiting: 'still there' }
            : { done: true },
        { timeoutMs: 20_000 },
      );
      const refused = await asSa([]);
      expect(refused.exitCode).to.equal(2);
      expect(refused.stderr).to.include(
        'missing RBAC permissions: create configmaps in monitoring, patch configmaps in monitoring',
      );
      expect(refused.stderr).to.include('nothing was created');
      expect(await leftovers()).to.deep.equal([]);

      // snapshot needs the read role alone: with every probe RoleBinding gone the account can write
      // nothing at all, and the snapshot still succeeds (it is read-only, issue 11).
      for (const b of bindings.slice(1, -1)) await cluster.gw.remove(b);
      const snap = await execa(
        'node',
        [
          CLI,
          'snapshot',
          '--context',
          sa,
          '--kubeconfig',
          kubeconfig,
          '-n',
          NAMESPACES.join(','),
          '-o',
          path.join(dir, 'snap.yaml'),
        ],
        { reject: false, env: { NO_COLOR: '1' } },
      );
      expect(snap.exitCode, snap.stderr).to.equal(0);
      expect(readFileSync(path.join(dir, 'snap.yaml'), 'utf8')).to.contain('kind: Scenario');
    } finally {
      for (const o of [...bindings, ...roles]) await cluster.gw.remove(o);
      await cluster.gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: accounts } });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
