import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { resolveExpectations } from '../../../harness/model/expectations.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const DIR = 'test/fixtures/upstream';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/**
 * The 48 cases of kubernetes/kubernetes test/e2e/network/netpol/network_policy.go, written in our
 * format with upstream's truth tables as matrix expectations: the engine must reproduce every
 * asserted non-self cell.
 */
describe('engine vs the upstream e2e NetworkPolicy truth tables', () => {
  it('covers all 48 upstream cases', () => {
    expect(files).to.have.length(48);
  });
  for (const file of files) {
    it(file.replace(/\.yaml$/, ''), () => {
      const { scenario, diagnostics } = loadScenario(path.join(DIR, file));
      expect(
        diagnostics.filter((d) => d.severity === 'error'),
        'loads cleanly',
      ).to.deep.equal([]);
      let compared = 0;
      for (const p of predictScenario(scenario!)) {
        const expected = resolveExpectations(p.step.expect, p.cells);
        p.cells.forEach((cell, i) => {
          const e = expected[i]!;
          if (e.source !== 'matrix' || e.expected === 'unasserted' || cell.from.key === cell.to.key) return;
          compared++;
          expect(
            cell.predicted ? 'allow' : 'deny',
            `step ${p.step.name}: ${cell.from.key} -> ${cell.to.key} ${cell.port.port}/${cell.port.protocol}`,
          ).to.equal(e.expected);
        });
      }
      expect(compared, 'asserted cells compared').to.be.greaterThan(0);
    });
  }
});
