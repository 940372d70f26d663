import { expect } from 'chai';
import type { Outcome } from '../../../harness/model/observation.js';
import { observeUntilStable } from '../../../harness/run/converge.js';

describe('convergence is timed by when probes were sent', () => {
  it('a cell that changes in the third round settled when that round was sent, however long rounds take', async () => {
    let clock = 0;
    for (const roundMs of [100, 1500]) {
      clock = 0;
      let n = 0;
      const outcomes: Outcome[] = ['dropped', 'dropped', 'allowed', 'allowed', 'allowed'];
      const round = async () => {
        const outcome = outcomes[Math.min(n++, outcomes.length - 1)]!;
        clock += roundMs; // the round's probes come back roundMs after they were sent
        return { cells: [{ outcome, detail: '' }], dns: [], durationMs: roundMs };
      };
      const converged = await observeUntilStable(round, ['allowed'], {
        stableRounds: 2,
        timeoutMs: 60_000,
        intervalMs: 0,
        now: () => clock,
      });
      expect(converged.summary.cellSettledAfterMs[0], `rounds of ${roundMs} ms`).to.equal(2 * roundMs);
    }
  });
});

describe('a cell probed by name (via: dns)', () => {
  /** One dropped connect (its lookup answered late), then lookups that fail: blocked all along. */
  const rounds = async (nameLookup: boolean) => {
    let clock = 0;
    let n = 0;
    const outcomes: Outcome[] = ['dropped', 'dns-error', 'dns-error', 'dns-error'];
    const round = async () => {
      const outcome = outcomes[Math.min(n++, outcomes.length - 1)]!;
      clock += 500;
      return { cells: [{ outcome, detail: '' }], dns: [], durationMs: 500 };
    };
    const options = { stableRounds: 2, timeoutMs: 2000, intervalMs: 0, now: () => clock };
    return observeUntilStable(
      round,
      ['blocked'],
      options,
      () => true,
      () => nameLookup,
    );
  };

  it('counts a failed lookup as blocked: the cell holds still, and what it returns is the lookup failure', async () => {
    const converged = await rounds(true);
    expect(converged.summary.unsettled).to.deep.equal([]);
    expect(converged.cells[0]!.outcome).to.equal('dns-error');
  });

  it('a cell probed by address reads the same lookup failures as a gap, so it is still changing', async () => {
    expect((await rounds(false)).summary.unsettled).to.deep.equal([0]);
  });
});
