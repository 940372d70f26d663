import { expect } from 'chai';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kindClusterName } from '../../harness/cluster/kind-cluster.js';
import { kindBinary, loadClusterVersions } from '../../harness/cluster/versions.js';
import type { RunReport } from '../../harness/model/run-report.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import { e2eSettings, kindTarget, seconds } from './support.js';

const CLI = path.resolve('bin/netpol-harness.js');

function cli(args: string[], options: { onStderr?: (line: string) => void } = {}) {
  const child = execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1' } });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line) {
        process.stderr.write(`    | ${line}\n`);
        options.onStderr?.(line);
      }
  });
  return child;
}

describe('netpol-harness run on kind + Calico', () => {
  let target: PreparedTarget;
  let reports: string;
  before(async () => {
    target = await kindTarget('calico');
    reports = mkdtempSync(path.join(tmpdir(), 'netpol-e2e-'));
  });
  after(async () => {
    rmSync(reports, { recursive: true, force: true });
    await target?.release();
  });

  it('all example scenarios pass, and every report file is written', async () => {
    const started = Date.now();
    const result = await cli(['run', 'scenarios/', '--cni', 'calico', '--keep', '--report-dir', reports]);
    console.error(`  examples: exit ${result.exitCode} in ${seconds(Date.now() - started)}`);
    expect(result.stdout).to.contain('PASSED');
    expect(result.exitCode).to.equal(0);
    const report = JSON.parse(readFileSync(path.join(reports, 'report.json'), 'utf8')) as RunReport;
    expect(report.runs.length).to.equal(16);
    for (const file of ['junit.xml', 'report.md', 'report.html'])
      expect(existsSync(path.join(reports, file)), file).to.equal(true);
    // Externals (scenario 09) are real containers at their declared addresses: every cell is judged.
    const external = report.runs
      .flatMap((r) => r.steps.flatMap((s) => s.cells))
      .filter((c) => c.to.startsWith('external:'));
    expect(external.length).to.be.greaterThan(0);
    expect(
      external.filter((c) => c.verdict !== 'pass').map((c) => `${c.from} -> ${c.to}: ${c.observed} ${c.detail}`),
    ).to.deep.equal([]);
    expect(external.filter((c) => c.observed === 'allowed').every((c) => c.detail.includes('external@'))).to.equal(
      true,
    );
    // ... and gone afterwards, with their networks.
    const leftovers = await execa('docker', ['ps', '-aq', '--filter', `label=netpol-harness/run=${report.runId}`]);
    const networks = await execa('docker', [
      'network',
      'ls',
      '-q',
      '--filter',
      `label=netpol-harness/run=${report.runId}`,
    ]);
    expect(leftovers.stdout + networks.stdout).to.equal('');
    // Joining and leaving the externals networks must not disturb the CNI (Calico once re-detected
    // its node address on such a network and lost cross-node traffic when it went away).
    const after = await checkEnforcement(target.session, e2eSettings());
    expect(after.enforced, after.evidence).to.equal(true);
  });

  it('the upstream 3x3 cases give exactly the upstream truth tables (TCP and UDP; SCTP reported unsupported)', async () => {
    const started = Date.now();
    const dir = path.join(reports, 'upstream');
    const result = await cli([
      'run',
      'test/fixtures/upstream/',
      '--cni',
      'calico',
      '--keep',
      '--quiet',
      '--report-dir',
      dir,
      '--format',
      'json',
    ]);
    console.error(`  upstream: exit ${result.exitCode} in ${seconds(Date.now() - started)}`);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;
    const cells = report.runs.flatMap((r) => r.steps.flatMap((s) => s.cells));
    const failing = cells.filter(
      (c) => c.verdict === 'fail' || (c.verdict === 'inconclusive' && c.observed !== 'unsupported'),
    );
    expect(failing.slice(0, 5), `${failing.length} cells`).to.deep.equal([]);
    expect(cells.filter((c) => c.protocol === 'SCTP').every((c) => c.observed === 'unsupported')).to.equal(true);
    expect(report.runs.every((r) => !r.error)).to.equal(true);
    expect(result.exitCode).to.equal(0);
  });

  it('Ctrl-C mid-run leaves no namespace or pod of the run behind', async () => {
    let runId: string | undefined;
    const child = cli(['run', 'scenarios/', '--cni', 'calico', '--keep', '--format', 'json', '--report-dir', reports], {
      onStderr: (line) => {
        runId ??= /^run (\w+):/.exec(line)?.[1];
      },
    });
    const gw = target.session.gw;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline && (!runId || (await gw.listNamespaces(`netpol-harness/run=${runId}`)).length < 3))
      await new Promise((r) => setTimeout(r, 500));
    const before = await gw.listNamespaces(`netpol-harness/run=${runId}`);
    expect(before.length, 'namespaces were created before the interrupt').to.be.at.least(3);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).to.equal(2);
    const left = await gw.listNamespaces(`netpol-harness/run=${runId}`);
    const active = [];
    for (const name of left) {
      const ns = await gw.read({ apiVersion: 'v1', kind: 'Namespace', name });
      if (ns && !(ns['metadata'] as { deletionTimestamp?: string }).deletionTimestamp) active.push(name);
    }
    expect(active, 'namespaces not deleted (terminating ones are on their way out)').to.deep.equal([]);
  });
});

describe('netpol-harness run when the cluster dies mid-run', () => {
  it('exits 2 and deletes the cluster it created', async () => {
    const v = loadClusterVersions();
    const kind = kindBinary(v);
    // A cluster this run creates itself: the warm Calico cluster goes (later runs recreate it).
    const name = kindClusterName('calico');
    const deleted = await execa(kind, ['delete', 'cluster', '--name', name], { reject: false });
    expect(deleted.exitCode, deleted.stderr).to.equal(0);
    let killed = false;
    const reports = mkdtempSync(path.join(tmpdir(), 'netpol-e2e-killed-'));
    const child = cli(
      ['run', 'scenarios/01-default-deny-ingress.yaml', '--cni', 'calico', '--format', 'json', '--report-dir', reports],
      {
        onStderr: (line) => {
          if (!killed && /ready after/.test(line)) {
            killed = true;
            void execa('docker', ['kill', `${name}-control-plane`], { reject: false });
          }
        },
      },
    );
    const result = await child.finally(() => rmSync(reports, { recursive: true, force: true }));
    expect(killed, 'the cluster came up and was killed').to.equal(true);
    expect(result.exitCode).to.equal(2);
    const clusters = await execa(kind, ['get', 'clusters'], { reject: false });
    expect(clusters.stdout.split('\n')).not.to.include(name);
  });
});
