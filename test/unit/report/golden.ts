import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/** Compare rendered output with test/fixtures/golden/<name>; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`../../fixtures/golden/${name}`, import.meta.url));
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  let golden: string;
  try {
    golden = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1 to create it`);
  }
  expect(
    actual,
    `output differs from ${name}; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`,
  ).to.equal(golden);
}
