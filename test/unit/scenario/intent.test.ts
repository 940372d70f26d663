import { expect } from 'chai';
import { intentExpectations, loadIntent } from '../../../harness/scenario/intent.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';

const text = (body: string) => () => ({ text: body });
const HEAD = 'apiVersion: netpol-harness/v1alpha1\nkind: Intent\nmetadata: {name: shop}\n';
const classes = [
  { namespace: 'shop', name: 'frontend', labels: {}, ports: [{ port: 8080, protocol: 'TCP' as const, name: 'http' }] },
  { namespace: 'payments', name: 'api', labels: {}, ports: [{ port: 8443, protocol: 'TCP' as const }] },
];

describe('check --expect: the intent file', () => {
  it('an intent in the expect notation loads, with its name', () => {
    const { intent, diagnostics } = loadIntent(
      'intent.yaml',
      text(`${HEAD}expect:\n  rules:\n    - {from: shop/frontend, to: payments/api, allowed: false}\n`),
    );
    expect(diagnostics).to.deep.equal([]);
    expect(intent!.name).to.equal('shop');
  });
  it('a wrong kind, or an unknown field, is an error at its line, before any cluster is read', () => {
    const wrongKind = loadIntent(
      'intent.yaml',
      text('apiVersion: netpol-harness/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nexpect: {}\n'),
    );
    expect(wrongKind.intent).to.equal(undefined);
    expect(wrongKind.diagnostics.map(formatDiagnostic)).to.deep.equal([
      'intent.yaml:2:7: error: kind: must be Intent (got "Scenario")',
    ]);
    const typo = loadIntent('intent.yaml', text(`${HEAD}expect: {rulez: []}\n`));
    expect(typo.diagnostics.map(formatDiagnostic).join('\n')).to.match(/^intent\.yaml:4:10: error: .*rulez/);
  });
  it("against a context's classes: a peer naming no class there is an error at its line, with a hint", () => {
    const { intent } = loadIntent(
      'intent.yaml',
      text(`${HEAD}expect:\n  rules:\n    - {from: shop/frontned, to: payments/api, allowed: false}\n`),
    );
    const { expectations, diagnostics } = intentExpectations(intent!, 'prod', ['shop', 'payments'], classes);
    expect(expectations).to.equal(undefined);
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'intent.yaml:6:14: error: workload "shop/frontned" is not a workload class on prod ' +
        '(classes are named namespace/owner-name) (did you mean "shop/frontend"?)',
    ]);
  });
  it('a namespace not checked is named as such', () => {
    const { intent } = loadIntent(
      'intent.yaml',
      text(`${HEAD}expect:\n  rules:\n    - {from: shop/frontend, to: billing/api, allowed: false}\n`),
    );
    const { diagnostics } = intentExpectations(intent!, 'prod', ['shop', 'payments'], classes);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'namespace "billing" is not a namespace checked on prod (declared: shop, payments)',
    ]);
  });
});
