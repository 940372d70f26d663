/**
 * Parity across two kind + Calico clusters ("staging" and "production") carrying the same
 * production-like namespace set, where production has two planted differences: an extra policy
 * (shop/redis-from-frontend) and a namespace label changed (shop: team=shop -> team=storefront, which
 * payments/api-from-shop-backend's namespaceSelector no longer matches). `check --context a,b`
 * through one merged KUBECONFIG must show exactly the two planted divergences, each with its cause
 * from the environment diff, and nothing left in either cluster.
 */
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterPrefix, ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import type { CheckReport } from '../../harness/model/check-report.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { io, seconds } from './support.js';
import { checkReportErrors } from '../support/check-report-schema.js';
import { deployProductionLike, kubectl, NAMESPACES, removeProductionLike } from './fixtures/check/deploy.js';

const CLI = path.resolve('bin/netpol-harness.js');

/** Someone let the frontend talk to redis directly in production, months ago. */
const EXTRA_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: redis}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 6379}]}]
`;

describe('check --context staging,production: parity with planted differences (two kind + Calico clusters)', function () {
  let staging: KindCluster;
  let production: KindCluster;

  before(async function () {
    const images = [probeImage(loadClusterVersions())];
    staging = await ensureKindCluster({ cni: 'calico', images }, io.err);
    production = await ensureKindCluster({ cni: 'calico', images, name: `${clusterPrefix()}-calico-b` }, io.err);
    await deployProductionLike(staging);
    await deployProductionLike(production);
    await kubectl(production, ['apply', '-f', '-'], EXTRA_POLICY);
    await kubectl(production, ['label', 'namespace', 'shop', 'team=storefront', '--overwrite']);
  });

  after(async function () {
    for (const c of [staging, production].filter(Boolean)) await removeProductionLike(c);
    if (production) await production.remove(); // the second cluster exists for this file only
    if (staging && process.env['NETPOL_E2E_FRESH']) await staging.remove();
  });

  it('shows exactly the two planted divergences, each with its cause, and leaves nothing', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-parity-'));
    const reportFile = path.join(dir, 'parity.json');
    const started = Date.now();
    const result = await execa(
      'node',
      [
        CLI,
        'check',
        '--context',
        `${staging.context},${production.context}`,
        '-n',
        NAMESPACES.join(','),
        '--report',
        reportFile,
        '--report',
        path.join(dir, 'parity.md'),
        '--report',
        path.join(dir, 'parity.html'),
      ],
      {
        reject: false,
        env: { NO_COLOR: '1', KUBECONFIG: [staging.kubeconfig, production.kubeconfig].join(path.delimiter) },
      },
    );
    // The console report as a user reads it (the README's parity example comes from this log).
    io.err(`check: exit ${result.exitCode} in ${seconds(Date.now() - started)}\n${result.stderr}\n${result.stdout}`);
    // Each cluster is as its own policies say: every cell passes in both.
    expect(result.exitCode, result.stdout + result.stderr).to.equal(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as CheckReport;
    // The same report as Markdown and HTML: the divergent cells and their causes are in both.
    const markdown = readFileSync(path.join(dir, 'parity.md'), 'utf8');
    const html = readFileSync(path.join(dir, 'parity.html'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(markdown)
      .to.include('| shop/frontend | shop/redis | 6379/TCP |')
      .and.include('NetworkPolicy shop/redis-from-frontend');
    expect(html)
      .to.include('shop/frontend → shop/redis 6379/TCP')
      .and.include('NetworkPolicy shop/redis-from-frontend');
    expect(checkReportErrors(report)).to.deep.equal([]);
    expect(result.stdout).to.include('parity: ').and.include('2 divergent cell(s):');
    expect(report.contexts.map((c) => c.cells.length)).to.deep.equal([25, 25]);
    const divergences = report.parity!.divergences.map((d) => ({
      cell: `${d.from} -> ${d.to} ${d.port.port}`,
      observed: d.observed,
      causes: d.causes,
    }));
    expect(divergences.map((d) => d.cell).sort()).to.deep.equal([
      'shop/backend -> payments/api 8443',
      'shop/frontend -> shop/redis 6379',
    ]);
    const [s, p] = [staging.context, production.context];
    const divergence = (cell: string) => divergences.find((d) => d.cell === cell)!;
    const causes = (cell: string) => divergence(cell).causes.join('\n');
    expect(divergence('shop/frontend -> shop/redis 6379').observed).to.deep.equal({ [s]: 'blocked', [p]: 'allowed' });
    expect(causes('shop/frontend -> shop/redis 6379')).to.match(
      new RegExp(`NetworkPolicy shop/redis-from-frontend: - in ${s}, spec [0-9a-f]{8} in ${p}`),
    );
    // Each cause is named where it applies only: the policy selects redis; the label matters across namespaces.
    expect(causes('shop/frontend -> shop/redis 6379')).to.not.include('namespace shop labels');
    expect(causes('shop/backend -> payments/api 8443')).to.not.include('redis-from-frontend');
    expect(divergence('shop/backend -> payments/api 8443').observed).to.deep.equal({ [s]: 'allowed', [p]: 'blocked' });
    expect(causes('shop/backend -> payments/api 8443')).to.include(
      `namespace shop labels: env=prod, kubernetes.io/metadata.name=shop, team=shop in ${s}, ` +
        `env=prod, kubernetes.io/metadata.name=shop, team=storefront in ${p}`,
    );
    const differing = report.parity!.environment.filter((r) => r.differs).map((r) => r.attribute);
    expect(differing).to.include.members(['NetworkPolicy shop/redis-from-frontend', 'namespace shop labels']);
    for (const c of [staging, production])
      for (const ns of NAMESPACES)
        for (const kind of ['Pod', 'ConfigMap'])
          expect((await c.gw.list('v1', kind, ns)).filter((o) => o.metadata.labels?.[RUN_LABEL])).to.deep.equal([]);
  });
});
