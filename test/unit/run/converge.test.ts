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
