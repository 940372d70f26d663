/**
 * Issue 11 on kind + Calico: a production-like namespace set applied with plain kubectl manifests
 * (Deployments of 3, a StatefulSet of 2, Services, a client without ports, 9 policies with an
 * egress ipBlock and its except, named ports, matchExpressions) is checked, then snapshotted with
 * what the check observed; the scenario validates with no error; the source namespaces are
 * removed; and the scenario, replayed with `run` in fresh namespaces, passes: what production
 * observed holds, the prediction holds, the externals answer as the ipBlock says.
 * With NETPOL_E2E_CILIUM=1 it is also replayed on kind + Cilium in the same run.
 */
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
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

const CLI = path.resolve('bin/netpol-harness.js');
const MORE_POLICIES = 'test/e2e/fixtures/snapshot/more-policies.yaml';

describe('snapshot a live namespace set, replay it on kind (issue 11)', function () {
  let cluster: KindCluster;
  let dir: string;
  const cli = (args: string[]) => execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1' } });
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
    const checked = await cli(['check', ...on(), '-n', NAMESPACES.join(','), '--report', path.join(dir, 'prod.json')]);
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
    expect(snap.stdout).to.match(/3 namespace\(s\), 5 workload\(s\), 2 external\(s\), 9 NetworkPolicy/);

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
    // Every cell check proved (but each class to itself, which a scenario does not assert) is asserted.
    expect(asserted).to.equal(observedCells.filter((c) => c.from !== c.to).length);
    expect(doc.metadata.environment.cni[0]).to.match(/^calico v3\./);
  });

  it('replayed in fresh namespaces (the source ones removed), it passes: production is reproduced', async function () {
    await removeProductionLike(cluster);
    const cnis = process.env['NETPOL_E2E_CILIUM'] ? 'calico,cilium' : 'calico';
    const started = Date.now();
    const run = await cli([
      'run',
      path.join(dir, 'repro.yaml'),
      '--cni',
      cnis,
      '--keep',
      '--format',
      'json',
      '--report-dir',
      path.join(dir, 'reports'),
    ]);
    io.err(`run --cni ${cnis}: exit ${run.exitCode} in ${seconds(Date.now() - started)}\n${run.stderr}`);
    expect(run.stderr).to.contain('was captured from context');
    expect(run.exitCode, run.stdout.slice(-4000) + run.stderr).to.equal(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'report.json'), 'utf8')) as RunReport;
    const cells = report.runs.flatMap((r) => r.steps.flatMap((s) => s.cells));
    expect(cells.filter((c) => c.verdict !== 'pass')).to.deep.equal([]);
    const toExternals = cells
      .filter((c) => c.from === 'payments/api' && c.to.startsWith('external:'))
      .map((c) => `${c.to} ${c.observed}`);
    expect(toExternals).to.include.members(['external:ip-203-0-113-10 allowed']);
    expect(toExternals.some((c) => c.startsWith('external:ip-203-0-113-138') && !c.endsWith('allowed'))).to.equal(true);
  });
});
