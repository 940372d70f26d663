/**
 * `init`: starter scenarios whose first line points editors at the JSON Schema from where the file
 * is written, that never overwrite a file, and that each pass `validate --strict` with no warnings.
 */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATTERNS } from '../../harness/commands/init-patterns.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA = path.join(REPO, 'schema', 'scenario.schema.json');

const cli = (...argv: string[]) => runCli(argv);

const firstLine = (text: string) => text.split('\n')[0];

describe('init writes starter scenarios', () => {
  let outside: string;
  let inside: string;
  before(() => {
    outside = mkdtempSync(path.join(os.tmpdir(), 'cli-init-'));
    inside = mkdtempSync(path.join(REPO, '.tmp-cli-init-'));
  });
  after(() => {
    rmSync(outside, { recursive: true, force: true });
    rmSync(inside, { recursive: true, force: true });
  });

  it('prints to stdout without -o, the schema relative to the working directory', async function () {
    if (path.resolve(process.cwd()) !== path.resolve(REPO)) this.skip();
    const r = await cli('init');
    expect(r.code).to.equal(0);
    expect(firstLine(r.out)).to.equal('# yaml-language-server: $schema=schema/scenario.schema.json');
    expect(r.out).to.include('name: default-deny-ingress');
  });

  it('points at the schema relatively when written inside this repository', async () => {
    const file = path.join(inside, 'team', 'shop.yaml');
    const r = await cli('init', '--pattern', 'frontend-backend', '-o', file);
    expect(r).to.deep.equal({
      code: 0,
      out: '',
      err: `wrote ${file} (pattern frontend-backend); next: netpol-harness validate ${file}`,
    });
    expect(firstLine(readFileSync(file, 'utf8'))).to.equal(
      '# yaml-language-server: $schema=../../schema/scenario.schema.json',
    );
  });

  it("points at the installed package's schema when written elsewhere", async () => {
    const file = path.join(outside, 'elsewhere.yaml');
    expect((await cli('init', '--output', file)).code).to.equal(0);
    expect(firstLine(readFileSync(file, 'utf8'))).to.equal(`# yaml-language-server: $schema=${SCHEMA}`);
  });

  it('refuses to overwrite an existing file with exit 3, leaving it as it was', async () => {
    const file = path.join(outside, 'mine.yaml');
    writeFileSync(file, 'my work\n');
    const r = await cli('init', '-o', file);
    expect(r).to.deep.equal({
      code: 3,
      out: '',
      err: `error: ${file} already exists; not overwriting it (remove it or choose another -o)`,
    });
    expect(readFileSync(file, 'utf8')).to.equal('my work\n');
  });

  it('refuses an unknown --pattern with exit 3 and the choices', async () => {
    expect(await cli('init', '--pattern', 'deny-everything')).to.deep.equal({
      code: 3,
      out: '',
      err: "error: option '--pattern <pattern>' argument 'deny-everything' is invalid. Allowed choices are default-deny, dns-egress, allow-same-namespace, frontend-backend.",
    });
  });

  for (const pattern of PATTERNS) {
    it(`${pattern} passes validate --strict with no warnings`, async () => {
      const file = path.join(outside, `${pattern}.yaml`);
      expect((await cli('init', '--pattern', pattern, '-o', file)).code).to.equal(0);
      const r = await cli('validate', '--strict', '-o', 'json', file);
      const doc = JSON.parse(r.out) as { files: Array<{ status: string; diagnostics: unknown[] }> };
      expect(doc.files[0]!.diagnostics).to.deep.equal([]);
      expect(doc.files[0]!.status).to.equal('valid');
      expect(r.code).to.equal(0);
    });
  }
});
