import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { intentMismatches } from '../../../harness/model/intent-check.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const DIR = 'scenarios';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('example scenarios', () => {
  it('there is one per pattern the README lists (at least 11)', () => {
    expect(files.length).to.be.at.least(11);
  });
  for (const file of files) {
    it(`${file} validates and its hand-written expectations agree with predict`, () => {
      const { scenario, diagnostics } = loadScenario(path.join(DIR, file));
      expect(diagnostics, 'no errors or warnings').to.deep.equal([]);
      const steps = predictScenario(scenario!);
      for (const p of steps) {
        expect(intentMismatches(p.step.expect, p.cells, p.dns, p.world.endpoints), `step ${p.step.name}`).to.deep.equal(
          [],
        );
      }
      const asserted = scenario!.steps.reduce(
        (n, s) => n + s.expect.rules.length + s.expect.matrices.length + s.expect.dns.length,
        0,
      );
      expect(asserted, 'writes expectations of its own').to.be.greaterThan(0);
    });
  }
});
