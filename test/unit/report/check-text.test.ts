import { expect } from 'chai';
import { checkCell } from '../../support/check-cell.js';
import { checkExitCode } from '../../../harness/commands/check.js';
import type { CheckContextReport, CheckReport } from '../../../harness/model/check-report.js';
import { renderCheckText } from '../../../harness/report/check-text.js';
import { compareContexts } from '../../../harness/inventory/parity.js';
import { checkReportErrors } from '../../support/check-report-schema.js';

const cell = checkCell;

const ctx = (over: Partial<CheckContextReport> = {}): CheckContextReport => ({
  context: 'production',
  namespaces: ['shop'],
  classes: [],
  cells: [cell({})],
  environment: [
    { attribute: 'cni', value: 'calico v3.31.0' },
    { attribute: 'kubernetes version', value: 'v1.34.4' },
  ],
  notProbed: [],
  notes: [],
  cleanupErrors: [],
  stable: true,
  ...over,
});

const report = (...contexts: CheckContextReport[]): CheckReport => ({
  schemaVersion: 1,
  runId: 'k3x9q2',
  startedAt: '',
  finishedAt: '',
  dryRun: false,
  contexts,
});

describe('check console report', () => {
  it('one matrix per port in run notation, and the counts', () => {
    const text = renderCheckText(
      report(
        ctx({
          cells: [
            cell({}),
            cell({ from: 'shop/redis', predicted: 'blocked', evidence: 'blocked', outcome: 'dropped' }),
            cell({ from: 'shop/cart', predicted: 'blocked', verdict: 'fail' }),
          ],
        }),
      ),
    );
    expect(text).to.include(
      'port 8080/TCP\nfrom\\to       shop/backend\nshop/frontend .\nshop/redis    X\nshop/cart     .!',
    );
    expect(text).to.include(
      'cells that did not pass:\n  shop/cart -> shop/backend (backend-1 10.0.0.2) 8080/TCP http: ' +
        'predicted blocked, observed allowed [fail]: OK',
    );
    expect(text).to.include('3 cells: 2 pass, 1 fail, 0 inconclusive, 0 not judged');
    expect(text).to.include('CNI calico v3.31.0; Kubernetes v1.34.4');
  });
  it('with every replica probed, columns name the pod', () => {
    const text = renderCheckText(report(ctx({ cells: [cell({}), cell({ pod: 'backend-2' })] })));
    expect(text).to.include('shop/backend(backend-1) shop/backend(backend-2)');
  });
});

describe('check exit codes', () => {
  it('0 when every cell passes or cannot decide by nature (ambiguous, unverifiable, not judged)', () => {
    const cells = [
      cell({}),
      cell({ evidence: 'ambiguous', verdict: 'inconclusive' }),
      cell({ evidence: 'unverifiable', verdict: 'inconclusive' }),
      cell({ verdict: 'not judged' }),
    ];
    expect(checkExitCode(report(ctx({ cells })))).to.equal(0);
  });
  it('1 on any contradicted cell, in any context', () => {
    expect(checkExitCode(report(ctx(), ctx({ cells: [cell({ verdict: 'fail' })] })))).to.equal(1);
  });
  it('2 when the check could not tell: a probe error, a probe pod that failed, an unsettled matrix, a leftover', () => {
    expect(checkExitCode(report(ctx({ cells: [cell({ evidence: 'error', verdict: 'inconclusive' })] })))).to.equal(2);
    expect(checkExitCode(report(ctx({ notProbed: [{ source: 'shop/x', reason: 'PSA', failed: true }] })))).to.equal(2);
    expect(checkExitCode(report(ctx({ notProbed: [{ source: 'shop/x', reason: 'host', failed: false }] })))).to.equal(
      0,
    );
    expect(checkExitCode(report(ctx({ stable: false })))).to.equal(2);
    expect(checkExitCode(report(ctx({ cleanupErrors: ['Pod shop/p: 500'] })))).to.equal(2);
  });
});

describe('check report JSON schema (schema/check-report.schema.json)', () => {
  it('a parity report of two contexts, with every optional field, validates', () => {
    const a = ctx({
      environment: [{ attribute: 'namespace shop labels', value: 'team=shop', namespace: 'shop', classes: ['shop/x'] }],
      notProbed: [{ source: 'shop/x', reason: 'host network', failed: false }],
      cells: [cell({ governedBy: ['GlobalNetworkPolicy deny'], verdict: 'not judged' })],
    });
    const b = ctx({ context: 'staging', cells: [cell({ evidence: 'blocked', outcome: 'dropped', verdict: 'fail' })] });
    const value = {
      ...report(a, b),
      startedAt: '2026-11-30T12:00:00.000Z',
      finishedAt: '2026-11-30T12:01:00.000Z',
      parity: compareContexts([a, b]),
      machine: { cpus: 2, loadAverage: { start: 1.5, end: 2 } },
    };
    expect(checkReportErrors(JSON.parse(JSON.stringify(value)))).to.deep.equal([]);
  });
  it('a wrong shape does not: an unknown evidence, a class key without its namespace', () => {
    const bad = {
      ...report(ctx({ cells: [{ ...cell({}), evidence: 'maybe' as never }] })),
      startedAt: '2026-11-30T12:00:00Z',
      finishedAt: '2026-11-30T12:00:00Z',
    };
    expect(checkReportErrors(bad).join('\n')).to.include('/contexts/0/cells/0/evidence must be equal to one of');
    const noNs = { ...bad, contexts: [ctx({ cells: [cell({ from: 'frontend' })] })] };
    expect(checkReportErrors(noNs).join('\n')).to.include('/contexts/0/cells/0/from must match pattern');
  });
});
