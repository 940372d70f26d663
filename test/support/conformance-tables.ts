/**
 * The network-policy-api conformance tests, transcribed as scenarios whose matrix marks are the
 * upstream's own PokeServer assertions (each fixture folder's INDEX.md): the engine must reproduce
 * every asserted non-self cell. One suite per folder; the totals guard against a fixture silently
 * losing steps or assertions.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { predictScenario } from '../../harness/engine/predict-step.js';
import { resolveExpectations } from '../../harness/model/expectations.js';
import { loadScenario } from '../../harness/scenario/load.js';

export interface ConformanceTables {
  readonly title: string;
  readonly dir: string;
  readonly files: number;
  readonly steps: number;
  readonly assertedCells: number;
  /** Warnings a file may raise, per step, with the pattern they match; every other file loads with no diagnostic. */
  readonly knownWarnings?: Readonly<Record<string, { readonly perStep: number; readonly pattern: RegExp }>>;
  /** Asserted cells the engine predicts `unspecified` (`file step: from -> to port/protocol`), not compared. */
  readonly knownUnspecified?: readonly string[];
}

interface Compared {
  readonly steps: number;
  readonly asserted: number;
  readonly unspecified: readonly string[];
  readonly mismatches: readonly string[];
}

export function describeConformanceTables(suite: ConformanceTables): void {
  const files = readdirSync(suite.dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  /** Every asserted non-self matrix cell of one file against the engine's prediction. */
  const compare = (file: string): Compared => {
    const { scenario, diagnostics } = loadScenario(path.join(suite.dir, file));
    const steps = scenario ? predictScenario(scenario) : [];
    const known = suite.knownWarnings?.[file];
    const said = diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`);
    expect(
      said.filter((d) => !known?.pattern.test(d.replace(/^\d+:\d+: /, ''))),
      'loads cleanly, with no diagnostic but the known warnings',
    ).to.deep.equal([]);
    expect(said, 'known warnings, per step').to.have.length(known ? known.perStep * steps.length : 0);
    let asserted = 0;
    const unspecified: string[] = [];
    const mismatches: string[] = [];
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
  };

  describe(suite.title, () => {
    it(`covers the ${suite.files} transcribed conformance tests`, () => {
      expect(files).to.have.length(suite.files);
    });

    const results = new Map<string, Compared>();
    const resultOf = (f: string) => results.get(f) ?? compare(f);
    for (const file of files) {
      it(file.replace(/\.yaml$/, ''), () => {
        const result = compare(file);
        results.set(file, result);
        expect(result.asserted, 'asserted cells compared').to.be.greaterThan(0);
        expect(result.mismatches, 'asserted cells where the engine disagrees with upstream').to.deep.equal([]);
      });
    }

    it('lists the asserted cells the engine leaves unspecified, apart', () => {
      expect(files.flatMap((f) => resultOf(f).unspecified)).to.deep.equal(suite.knownUnspecified ?? []);
    });

    it(`has ${suite.steps} steps and ${suite.assertedCells} asserted cells in all`, () => {
      const all = files.map(resultOf);
      expect(
        all.reduce((n, r) => n + r.steps, 0),
        'steps',
      ).to.equal(suite.steps);
      expect(
        all.reduce((n, r) => n + r.asserted, 0),
        'asserted cells',
      ).to.equal(suite.assertedCells);
    });
  });
}
