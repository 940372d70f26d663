/**
 * `netpol-harness matrix` end to end on this machine: Calico on two Kubernetes versions (two kind
 * clusters from the kit's node images), three nights. The second night changes nothing, so its
 * `history diff` is green (exit 0); the third plants one wrong expectation in a scenario, and the
 * night and `history diff` report exactly that cell on each Kubernetes version and exit 1. Night 1
 * removes the clusters it created; night 2 keeps them (--keep), and night 3 reuses them.
 */
import { expect } from 'chai';
import { execa } from 'execa';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterPrefix, kindClusterNameFor } from '../../harness/cluster/kind-cluster.js';
import { kindBinary, kitNodeImage, loadClusterVersions } from '../../harness/cluster/versions.js';
import type { RunReport } from '../../harness/model/run-report.js';
import { seconds } from './support.js';

const CLI = path.resolve('bin/netpol-harness.js');
const VERSIONS = ['v1.34.4', 'v1.35.4'];
const CELLS = VERSIONS.map((k) => `calico@v3.31.0/k8s@${k}`);
const SCENARIO = path.resolve('scenarios/01-default-deny-ingress.yaml');

/**
 * Clusters of their own: other e2e files keep `<prefix>-calico` up between files, and the matrix must
 * create (and remove) its cells' clusters itself.
 */
const PREFIX = `${clusterPrefix()}-mx`;

function cli(args: string[]) {
  const child = execa('node', [CLI, ...args], {
    reject: false,
    env: { NO_COLOR: '1', NETPOL_HARNESS_CLUSTER_PREFIX: PREFIX },
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) process.stderr.write(`    | ${line}\n`);
  });
  return child;
}

describe('netpol-harness matrix: Calico on two Kubernetes versions, three nights', () => {
  let dir = '';
  const kind = kindBinary(loadClusterVersions());
  const clusters = VERSIONS.map((v) =>
    kindClusterNameFor({ cni: 'calico', kubernetesVersion: v }).replace(clusterPrefix(), PREFIX),
  );
  before(async function () {
    // The second Kubernetes version is an opt-in part of the kit: without its node image this file says so.
    for (const v of VERSIONS) {
      const image = kitNodeImage(loadClusterVersions(), v);
      if ((await execa('docker', ['image', 'inspect', image], { reject: false })).exitCode !== 0) {
        console.error(`  SKIPPED: no node image ${image}: run npm run kit -- build --kubernetes ${v}`);
        this.skip();
      }
    }
    dir = mkdtempSync(path.join(tmpdir(), 'nph-matrix-e2e-'));
    mkdirSync(path.join(dir, 'scenarios'));
    copyFileSync(SCENARIO, path.join(dir, 'scenarios', 'default-deny-ingress.yaml'));
    writeFileSync(
      path.join(dir, 'matrix.yaml'),
      [
        'apiVersion: netpol-harness/v1alpha1',
        'kind: Matrix',
        'metadata: {name: e2e}',
        'spec:',
        '  cni: [calico@v3.31.0]',
        `  kubernetes: [${VERSIONS.join(', ')}]`,
        '  scenarios: [scenarios/]',
        '  history: history/',
        '',
      ].join('\n'),
    );
    const existing = (await execa(kind, ['get', 'clusters'], { reject: false })).stdout.split('\n');
    expect(
      clusters.filter((c) => existing.includes(c)),
      'the matrix must create its own clusters',
    ).to.deep.equal([]);
  });
  after(async () => {
    if (!dir) return;
    for (const c of clusters) await execa(kind, ['delete', 'cluster', '--name', c], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  });

  const night = async (n: number, keep: boolean) => {
    const started = Date.now();
    const args = ['matrix', '--matrix', path.join(dir, 'matrix.yaml'), '--report-dir', path.join(dir, `night-${n}`)];
    const r = await cli(keep ? [...args, '--keep'] : args);
    console.error(`  night ${n}: exit ${r.exitCode} in ${seconds(Date.now() - started)}`);
    const report = JSON.parse(readFileSync(path.join(dir, `night-${n}`, 'report.json'), 'utf8')) as RunReport;
    return { ...r, report };
  };

  const leftClusters = async () => {
    const all = (await execa(kind, ['get', 'clusters'], { reject: false })).stdout.split('\n');
    return clusters.filter((c) => all.includes(c));
  };

  it('night 1: both cells come up, run, pass and are torn down; the page, cell reports and a history file are written', async () => {
    const { exitCode, report } = await night(1, false);
    expect(exitCode).to.equal(0);
    expect(report.targets.map((t) => [t.name, t.kubernetesVersion, t.cniVersion, t.error])).to.deep.equal(
      VERSIONS.map((v, i) => [CELLS[i], v, 'v3.31.0', undefined]),
    );
    for (const f of [
      'compat.html',
      'compat.md',
      'report.html',
      ...CELLS.map((c) => `cells/${c.replace('/', '_')}/report.json`),
    ])
      expect(existsSync(path.join(dir, 'night-1', f)), f).to.equal(true);
    expect(readdirSync(path.join(dir, 'history'))).to.have.length(1);
    expect(await leftClusters(), 'clusters left behind').to.deep.equal([]);
  });

  it("report merge of night 1's per-cell reports equals the night's own report", async () => {
    const cells = CELLS.map((c) => path.join(dir, 'night-1', 'cells', c.replace('/', '_'), 'report.json'));
    const merged = await cli(['report', 'merge', ...cells, '--report-dir', path.join(dir, 'merged')]);
    expect(merged.exitCode).to.equal(0);
    const read = (d: string) => JSON.parse(readFileSync(path.join(dir, d, 'report.json'), 'utf8')) as RunReport;
    expect(read('merged')).to.deep.equal(read('night-1'));
  });

  it('night 2, nothing changed: the night is green and history diff says so (exit 0)', async () => {
    const { exitCode, stdout } = await night(2, true);
    expect([exitCode, stdout]).to.satisfy(
      ([c, o]: [number, string]) => c === 0 && o.startsWith('nothing changed since'),
    );
    const diff = await cli(['history', 'diff', '--history', path.join(dir, 'history')]);
    expect(diff.exitCode).to.equal(0);
    expect(diff.stdout).to.match(/^nothing changed since /);
    expect(await leftClusters(), '--keep leaves them up').to.deep.equal(clusters);
  });

  it('night 3, one expectation planted wrong: exactly that cell regresses on each version (exit 1)', async () => {
    const file = path.join(dir, 'scenarios', 'default-deny-ingress.yaml');
    const planted = readFileSync(file, 'utf8').replace(
      'shop/frontend         -             X        .',
      'shop/frontend         -             .        .',
    );
    expect(planted).not.to.equal(readFileSync(file, 'utf8'));
    writeFileSync(file, planted);
    const { exitCode } = await night(3, false);
    expect(exitCode).to.equal(1);
    const diff = await cli(['history', 'diff', '--history', path.join(dir, 'history'), '-o', 'json']);
    expect(diff.exitCode).to.equal(1);
    const regressions = (JSON.parse(diff.stdout) as { regressions: Array<{ cell: string; what: string }> }).regressions;
    expect(regressions.map((r) => [r.cell, r.what.split(' / ').at(-1)])).to.deep.equal(
      CELLS.map((c) => [c, 'shop/frontend -> shop/api 8080/TCP']),
    );
    // Reused clusters are left up, as `run` leaves them: the after hook deletes them.
    expect(await leftClusters(), 'reused clusters stay').to.deep.equal(clusters);
  });
});
