/**
 * `history diff`: a night is red only when something that worked last night does not now. Fixes,
 * deviations that appear or vanish, and a CNI much slower to enforce are reported, never red.
 */
import { expect } from 'chai';
import { diffNights, hasRegressions } from '../../../harness/history/diff.js';
import { recordsFromReport } from '../../../harness/history/records.js';
import { night, type NightSpec } from './night-builder.js';

const CILIUM = 'cilium@v1.18.3/k8s@v1.34.4';
const CALICO = 'calico@v3.31.0/k8s@v1.34.4';

const diff = (before: NightSpec['cells'], after: NightSpec['cells']) =>
  diffNights(
    recordsFromReport(night({ startedAt: '2026-11-29T02:00:00Z', runId: 'n1', cells: before })),
    recordsFromReport(night({ startedAt: '2026-11-30T02:00:00Z', runId: 'n2', cells: after })),
  );

const same = {
  [CALICO]: { probes: [{ to: 'x/b', verdict: 'pass' as const }] },
  [CILIUM]: {
    probes: [
      { to: 'x/b', verdict: 'pass' as const },
      { to: 'x/c', verdict: 'deviation-accepted' as const, deviation: 'cilium/cilium#9209' },
    ],
  },
};

describe('history diff', () => {
  it('two identical nights: nothing changed, green', () => {
    const d = diff(same, same);
    expect(hasRegressions(d)).to.equal(false);
    expect([d.fixes, d.newDeviations, d.vanishedDeviations, d.slower, d.cellsAdded]).to.deep.equal([
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(d.before.run).to.equal('n1');
    expect(d.after.run).to.equal('n2');
  });

  it('a cell that passed and fails now is a regression', () => {
    const d = diff(same, { ...same, [CALICO]: { probes: [{ to: 'x/b', verdict: 'fail' }] } });
    expect(d.regressions).to.deep.equal([
      {
        cell: CALICO,
        what: 'upstream-case / initial / x/a -> x/b 80/TCP',
        before: 'pass (allowed)',
        after: 'fail (dropped)',
      },
    ]);
  });

  it('removing a known deviation that still applies turns its cell into a regression', () => {
    const d = diff(same, { ...same, [CILIUM]: { probes: [same[CILIUM].probes[0]!, { to: 'x/c', verdict: 'fail' }] } });
    expect(d.regressions.map((r) => [r.cell, r.before, r.after])).to.deep.equal([
      [CILIUM, 'deviation-accepted (allowed)', 'fail (dropped)'],
    ]);
  });

  it('a deviation that an upgrade fixed is reported as vanished, with the reason it had', () => {
    const d = diff(same, { ...same, [CILIUM]: { probes: [same[CILIUM].probes[0]!, { to: 'x/c', verdict: 'pass' }] } });
    expect(hasRegressions(d)).to.equal(false);
    expect(d.vanishedDeviations.map((c) => c.why)).to.deep.equal(['cilium/cilium#9209']);
  });

  it('a failing cell that passes now is a fix; a new deviation is news, not red', () => {
    const before = { [CALICO]: { probes: [{ to: 'x/b', verdict: 'fail' as const }] } };
    const after = { [CALICO]: { probes: [{ to: 'x/b', verdict: 'deviation-accepted' as const, deviation: 'r' }] } };
    const d = diff(before, after);
    expect(hasRegressions(d)).to.equal(false);
    expect(d.fixes).to.have.length(1);
  });

  it('a cluster that did not come up is a regression with its reason; a new matrix cell is not compared', () => {
    const d = diff(same, {
      [CALICO]: { error: 'kind create cluster: timed out' },
      [CILIUM]: same[CILIUM],
      'cilium@v1.18.3/k8s@v1.35.4': { probes: [{ to: 'x/b', verdict: 'fail' }] },
    });
    expect(d.regressions).to.deep.equal([
      { cell: CALICO, what: '', before: 'up', after: 'down', why: 'kind create cluster: timed out' },
    ]);
    expect(d.cellsAdded).to.deep.equal(['cilium@v1.18.3/k8s@v1.35.4']);
  });

  it("a cell's median time to converge is news when it grew threefold and by 2 s, not for small jitter", () => {
    const slow = diff({ [CALICO]: { settledAfterMs: 1500 } }, { [CALICO]: { settledAfterMs: 4600 } });
    expect(slow.slower.map((s) => [s.what, s.beforeMs, s.afterMs])).to.deep.equal([
      ['median time to converge (1 steps)', 1500, 4600],
      ['p90 time to converge (1 steps)', 1500, 4600],
    ]);
    expect(diff({ [CALICO]: { settledAfterMs: 300 } }, { [CALICO]: { settledAfterMs: 1200 } }).slower).to.deep.equal(
      [],
    );
    expect(hasRegressions(slow)).to.equal(false);
  });

  it('a probe that turned inconclusive is lost evidence, listed but not red', () => {
    const d = diff(same, { ...same, [CALICO]: { probes: [{ to: 'x/b', verdict: 'inconclusive' }] } });
    expect(hasRegressions(d)).to.equal(false);
    expect(d.newlyInconclusive).to.have.length(1);
  });
});
