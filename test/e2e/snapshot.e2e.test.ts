/**
 * Issue 11 on kind + Calico: a production-like namespace set applied with plain kubectl manifests
 * (Deployments of 3, a StatefulSet of 2, Services, a client without ports, 9 policies with an
 * egress ipBlock and its except, named ports, matchExpressions) is checked, then snapshotted with
 * what the check observed; the scenario validates with no error; and the scenario, replayed with
 * `run` on a fresh kind + Calico cluster (created and deleted by the run), reproduces production:
 * what it observed holds, the prediction holds, the externals answer as the ipBlock says. With
 * NETPOL_E2E_CILIUM=1 it is also replayed on a fresh kind + Cilium in the same run, and every cell
 * where Cilium differs must be explained by the triage with its upstream issue. Then the round trip,
 * live: two examples run with --keep-namespaces, snapshotted and replayed give the same matrices.
 */
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { clusterPrefix, ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import type { CheckReport } from '../../harness/model/check-report.js';
import type { RunReport } from '../../harness/model/run-report.js';
import {
  deployProductionLike,
  kubectl as kubectlIn,
  NAMESPACES,
  removeProductionLike,
} from './fixtures/check/deploy.js';
import { io, seconds } from './support.js';
import { pollUntil } from '../../harness/util/poll.js';

const CLI = path.resolve('bin/netpol-harness.js');
const MORE_POLICIES = 'test/e2e/fixtures/snapshot/more-policies.yaml';

describe('snapshot a live namespace set, replay it on kind (issue 11)', function () {
  let cluster: KindCluster;
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1', ...env } });
  const on = () => ['--context', cluster.context, '--kubeconfig', cluster.kubeconfig];

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), 'nph-snapshot-e2e-'));
    cluster = await ensureKindCluster({ cni: 'calico', images: [probeImage(loadClusterVersions())] }, io.err);
    await deployProductionLike(cluster);
    await kubectlIn(cluster, ['apply', '-f', MORE_POLICIES]);
  });

  after(async function () {
    rmSync(dir, { recursive: true, force: true });
    if (!cluster) return;
    await removeProductionLike(cluster);
    if (process.env['NETPOL_E2E_FRESH']) await cluster.remove();
  });

  it('check, then snapshot with what it observed: a scenario that validates with no error', async function () {
    const checked = await cli([
      'check',
      ...on(),
      '-n',
      NAMESPACES.join(','),
      '--via',
      'pod,service',
      '--report',
      path.join(dir, 'prod.json'),
    ]);
    io.err(`check: exit ${checked.exitCode}\n${checked.stderr}`);
    expect(checked.exitCode, checked.stdout + checked.stderr).to.equal(0);

    const snap = await cli([
      'snapshot',
      ...on(),
      '-n',
      NAMESPACES.join(','),
      '--observed',
      path.join(dir, 'prod.json'),
      '-o',
      path.join(dir, 'repro.yaml'),
    ]);
    io.err(`snapshot: exit ${snap.exitCode}\n${snap.stdout}\n${snap.stderr}`);
    expect(snap.exitCode, snap.stderr).to.equal(0);
    expect(snap.stdout).to.match(/3 namespace\(s\), 5 workload\(s\), 3 Service\(s\), 2 external\(s\), 9 NetworkPolicy/);

    const validated = await cli(['validate', path.join(dir, 'repro.yaml')]);
    expect(validated.exitCode, validated.stdout + validated.stderr).to.equal(0);
    expect(validated.stdout + validated.stderr).to.not.match(/error|warning/i);

    const doc = parse(readFileSync(path.join(dir, 'repro.yaml'), 'utf8'));
    const report = JSON.parse(readFileSync(path.join(dir, 'prod.json'), 'utf8')) as CheckReport;
    const observedCells = report.contexts[0]!.cells.filter((c) => c.evidence === 'allowed' || c.evidence === 'blocked');
    const asserted = (doc.spec.expect.matrix as Array<{ table: string }>)
      .flatMap((m) => m.table.trim().split('\n').slice(1))
      .flatMap((row) => row.trim().split(/\s+/).slice(1))
      .filter((mark) => mark !== '-').length;
    // Every cell check proved is asserted, but each class to itself (directly or through its own
    // Service), which a scenario does not assert, and the headless redis Service, which it does not carry.
    const assertable = observedCells.filter((c) =>
      c.service
        ? c.service.name !== 'shop/redis' && !c.service.backends.some((b) => b.startsWith(`${c.from} `))
        : c.from !== c.to,
    );
    expect(assertable.some((c) => c.service?.address === 'cluster-ip')).to.equal(true);
    expect(assertable.some((c) => c.service?.address === 'dns-name')).to.equal(true);
    expect(asserted).to.equal(assertable.length);
    const paths = (doc.spec.expect.matrix as Array<{ via: string }>).map((m) => m.via);
    expect([...new Set(paths)]).to.deep.equal(['pod', 'service', 'dns']);
    expect(doc.spec.probe).to.deep.equal({ via: ['pod', 'service', 'dns'] });
    const frontend = (doc.spec.workloads as Array<{ name: string; service?: unknown }>).find(
      (w) => w.name === 'frontend',
    );
    expect(frontend?.service).to.deep.equal({
      name: 'frontend',
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    expect(doc.metadata.environment.cni[0]).to.match(/^calico v3\./);
  });

  it('replayed on fresh kind clusters: Calico reproduces production; a Cilium divergence is explained', async function () {
    await removeProductionLike(cluster);
    const withCilium = Boolean(process.env['NETPOL_E2E_CILIUM']);
    const cnis = withCilium ? 'calico,cilium' : 'calico';
    const started = Date.now();
    // Clusters of their own, created by the run and deleted at its end: nothing of "production" there.
    const run = await cli(
      [
        'run',
        path.join(dir, 'repro.yaml'),
        '--cni',
        cnis,
        '--explain-divergence',
        '--format',
        'json',
        '--report-dir',
        path.join(dir, 'reports'),
      ],
      { NETPOL_HARNESS_CLUSTER_PREFIX: `${clusterPrefix()}-replay` },
    );
    io.err(`run --cni ${cnis}: exit ${run.exitCode} in ${seconds(Date.now() - started)}\n${run.stdout}\n${run.stderr}`);
    expect(run.stderr).to.contain('was captured from context');
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'report.json'), 'utf8')) as RunReport;
    const cellsOn = (target: string) =>
      report.runs.filter((r) => r.target === target).flatMap((r) => r.steps.flatMap((s) => s.cells));
    expect(cellsOn('calico').length).to.be.greaterThan(20);
    expect(cellsOn('calico').filter((c) => c.verdict !== 'pass' && c.verdict !== 'not-asserted')).to.deep.equal([]);
    expect(run.stdout).to.match(/production's behaviour is reproduced by: calico \(all \d+ cells\)/);
    const toExternals = cellsOn('calico')
      .filter((c) => c.from === 'payments/api' && c.to.startsWith('external:'))
      .map((c) => `${c.to} ${c.observed === 'allowed' ? 'allowed' : 'blocked'}`);
    expect(toExternals).to.have.members(['external:ip-203-0-113-10 allowed', 'external:ip-203-0-113-138 blocked']);
    if (!withCilium) {
      expect(run.exitCode, run.stderr).to.equal(0);
      return;
    }
    // Every cell where Cilium differs is in the triage with its explanation and the upstream issue:
    // here, Prometheus's egress rule names the port "metrics", which CoreDNS also declares (9153).
    const failing = cellsOn('cilium').filter((c) => c.verdict === 'fail');
    for (const c of failing) {
      expect(run.stdout).to.contain(
        `${c.from} -> ${c.to} ${c.port}/${c.protocol}${c.via ? ` via ${c.via}` : ''}: production allowed`,
      );
      const explained = run.stdout
        .split('\n')
        .some((l) => l.includes(`${c.from} -> ${c.to} ${c.port}/${c.protocol}`) && l.includes(', step default: '));
      expect(explained, `the explanation of ${c.from} -> ${c.to}`).to.equal(true);
    }
    expect(failing.length).to.equal((run.stdout.match(/cilium\/cilium#\d+/g) ?? []).length);
    expect(run.exitCode).to.equal(failing.length ? 1 : 0);
  });

  // The round trip of issue 11, live: an example run with --keep-namespaces, its namespaces
  // snapshotted, the snapshot replayed: the last step's cells predict and observe the same.
  for (const example of ['06-monitoring-scrape-metrics.yaml', '11-multi-step-rollout.yaml']) {
    it(`round trip on kind + Calico: ${example} kept, snapshotted, replayed: the same matrices`, async function () {
      const first = await cli([
        'run',
        path.join('scenarios', example),
        '--cni',
        'calico',
        '--keep',
        '--keep-namespaces',
        '--format',
        'json',
        '--report-dir',
        path.join(dir, `first-${example}`),
      ]);
      io.err(`run --keep-namespaces ${example}: exit ${first.exitCode}\n${first.stderr}`);
      expect(first.stderr).to.contain('kept the namespaces of run');
      const before = JSON.parse(readFileSync(path.join(dir, `first-${example}`, 'report.json'), 'utf8')) as RunReport;
      const runId = before.runId;
      const kept = (await cluster.gw.listNamespaces(`netpol-harness/run=${runId}`)).sort();
      try {
        expect(kept.length).to.be.greaterThan(0);
        const out = path.join(dir, `rt-${example}`);
        const snap = await cli(['snapshot', ...on(), '-n', kept.join(','), '-o', out]);
        expect(snap.exitCode, snap.stderr).to.equal(0);
        const second = await cli([
          'run',
          out,
          '--cni',
          'calico',
          '--keep',
          '--format',
          'json',
          '--report-dir',
          path.join(dir, `second-${example}`),
        ]);
        io.err(`replay of ${example}: exit ${second.exitCode}\n${second.stdout.slice(-1500)}`);
        expect(second.exitCode, second.stdout.slice(-3000)).to.equal(0);
        const after = JSON.parse(readFileSync(path.join(dir, `second-${example}`, 'report.json'), 'utf8')) as RunReport;
        // The first run's logical `ns/w` is the snapshot's `<real ns>/w`: the run named it `ns-<run id>-...`.
        const realOf = (ns: string) => kept.find((k) => k.startsWith(`${ns}-${runId}`)) ?? ns;
        const lastCells = (r: RunReport, rename: (k: string) => string) => {
          const steps = r.runs[0]!.steps;
          return new Map(
            steps[steps.length - 1]!.cells.filter((c) => !c.to.startsWith('external:')).map((c) => [
              `${rename(c.from)} -> ${rename(c.to)} ${c.port}/${c.protocol}`,
              { predicted: c.predicted, observed: c.observed === 'allowed' ? 'allowed' : 'blocked' },
            ]),
          );
        };
        const renamed = (k: string) => `${realOf(k.split('/')[0]!)}/${k.split('/')[1]}`;
        const a = lastCells(before, renamed);
        const b = lastCells(after, (k) => k);
        expect(a.size).to.be.greaterThan(0);
        expect(Object.fromEntries(b)).to.deep.equal(Object.fromEntries(a));
      } finally {
        await cli(['cleanup', '--cni', 'calico', '--run', runId]);
      }
      // Namespace deletion is asynchronous: cleanup asked for it; they are gone once terminated.
      await pollUntil(
        `the kept namespaces of run ${runId} to be gone`,
        async () => {
          const left = await cluster.gw.listNamespaces(`netpol-harness/run=${runId}`);
          return left.length ? { waiting: left.join(', ') } : { done: true };
        },
        { timeoutMs: 180_000, intervalMs: 2000 },
      );
    });
  }
});
