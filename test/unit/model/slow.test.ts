import { expect } from 'chai';
import { countVerdicts } from '../../../harness/model/run-report.js';
import { isCorrectButSlow } from '../../../harness/model/slow.js';

describe('correct but slow: a cell that ended right, but late', () => {
  const settled = (verdict: Parameters<typeof isCorrectButSlow>[0]['verdict'], settledAfterMs: number) => ({
    verdict,
    settledAfterMs,
    settled: true,
  });

  it('a pass that settled 7 s after the change, with a 5 s threshold, is slow', () => {
    expect(isCorrectButSlow(settled('pass', 7000), 5000)).to.equal(true);
  });
  it('a pass that settled exactly at the threshold is not slow: slow means later than it', () => {
    expect(isCorrectButSlow(settled('pass', 5000), 5000)).to.equal(false);
    expect(isCorrectButSlow(settled('pass', 5001), 5000)).to.equal(true);
  });
  it('an accepted known deviation is correct too, so it can be slow', () => {
    expect(isCorrectButSlow(settled('deviation-accepted', 9000), 5000)).to.equal(true);
  });
  it('a failing cell is a fail however long it took, never "slow"', () => {
    expect(isCorrectButSlow(settled('fail', 12_000), 5000)).to.equal(false);
  });
  it('inconclusive and unasserted cells are not slow: nothing was shown correct', () => {
    expect(isCorrectButSlow(settled('inconclusive', 12_000), 5000)).to.equal(false);
    expect(isCorrectButSlow(settled('not-asserted', 12_000), 5000)).to.equal(false);
  });
  it('a cell that flapped or was still changing is not slow: its settle time means nothing', () => {
    expect(isCorrectButSlow({ verdict: 'deviation-accepted', settledAfterMs: 9000, settled: false }, 5000)).to.equal(
      false,
    );
  });
  it('slow cells are counted apart, and still count as passing', () => {
    const n = countVerdicts([
      { verdict: 'pass', slow: true },
      { verdict: 'pass', slow: false },
      { verdict: 'deviation-accepted', slow: true },
      { verdict: 'fail' },
    ]);
    expect(n).to.include({ pass: 2, 'deviation-accepted': 1, fail: 1, slow: 2 });
  });
});
