/**
 * `matrix` refuses what it cannot run before any cluster exists: a bad matrix file at file:line,
 * a cell it does not have, a CNI or Kubernetes version the kit does not build. Exit 3, no stack.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../harness/cli.js';
import { kitCniVersions, loadClusterVersions } from '../../harness/cluster/versions.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const matrix = (cni: string, kubernetes: string) => `apiVersion: netpol-harness/v1alpha1
kind: Matrix
metadata: {name: planted}
spec:
  cni: [${cni}]
  kubernetes: [${kubernetes}]
  scenarios: [${path.resolve('scenarios/01-default-deny-ingress.yaml')}]
`;

describe('matrix, before any cluster', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'nph-matrix-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const file = path.join(dir, 'matrix.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('--list prints the shipped matrix cells as a JSON array, for a CI job matrix', async () => {
    const r = await cli('matrix', '--list');
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out)).to.deep.equal([
      'calico@v3.31.0/k8s@v1.34.4',
      'calico@v3.31.0/k8s@v1.35.4',
      'cilium@v1.18.3/k8s@v1.34.4',
      'cilium@v1.18.3/k8s@v1.35.4',
      'cilium@v1.18.2/k8s@v1.34.4',
      'cilium@v1.18.2/k8s@v1.35.4',
    ]);
  });

  it('refuses an unknown --cell, listing the cells there are', async () => {
    const r = await cli('matrix', '--cell', 'calico@v3.31.0/k8s@v1.99.0');
    expect(r.code).to.equal(3);
    expect(r.err).to.include(
      '--cell: no cell calico@v3.31.0/k8s@v1.99.0 in the matrix (cells: calico@v3.31.0/k8s@v1.34.4',
    );
  });

  it('refuses a CNI version the kit does not build, and a Kubernetes version it does not list', async () => {
    const calico = await cli('matrix', '--matrix', write(matrix('calico@v3.30.0', 'v1.34.4')));
    expect([calico.code, calico.err]).to.deep.equal([
      3,
      'error: cell calico@v3.30.0/k8s@v1.34.4: the kit builds calico v3.31.0, not v3.30.0 (clusters/versions.yaml)',
    ]);
    const k8s = await cli('matrix', '--matrix', write(matrix('calico@v3.31.0', 'v1.20.0')));
    expect(k8s.code).to.equal(3);
    expect(k8s.err).to.match(/the kit builds Kubernetes v1\.34\.4, .*not v1\.20\.0/);
  });

  it('takes every Cilium version the kit builds, and lists them all when a cell asks for another', async () => {
    const cilium = kitCniVersions(loadClusterVersions())['cilium'] ?? [];
    expect(cilium.length).to.be.greaterThan(1);
    // The extra version's cells pass the check; the refusal is the Calico cell after them.
    const both = await cli('matrix', '--matrix', write(matrix(`cilium@${cilium[1]}, calico@v3.30.0`, 'v1.34.4')));
    expect([both.code, both.err]).to.deep.equal([
      3,
      'error: cell calico@v3.30.0/k8s@v1.34.4: the kit builds calico v3.31.0, not v3.30.0 (clusters/versions.yaml)',
    ]);
    const unknown = await cli('matrix', '--matrix', write(matrix('cilium@v1.17.9', 'v1.34.4')));
    expect([unknown.code, unknown.err]).to.deep.equal([
      3,
      `error: cell cilium@v1.17.9/k8s@v1.34.4: the kit builds cilium ${cilium.join(', ')}, not v1.17.9 ` +
        '(clusters/versions.yaml)',
    ]);
  });

  it('a skipped cell runs nothing and is not a failure', async () => {
    const file = write(
      matrix('calico@v3.31.0', 'v1.34.4') +
        '  cells:\n    - match: {cni: calico}\n      skip: "planted: not tonight"\n',
    );
    const r = await cli('matrix', '--matrix', file, '--report-dir', path.join(dir, 'out'), '--no-history');
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.include('[calico@v3.31.0/k8s@v1.34.4] skipped: planted: not tonight');
    expect(r.err).to.include('every selected cell is skipped: nothing ran');
    expect((await cli('matrix', '--matrix', file, '--list')).out).to.equal('[]');
  });

  it('refuses a bad matrix file at file:line:col', async () => {
    const r = await cli('matrix', '--matrix', write(matrix('flannel', 'v1.34.4')));
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/matrix\.yaml:5:9: error: spec\.cni\[0\]: must be name@version/);
    expect(r.err).not.to.include('    at ');
  });
});
