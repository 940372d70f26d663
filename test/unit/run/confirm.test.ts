import { expect } from 'chai';
import type { Observation } from '../../../harness/model/observation.js';
import type { ProbePlan } from '../../../harness/probe/plan.js';
import { confirmUnexpectedDrops, planOnly, unexpectedDrops } from '../../../harness/run/confirm.js';
import type { Converged } from '../../../harness/run/converge.js';

const seen = (outcome: Observation['outcome'], detail: string = outcome): Observation => ({ outcome, detail });
const converged = (cells: Observation[], dns: Observation[] = []): Converged => ({
  cells,
  dns,
  timedOut: false,
  summary: {
    rounds: 2,
    settledAfterMs: 0,
    stable: true,
    flapping: [],
    cellSettledAfterMs: [],
    unsettled: [],
    transitions: new Map(),
  },
});

describe('confirming a drop the engine did not predict', () => {
  it('suspects only cells seen dropped where the engine predicts allowed (refused and expected drops are left alone)', () => {
    const o = converged([seen('dropped'), seen('dropped'), seen('refused'), seen('allowed')], [seen('dropped')]);
    expect([...unexpectedDrops(o, ['allowed', 'blocked', 'allowed', 'allowed', 'allowed'])]).to.deep.equal([0, 4]);
  });

  it('an answer to the longer probe is positive evidence: the cell is allowed, and its detail says how it was found', async () => {
    const o = converged([seen('dropped', 'TIMEOUT: i/o timeout'), seen('allowed')]);
    const result = await confirmUnexpectedDrops(
      o,
      ['allowed', 'allowed'],
      async () => ({
        cells: [seen('allowed', 'netpol-harness x/b@ns 80/TCP HTTP 200'), seen('error', 'not probed')],
        dns: [],
        durationMs: 3,
      }),
      3,
    );
    expect(result.cells[0]!.outcome).to.equal('allowed');
    expect(result.cells[0]!.detail).to.match(
      /^netpol-harness x\/b@ns 80\/TCP HTTP 200 \(answered a confirming probe with a 3 s timeout/,
    );
    expect(result.cells[1]).to.deep.equal(seen('allowed'));
  });

  it('a second timeout confirms the drop; a broken confirming probe never turns it into anything else', async () => {
    const o = converged([seen('dropped', 'TIMEOUT'), seen('dropped', 'TIMEOUT')]);
    const result = await confirmUnexpectedDrops(
      o,
      ['allowed', 'allowed'],
      async () => ({ cells: [seen('dropped'), seen('error', 'exec failed')], dns: [], durationMs: 3 }),
      3,
    );
    expect(result.cells.map((c) => c.outcome)).to.deep.equal(['dropped', 'dropped']);
    expect(result.cells[0]!.detail).to.contain('confirmed: a second probe with a 3 s timeout timed out too');
    expect(result.cells[1]!.detail).to.contain('saw error: exec failed');
  });

  it('does not probe at all when nothing is suspect', async () => {
    let probed = false;
    const o = converged([seen('refused')]);
    expect(
      await confirmUnexpectedDrops(
        o,
        ['blocked'],
        async () => {
          probed = true;
          return { cells: [], dns: [], durationMs: 0 };
        },
        3,
      ),
    ).to.equal(o);
    expect(probed).to.equal(false);
  });

  it('re-plans only the suspect probes, DNS cells numbered after the cells', () => {
    const probe = (kind: 'cell' | 'dns', index: number) => ({
      id: index,
      subject: { kind, index },
      target: { kind: 'dns' as const, name: 'x' },
      argv: [],
    });
    const plan: ProbePlan = {
      sources: [
        { source: 'a/a', namespace: 'n', pod: 'a', probes: [probe('cell', 0), probe('cell', 1), probe('dns', 0)] },
        { source: 'b/b', namespace: 'n', pod: 'b', probes: [probe('cell', 2)] },
      ],
      skipped: [],
    };
    const only = planOnly(plan, new Set([1, 3]), 3);
    expect(only.sources).to.have.length(1);
    expect(only.sources[0]!.probes.map((p) => `${p.subject.kind}${p.subject.index}`)).to.deep.equal(['cell1', 'dns0']);
  });
});
