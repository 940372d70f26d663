import { expect } from 'chai';
import { compareContexts, environmentDiff, renamed } from '../../../harness/inventory/parity.js';
import { labelText, specDigest } from '../../../harness/inventory/environment-rows.js';
import type {
  CheckContextReport,
  CheckEvidence,
  CheckReportCell,
  EnvironmentRow,
} from '../../../harness/model/check-report.js';

const cell = (
  from: string,
  to: string,
  port: number,
  evidence: CheckEvidence,
  predicted = evidence,
): CheckReportCell => ({
  from,
  to,
  port: { port, protocol: 'TCP' },
  predicted: predicted === 'allowed' ? 'allowed' : 'blocked',
  evidence,
  outcome: evidence === 'allowed' ? 'allowed' : 'dropped',
  detail: '',
  verdict: 'pass',
});

const context = (name: string, cells: CheckReportCell[], environment: EnvironmentRow[]): CheckContextReport => ({
  context: name,
  namespaces: ['shop', 'payments'],
  classes: [],
  cells,
  environment,
  notProbed: [],
  notes: [],
  cleanupErrors: [],
  stable: true,
});

const common: EnvironmentRow[] = [
  { attribute: 'kubernetes version', value: 'v1.34.4' },
  { attribute: 'cni', value: 'calico v3.31.0' },
];

describe('parity between contexts', () => {
  it('no divergence when every cell is observed the same; the environment rows all agree', () => {
    const cells = [cell('shop/frontend', 'shop/backend', 8080, 'allowed')];
    const p = compareContexts([context('staging', cells, common), context('production', cells, common)]);
    expect(p.divergences).to.deep.equal([]);
    expect(p.environment.every((r) => !r.differs)).to.equal(true);
  });

  it('a policy present in one context only: the cell diverges, the engine predicts differently, the policy is named', () => {
    const staging = context(
      'staging',
      [cell('shop/frontend', 'payments/api', 8443, 'allowed'), cell('shop/frontend', 'shop/backend', 8080, 'allowed')],
      common,
    );
    const production = context(
      'production',
      [cell('shop/frontend', 'payments/api', 8443, 'blocked'), cell('shop/frontend', 'shop/backend', 8080, 'allowed')],
      [...common, { attribute: 'NetworkPolicy payments/deny-all', value: 'spec 1a2b3c4d', namespace: 'payments' }],
    );
    const p = compareContexts([staging, production]);
    expect(p.divergences).to.have.length(1);
    const [d] = p.divergences;
    expect(d!.observed).to.deep.equal({ staging: 'allowed', production: 'blocked' });
    expect(d!.causes).to.deep.equal([
      'the engine predicts differently: the objects differ',
      'NetworkPolicy payments/deny-all: - in staging, spec 1a2b3c4d in production',
    ]);
  });

  it('a namespace label that differs is a cause only for cells with an end in that namespace', () => {
    const label = (value: string): EnvironmentRow => ({
      attribute: 'namespace shop labels',
      value,
      namespace: 'shop',
    });
    const a = context('a', [cell('shop/backend', 'payments/api', 8443, 'allowed')], [...common, label('team=shop')]);
    const b = context('b', [cell('shop/backend', 'payments/api', 8443, 'blocked')], [...common, label('team=web')]);
    const [d] = compareContexts([a, b]).divergences;
    expect(d!.causes).to.include('namespace shop labels: team=shop in a, team=web in b');
    const c = context('a', [cell('payments/api', 'payments/api', 8443, 'allowed')], [...common, label('team=shop')]);
    const e = context('b', [cell('payments/api', 'payments/api', 8443, 'blocked')], [...common, label('team=web')]);
    const [other] = compareContexts([c, e]).divergences;
    expect(other!.causes.join('\n')).to.not.include('namespace shop labels');
  });

  it('same prediction, different observation: the clusters enforce differently, cluster-wide rows are named', () => {
    const a = context('a', [cell('shop/frontend', 'shop/backend', 8080, 'blocked')], common);
    const b = context(
      'b',
      [cell('shop/frontend', 'shop/backend', 8080, 'allowed', 'blocked')],
      [
        { attribute: 'kubernetes version', value: 'v1.34.4' },
        { attribute: 'cni', value: 'cilium 1.18.3' },
      ],
    );
    const [d] = compareContexts([a, b]).divergences;
    expect(d!.causes).to.deep.equal([
      'the engine predicts the same: the clusters enforce differently',
      'cni: calico v3.31.0 in a, cilium 1.18.3 in b',
    ]);
  });

  it('a cluster-wide policy that may apply to one end is named for that cell', () => {
    const gnp: EnvironmentRow = {
      attribute: 'GlobalNetworkPolicy deny-payments',
      value: 'present (may apply)',
      classes: ['payments/api'],
    };
    const a = context('a', [cell('shop/backend', 'payments/api', 8443, 'allowed')], common);
    const b = context('b', [cell('shop/backend', 'payments/api', 8443, 'blocked', 'allowed')], [...common, gnp]);
    const [d] = compareContexts([a, b]).divergences;
    expect(d!.causes).to.include('GlobalNetworkPolicy deny-payments: - in a, present (may apply) in b');
  });

  it('a class in one context only diverges as absent, and a probe that gave no evidence is said', () => {
    const a = context('a', [cell('shop/frontend', 'shop/cart', 8080, 'allowed')], common);
    const b = context('b', [], common);
    const [d] = compareContexts([a, b]).divergences;
    expect(d!.observed).to.deep.equal({ a: 'allowed', b: '-' });
    expect(d!.causes[0]).to.equal('a class exists in one context only');
    const c = context('c', [cell('shop/frontend', 'shop/cart', 8080, 'error')], common);
    const [e] = compareContexts([a, c]).divergences;
    expect(e!.causes).to.include('in c the probe gave no evidence (error)');
  });

  it("a Service cell's far end is the classes behind it: a policy selecting one of them is its cause", () => {
    const svc = (evidence: CheckEvidence): CheckReportCell => ({
      ...cell('shop/frontend', 'svc:payments/api', 443, evidence),
      service: { name: 'payments/api', address: 'cluster-ip', host: '10.96.30.7', backends: ['payments/api 8443/TCP'] },
    });
    const policy: EnvironmentRow = {
      attribute: 'NetworkPolicy payments/deny-all',
      value: 'spec 1a2b3c4d',
      namespace: 'payments',
      classes: ['payments/api'],
    };
    const a = context('a', [svc('allowed')], common);
    const b = context('b', [{ ...svc('blocked'), predicted: 'blocked' }], [...common, policy]);
    const [d] = compareContexts([a, b]).divergences;
    expect(d!.to).to.equal('svc:payments/api');
    expect(d!.causes).to.include('NetworkPolicy payments/deny-all: - in a, spec 1a2b3c4d in b');
  });

  it('a class map renames a Service cell by its namespace, and the classes behind it', () => {
    const c: CheckReportCell = {
      ...cell('shop/frontend', 'svc-dns:pay/api', 443, 'allowed'),
      service: {
        name: 'pay/api',
        address: 'dns-name',
        host: 'api.pay.svc.cluster.local.',
        backends: ['pay/api 8443/TCP'],
      },
    };
    const out = renamed(context('a', [c], common), {
      classKey: (k) => k.replace(/^pay\//, 'payments/'),
      namespace: (n) => (n === 'pay' ? 'payments' : n),
    });
    expect(out.cells[0]!.to).to.equal('svc-dns:payments/api');
    expect(out.cells[0]!.service).to.deep.include({ name: 'payments/api', backends: ['payments/api 8443/TCP'] });
  });

  it('the environment diff lists every attribute of any context, differing rows first, `-` where absent', () => {
    const rows = environmentDiff([
      context('a', [], [...common, { attribute: 'NetworkPolicy shop/x', value: 'spec 1' }]),
      context('b', [], common),
    ]);
    expect(rows.map((r) => [r.attribute, r.values, r.differs])).to.deep.equal([
      ['NetworkPolicy shop/x', { a: 'spec 1', b: '-' }, true],
      ['kubernetes version', { a: 'v1.34.4', b: 'v1.34.4' }, false],
      ['cni', { a: 'calico v3.31.0', b: 'calico v3.31.0' }, false],
    ]);
  });
});

describe('environment rows', () => {
  it('label text is sorted key=value, (none) when empty', () => {
    expect(labelText({ team: 'shop', env: 'prod' })).to.equal('env=prod, team=shop');
    expect(labelText({})).to.equal('(none)');
  });
  it('a spec digest ignores key order and tells different specs apart', () => {
    const a = { spec: { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress' as const] } };
    const b = { spec: { policyTypes: ['Ingress' as const], podSelector: { matchLabels: { app: 'x' } } } };
    const c = { spec: { podSelector: { matchLabels: { app: 'y' } }, policyTypes: ['Ingress' as const] } };
    expect(specDigest(a))
      .to.equal(specDigest(b))
      .and.match(/^[0-9a-f]{8}$/);
    expect(specDigest(c)).to.not.equal(specDigest(a));
  });

  it('a policy row names the classes it selects: it is a cause only for cells with one of them at an end', () => {
    const policy: EnvironmentRow = {
      attribute: 'NetworkPolicy shop/redis-from-frontend',
      value: 'spec 1',
      namespace: 'shop',
      classes: ['shop/redis'],
    };
    const a = context(
      'a',
      [cell('shop/frontend', 'shop/redis', 6379, 'blocked'), cell('shop/frontend', 'shop/api', 80, 'allowed')],
      common,
    );
    const b = context(
      'b',
      [cell('shop/frontend', 'shop/redis', 6379, 'allowed'), cell('shop/frontend', 'shop/api', 80, 'blocked')],
      [...common, policy],
    );
    const [toRedis, toApi] = compareContexts([a, b]).divergences;
    expect(toRedis!.causes).to.include('NetworkPolicy shop/redis-from-frontend: - in a, spec 1 in b');
    expect(toApi!.causes).to.deep.equal([
      'the engine predicts differently: the objects differ',
      'no row about either end differs: see the environment table',
    ]);
  });
});
