import { expect } from 'chai';
import { loadClassMap, mappedKey } from '../../../harness/scenario/class-map.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { compareContexts, renamed } from '../../../harness/inventory/parity.js';
import type { CheckContextReport, CheckReportCell } from '../../../harness/model/check-report.js';

const text = (body: string) => () => ({ text: body });
const HEAD = 'apiVersion: netpol-harness/v1alpha1\nkind: ClassMap\n';

const cell = (from: string, to: string): CheckReportCell => ({
  from,
  to,
  port: { port: 8080, protocol: 'TCP' },
  predicted: 'allowed',
  evidence: 'allowed',
  outcome: 'allowed',
  detail: '',
  verdict: 'pass',
});
const context = (name: string, ns: string, frontend: string): CheckContextReport => ({
  context: name,
  namespaces: [ns],
  classes: [],
  cells: [cell(`${ns}/${frontend}`, `${ns}/backend`)],
  environment: [
    { attribute: `namespace ${ns} labels`, value: 'team=shop', namespace: ns },
    { attribute: `NetworkPolicy ${ns}/allow`, value: 'spec 1', namespace: ns, classes: [`${ns}/backend`] },
    {
      attribute: `class ${ns}/${frontend} labels`,
      value: 'app=frontend',
      namespace: ns,
      classes: [`${ns}/${frontend}`],
    },
  ],
  notProbed: [],
  notes: [],
  cleanupErrors: [],
  stable: true,
});

describe('check --map: classes named differently across contexts', () => {
  it('maps namespaces, then whole class keys (a class entry wins)', () => {
    const m = { namespaces: { 'shop-prod': 'shop' }, classes: { 'shop-prod/frontend-v2': 'shop/frontend' } };
    expect(mappedKey(m, 'shop-prod/frontend-v2')).to.equal('shop/frontend');
    expect(mappedKey(m, 'shop-prod/backend')).to.equal('shop/backend');
    expect(mappedKey(m, 'payments/api')).to.equal('payments/api');
    expect(mappedKey(undefined, 'shop/x')).to.equal('shop/x');
  });
  it('with the map, production in shop-prod with frontend-v2 lines up with staging: no divergence, no differing row', () => {
    const production = context('production', 'shop-prod', 'frontend-v2');
    const staging = context('staging', 'shop', 'frontend');
    expect(compareContexts([staging, production]).divergences).to.have.length(2); // unmapped: each absent in the other
    const mapped = renamed(production, {
      classKey: (k) =>
        mappedKey({ namespaces: { 'shop-prod': 'shop' }, classes: { 'shop-prod/frontend-v2': 'shop/frontend' } }, k),
      namespace: (n) => (n === 'shop-prod' ? 'shop' : n),
    });
    const parity = compareContexts([staging, mapped]);
    expect(parity.divergences).to.deep.equal([]);
    expect(parity.environment.filter((r) => r.differs)).to.deep.equal([]);
  });
  it('a class map file loads; a key that is not namespace/name is an error at its line', () => {
    const ok = loadClassMap('map.yaml', text(`${HEAD}contexts:\n  production:\n    namespaces: {shop-prod: shop}\n`));
    expect(ok.map!.contexts['production']).to.deep.equal({ namespaces: { 'shop-prod': 'shop' }, classes: {} });
    const bad = loadClassMap(
      'map.yaml',
      text(`${HEAD}contexts:\n  production:\n    classes: {frontend: shop/frontend}\n`),
    );
    expect(bad.map).to.equal(undefined);
    expect(bad.diagnostics.map(formatDiagnostic).join('\n')).to.match(/^map\.yaml:5:15: error: /);
  });
});
