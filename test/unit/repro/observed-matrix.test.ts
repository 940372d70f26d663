import { expect } from 'chai';
import type { CheckContextReport, CheckReportCell } from '../../../harness/model/check-report.js';
import { observedMatrix } from '../../../harness/repro/observed-matrix.js';

const cell = (from: string, to: string, port: number, evidence: CheckReportCell['evidence']): CheckReportCell => ({
  from,
  to,
  port: { port, protocol: 'TCP' },
  predicted: 'allowed',
  evidence,
  outcome: 'allowed',
  detail: '',
  verdict: 'pass',
});

const report = (cells: CheckReportCell[]): CheckContextReport => ({
  context: 'prod',
  namespaces: ['shop'],
  classes: [],
  cells,
  environment: [],
  notProbed: [],
  notes: [],
  cleanupErrors: [],
  stable: true,
});

describe('what check observed, as the expectation tables of a snapshot', () => {
  const names: Record<string, string> = { 'shop/web': 'shop/web', 'shop/api': 'shop/api', 'shop/web~2': 'shop/web-2' };

  it('one table per port: `.` seen, `X` silence, `-` nothing proven or a cell to itself', () => {
    const { tables, asserted, skipped } = observedMatrix(
      report([
        cell('shop/web', 'shop/api', 8080, 'allowed'),
        cell('shop/web~2', 'shop/api', 8080, 'blocked'),
        cell('shop/api', 'shop/api', 8080, 'allowed'),
        cell('shop/api', 'shop/web', 80, 'ambiguous'),
        cell('shop/web~2', 'shop/web', 80, 'allowed'),
      ]),
      (k) => names[k],
    );
    expect(tables).to.deep.equal([
      { via: 'pod', port: 80, protocol: 'TCP', table: 'from\\to     shop/web\nshop/api    -\nshop/web-2  .' },
      {
        via: 'pod',
        port: 8080,
        protocol: 'TCP',
        table: 'from\\to     shop/api\nshop/web    .\nshop/web-2  X\nshop/api    -',
      },
    ]);
    expect(asserted).to.equal(3);
    expect(skipped).to.deep.equal(['1 observed cell(s) ambiguous: nothing to assert']);
  });

  const viaService = (from: string, address: 'cluster-ip' | 'dns-name', evidence: CheckReportCell['evidence']) => ({
    ...cell(from, `${address === 'cluster-ip' ? 'svc' : 'svc-dns'}:shop/api`, 80, evidence),
    service: { name: 'shop/api', address, host: '10.96.0.9', backends: ['shop/api 8080/TCP'] },
  });

  it('a Service the scenario carries: its cells in tables of their own path, keyed by the port behind it', () => {
    const { tables, asserted } = observedMatrix(
      report([
        cell('shop/web', 'shop/api', 8080, 'allowed'),
        viaService('shop/web', 'cluster-ip', 'allowed'),
        viaService('shop/web~2', 'cluster-ip', 'blocked'),
        viaService('shop/web', 'dns-name', 'allowed'),
        viaService('shop/api', 'dns-name', 'allowed'),
      ]),
      (k) => names[k],
      (service) => (service === 'shop/api' ? 'shop/api' : undefined),
    );
    expect(tables).to.deep.equal([
      { via: 'pod', port: 8080, protocol: 'TCP', table: 'from\\to   shop/api\nshop/web  .' },
      { via: 'service', port: 8080, protocol: 'TCP', table: 'from\\to     shop/api\nshop/web    .\nshop/web-2  X' },
      { via: 'dns', port: 8080, protocol: 'TCP', table: 'from\\to   shop/api\nshop/web  .\nshop/api  -' },
    ]);
    expect(asserted).to.equal(4);
  });

  it('cells through a Service, or to a class the scenario does not carry, are counted, not asserted', () => {
    const { tables, skipped } = observedMatrix(
      report([
        viaService('shop/web', 'cluster-ip', 'allowed'),
        cell('shop/web', 'monitoring/node-exporter', 9100, 'blocked'),
      ]),
      (k) => names[k],
    );
    expect(tables).to.deep.equal([]);
    expect(skipped).to.deep.equal([
      '1 observed cell(s) through a Service the scenario does not carry',
      '1 observed cell(s) to or from a class the scenario does not carry',
    ]);
  });
});
