import { expect } from 'chai';
import { ConvergenceTracker } from '../../../harness/model/convergence.js';

describe('convergence after a change', () => {
  it('is stable once the last K rounds agree on every cell (refused and dropped are both blocked)', () => {
    const t = new ConvergenceTracker(2, 2);
    t.addRound(['allowed', 'allowed'], 300);
    expect(t.isStable()).to.equal(false);
    t.addRound(['dropped', 'allowed'], 900);
    expect(t.isStable()).to.equal(false);
    t.addRound(['refused', 'allowed'], 1500);
    expect(t.isStable()).to.equal(true);
  });
  it('records when each cell reached its final state', () => {
    const t = new ConvergenceTracker(2, 2);
    t.addRound(['allowed', 'allowed'], 300);
    t.addRound(['dropped', 'allowed'], 900);
    t.addRound(['dropped', 'allowed'], 1500);
    const s = t.summary();
    expect(s.cellSettledAfterMs).to.deep.equal([900, 0]);
    expect(s.settledAfterMs).to.equal(900);
    expect(s.rounds).to.equal(3);
  });
  it('finds flapping cells: back to an earlier state', () => {
    const t = new ConvergenceTracker(2, 2);
    t.addRound(['allowed', 'allowed'], 1);
    t.addRound(['dropped', 'dropped'], 2);
    t.addRound(['allowed', 'dropped'], 3);
    expect(t.summary().flapping).to.deep.equal([0]);
  });
  it('a round where the probe could not tell (error) is a gap, not a change: allowed, error, allowed is settled', () => {
    const t = new ConvergenceTracker(4, 2);
    t.addRound(['allowed', 'allowed', 'error', 'error'], 0);
    t.addRound(['error', 'dropped', 'error', 'error'], 1000);
    t.addRound(['allowed', 'error', 'error', 'allowed'], 2000);
    t.addRound(['allowed', 'allowed', 'error', 'allowed'], 3000);
    const s = t.summary();
    // cell 0: allowed, gap, allowed, allowed: neither flapping nor unsettled, settled from the start.
    // cell 1: allowed, blocked, gap, allowed: back to an earlier class: flapping.
    // cell 2: never told anything: not unsettled (its error is the verdict).
    // cell 3: told only from round 3 on, twice alike: settled at 2 s.
    expect(s.flapping).to.deep.equal([1]);
    expect(s.unsettled).to.deep.equal([1]);
    expect(s.cellSettledAfterMs).to.deep.equal([0, 3000, 0, 2000]);
  });
  it('one conclusive round after gaps is not enough to call a cell settled', () => {
    const t = new ConvergenceTracker(1, 2);
    t.addRound(['error'], 0);
    t.addRound(['error'], 1000);
    t.addRound(['allowed'], 2000);
    expect(t.summary().unsettled).to.deep.equal([0]);
  });
  it('keeps, for each unsettled or flapping cell only, its class at each change and when', () => {
    const t = new ConvergenceTracker(2, 2);
    t.addRound(['allowed', 'allowed'], 0);
    t.addRound(['dropped', 'allowed'], 1200);
    t.addRound(['allowed', 'allowed'], 2400);
    t.addRound(['allowed', 'allowed'], 3600);
    expect([...t.summary().transitions]).to.deep.equal([
      [0, 'allowed at 0 ms, blocked at 1.2 s, allowed at 2.4 s (4 rounds)'],
    ]);
  });
  it('a flapping cell that then answered in each of the last K rounds is settled: an answer is evidence', () => {
    const t = new ConvergenceTracker(3, 2);
    // cell 0: open, a timeout, open, open: held open, settled at 2.4 s.
    // cell 1: closed, open, closed, closed: a transient opening; silence proves nothing: unsettled.
    // cell 2: open, closed, open, then silent: unsettled.
    t.addRound(['allowed', 'dropped', 'allowed'], 0);
    t.addRound(['dropped', 'allowed', 'dropped'], 1200);
    t.addRound(['allowed', 'dropped', 'allowed'], 2400);
    t.addRound(['allowed', 'dropped', 'dropped'], 3600);
    const s = t.summary();
    expect(s.flapping).to.deep.equal([0, 1, 2]);
    expect(s.unsettled).to.deep.equal([1, 2]);
    expect(s.cellSettledAfterMs[0]).to.equal(2400);
  });
  it('compares the latest round to the prediction, on the cells asked about', () => {
    const t = new ConvergenceTracker(3, 2);
    t.addRound(['allowed', 'dropped', 'error'], 1);
    expect(t.latestMatches(['allowed', 'blocked', 'allowed'])).to.equal(false);
    expect(t.latestMatches(['allowed', 'blocked', 'allowed'], (i) => i < 2)).to.equal(true);
  });
});

describe('unsettled cells', () => {
  it('a cell that changed within the last K rounds or flapped is unsettled', () => {
    const t = new ConvergenceTracker(3, 2);
    t.addRound(['allowed', 'allowed', 'allowed'], 1);
    t.addRound(['dropped', 'allowed', 'allowed'], 2);
    t.addRound(['allowed', 'allowed', 'dropped'], 3);
    expect(t.summary().unsettled).to.deep.equal([0, 2]);
    expect(t.summary().flapping).to.deep.equal([0]);
  });
});
