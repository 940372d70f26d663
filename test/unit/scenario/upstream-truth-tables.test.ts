import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { resolveExpectations } from '../../../harness/model/expectations.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const DIR = 'test/fixtures/upstream';

/**
 * The only warnings the upstream cases may raise: true findings about their own text. Upstream
 * writes the pod CIDR's first host as "/4" on purpose; any other warning is a false alarm.
 */
const KNOWN_WARNINGS: Readonly<Record<string, readonly string[]>> = {
  'egress-cidr-except.yaml': [
    '49:27: warning: "10.244.0.16/4" has host bits set; it is treated as its network address',
  ],
  'ipblock-cidr-and-except-overlap.yaml': [
    '52:31: warning: "10.244.0.16/4" has host bits set; it is treated as its network address',
  ],
};
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
        diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`),
        'loads cleanly, with no warning but the known ones',
      ).to.deep.equal(KNOWN_WARNINGS[file] ?? []);
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
