import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { resolveExpectations } from '../../../harness/model/expectations.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const DIR = 'test/fixtures/anp-conformance';

/**
 * Warnings a file may raise, with why it is accepted. None so far: every file must load with no
 * diagnostic at all.
 */
const KNOWN_WARNINGS: Readonly<Record<string, readonly string[]>> = {};

/**
 * Asserted cells the engine predicts `unspecified` (two AdminNetworkPolicies of one priority that
 * disagree): compared with nothing, listed here instead, as `file step: from -> to port/protocol`.
 * None so far: no transcribed test has two ANPs of one priority.
 */
const KNOWN_UNSPECIFIED: readonly string[] = [];

/**
 * Files whose comparison is skipped because a transcribed upstream cell disagrees with the engine,
 * with the cell and why. The expectation is never changed to match the engine. None so far.
 */
const DISAGREEMENTS: Readonly<Record<string, string>> = {};

/** Totals over all files: a guard against a fixture silently losing steps or assertions. */
const FILES = 20;
const STEPS = 83;
const ASSERTED_CELLS = 238;

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Compared {
  readonly steps: number;
  readonly asserted: number;
  readonly unspecified: readonly string[];
  readonly mismatches: readonly string[];
}

/** Every asserted non-self matrix cell of one file against the engine's prediction. */
function compare(file: string): Compared {
  const { scenario, diagnostics } = loadScenario(path.join(DIR, file));
  expect(
    diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`),
    'loads cleanly, with no warning but the known ones',
  ).to.deep.equal(KNOWN_WARNINGS[file] ?? []);
  let asserted = 0;
  const unspecified: string[] = [];
  const mismatches: string[] = [];
  const steps = predictScenario(scenario!);
  for (const p of steps) {
    const expected = resolveExpectations(p.step.expect, p.cells);
    p.cells.forEach((cell, i) => {
      const e = expected[i]!;
      if (e.source !== 'matrix' || e.expected === 'unasserted' || cell.from.key === cell.to.key) return;
      asserted++;
      const where = `${file} ${p.step.name}: ${cell.from.key} -> ${cell.to.key} ${cell.port.port}/${cell.port.protocol}`;
      if (cell.unspecified) {
        unspecified.push(where);
        return;
      }
      const predicted = cell.predicted ? 'allow' : 'deny';
      if (predicted !== e.expected) mismatches.push(`${where}: upstream ${e.expected}, engine ${predicted}`);
    });
  }
  return { steps: steps.length, asserted, unspecified, mismatches };
}

/**
 * The AdminNetworkPolicy and BaselineAdminNetworkPolicy conformance tests of
 * sigs.k8s.io/network-policy-api v0.1.5 (conformance/tests/*.go), written in our format with the
 * upstream's own PokeServer assertions as matrix marks (INDEX.md): the engine must reproduce every
 * asserted non-self cell.
 */
describe('engine vs the network-policy-api v0.1.5 ANP/BANP conformance truth tables', () => {
  it(`covers the ${FILES} transcribed conformance tests`, () => {
    expect(files).to.have.length(FILES);
  });

  const results = new Map<string, Compared>();
  for (const file of files) {
    const test = DISAGREEMENTS[file] ? it.skip : it;
    test(file.replace(/\.yaml$/, ''), () => {
      const result = compare(file);
      results.set(file, result);
      expect(result.asserted, 'asserted cells compared').to.be.greaterThan(0);
      expect(result.mismatches, 'asserted cells where the engine disagrees with upstream').to.deep.equal([]);
    });
  }

  it('lists the asserted cells the engine leaves unspecified, apart', () => {
    const found = files.filter((f) => !DISAGREEMENTS[f]).flatMap((f) => (results.get(f) ?? compare(f)).unspecified);
    expect(found).to.deep.equal(KNOWN_UNSPECIFIED);
  });

  it(`has ${STEPS} steps and ${ASSERTED_CELLS} asserted cells in all`, () => {
    const all = files.map((f) => results.get(f) ?? compare(f));
    const steps = all.reduce((n, r) => n + r.steps, 0);
    const asserted = all.reduce((n, r) => n + r.asserted, 0);
    expect(steps, 'steps').to.equal(STEPS);
    expect(asserted, 'asserted cells').to.equal(ASSERTED_CELLS);
  });
});
