/**
 * The matrix file: the CNI x Kubernetes product, per-cell settings and skips, paths relative to the
 * file, and every mistake at file:line:col.
 */
import { expect } from 'chai';
import path from 'node:path';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadMatrix } from '../../../harness/scenario/matrix-file.js';

const load = (text: string) => loadMatrix('ci/matrix.yaml', () => ({ text }));

const HEAD = `apiVersion: netpol-harness/v1alpha1
kind: Matrix
metadata: {name: nightly}
spec:
`;

describe('the matrix file', () => {
  it('the shipped clusters/matrix.yaml is valid: Calico and Cilium on two Kubernetes minors', () => {
    const { plan, diagnostics } = loadMatrix('clusters/matrix.yaml');
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
    expect(plan!.cells.map((c) => c.id)).to.deep.equal([
      'calico@v3.31.0/k8s@v1.34.4',
      'calico@v3.31.0/k8s@v1.35.4',
      'cilium@v1.18.3/k8s@v1.34.4',
      'cilium@v1.18.3/k8s@v1.35.4',
      'cilium@v1.18.2/k8s@v1.34.4',
      'cilium@v1.18.2/k8s@v1.35.4',
    ]);
    expect(plan!.scenarios).to.deep.equal(['scenarios/', path.join('test', 'fixtures', 'upstream/')]);
  });

  it('applies the first matching override: settings over the shared ones, and skips with their reason', () => {
    const { plan, diagnostics } = load(
      HEAD +
        `  cni: [calico@v3.31.0, cilium@v1.18.3]
  kubernetes: [v1.34.4, v1.35.4]
  scenarios: [../scenarios, /srv/corpus]
  history: ../history
  settings: {convergeTimeout: 20, connectTimeout: 2}
  cells:
    - match: {cni: cilium@v1.18.3, kubernetes: v1.35.4}
      skip: "cilium/cilium#99999: agent does not start on 1.35"
    - match: {cni: cilium}
      settings: {convergeTimeout: 60}
`,
    );
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
    const byId = new Map(plan!.cells.map((c) => [c.id, c]));
    expect(byId.get('calico@v3.31.0/k8s@v1.34.4')!.settings).to.deep.equal({ convergeTimeout: 20, connectTimeout: 2 });
    expect(byId.get('cilium@v1.18.3/k8s@v1.34.4')!.settings).to.deep.equal({ convergeTimeout: 60, connectTimeout: 2 });
    expect(byId.get('cilium@v1.18.3/k8s@v1.35.4')!.skip).to.equal('cilium/cilium#99999: agent does not start on 1.35');
    expect(plan!.scenarios).to.deep.equal(['scenarios', '/srv/corpus']);
    expect(plan!.history).to.equal('history');
  });

  it('refuses a CNI without a version and a malformed Kubernetes version, at the value', () => {
    const { diagnostics } = load(HEAD + `  cni: [calico]\n  kubernetes: [1.34]\n  scenarios: [s]\n`);
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'ci/matrix.yaml:5:9: error: spec.cni[0]: must be name@version, e.g. calico@v3.31.0 (got "calico")',
      'ci/matrix.yaml:6:16: error: spec.kubernetes[0]: must be a Kubernetes version like v1.34.4 (got 1.34)',
    ]);
  });

  it('refuses an override that matches no cell, naming the cells there are', () => {
    const { plan, diagnostics } = load(
      HEAD +
        `  cni: [calico@v3.31.0]\n  kubernetes: [v1.34.4]\n  scenarios: [s]\n  cells:\n    - match: {cni: cilium}\n`,
    );
    expect(plan).to.equal(undefined);
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'ci/matrix.yaml:9:14: error: matches no cell that an earlier entry has not taken (cells: calico@v3.31.0/k8s@v1.34.4)',
    ]);
  });
});
