/**
 * `report merge`: per-cell reports merged equal one report over the same targets, divergences
 * included; reports that cannot stand side by side are refused with the reason.
 */
import { expect } from 'chai';
import { mergeReports, MergeError } from '../../../harness/model/merge-reports.js';
import { findDivergences, type RunReport } from '../../../harness/model/run-report.js';
import { night } from '../history/night-builder.js';

const CALICO = 'calico@v3.31.0/k8s@v1.34.4';
const CILIUM = 'cilium@v1.18.3/k8s@v1.34.4';

/** One report of two targets, as `run --cni calico,cilium` writes it. */
const whole: RunReport = (() => {
  const r = night({
    startedAt: '2026-11-30T02:00:00.000Z',
    cells: {
      [CALICO]: { probes: [{ to: 'x/b', verdict: 'pass' }] },
      [CILIUM]: { probes: [{ to: 'x/b', verdict: 'fail' }] },
    },
  });
  return { ...r, divergences: findDivergences(r.runs) };
})();

/** The same report cut into one report per target, as one CI job per cell writes them. */
function perCell(report: RunReport): RunReport[] {
  return report.targets.map((t) => {
    const runs = report.runs.filter((r) => r.target === t.name);
    return { ...report, targets: [t], runs, divergences: findDivergences(runs) };
  });
}

describe('merging reports', () => {
  it('the per-cell reports merged equal the report of one run over the same cells', () => {
    const cells = perCell(whole);
    expect(cells.every((c) => c.divergences.length === 0)).to.equal(true);
    expect(whole.divergences).to.have.length(1);
    expect(mergeReports(cells)).to.deep.equal(whole);
  });

  it('spans the earliest start to the latest end, and keeps every cleanup failure', () => {
    const [a, b] = perCell(whole);
    const later = { ...b!, startedAt: '2026-11-30T02:10:00.000Z', durationMs: 60_000, cleanupFailures: ['ns x: 409'] };
    const merged = mergeReports([a!, later]);
    expect(merged.startedAt).to.equal('2026-11-30T02:00:00.000Z');
    expect(merged.durationMs).to.equal(11 * 60_000);
    expect(merged.cleanupFailures).to.deep.equal(['ns x: 409']);
  });

  it('refuses the same target twice, and reports that judge slowness differently', () => {
    const [a, b] = perCell(whole);
    expect(() => mergeReports([a!, a!])).to.throw(MergeError, `target "${CALICO}" is in report 1 and report 2`);
    expect(() => mergeReports([a!, { ...b!, slowAfterMs: 9000 }])).to.throw(MergeError, '--slow-after');
    expect(() => mergeReports([])).to.throw(MergeError, 'no report');
  });
});
