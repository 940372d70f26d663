/**
 * `validate --strict` and `-o text|json|github`: exact outputs, file:line:col included, and the
 * exit codes (0 valid, 1 warnings under --strict, 3 errors or bad flags).
 */
import { expect } from 'chai';
import { runCli, type CliResult } from '../support/cli.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../harness/cli.js';

const cli = (...argv: string[]) => runCli(argv);

const WARN = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: one-warning}
spec:
  namespaces: {shop: {}}
  workloads:
    - {name: a, namespace: shop, labels: {app: a}, ports: [{port: 80}]}
    - {name: b, namespace: shop, labels: {app: b}, ports: [{port: 80}]}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-b, namespace: shop}
        spec: {podSelector: {matchLabels: {app: b}}, policyTypes: [Ingress]}
  expect:
    rules:
      - {from: shop/a, to: shop/b, port: 80, allowed: true}
`;
const CLEAN = WARN.replace('one-warning', 'clean').replace('allowed: true', 'allowed: false');
const BROKEN = WARN.replace('{name: deny-b, namespace: shop}', '{name: deny-b, namespace: shp}');

describe('validate --strict and -o text|json|github', () => {
  let dir: string;
  let warn: string;
  let clean: string;
  let broken: string;
  const shown = (file: string) => path.relative(process.cwd(), file);
  const warning = () => ({
    file: shown(warn),
    line: 17,
    col: 9,
    severity: 'warning',
    message: 'expects shop/a -> shop/b 80/TCP allowed, but the policies block it',
  });
  const error = () => ({
    file: shown(broken),
    line: 13,
    col: 45,
    severity: 'error',
    message: 'namespace "shp" is not declared in spec.namespaces (did you mean "shop"?)',
  });

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-validate-'));
    [warn, clean, broken] = ['warn.yaml', 'clean.yaml', 'broken.yaml'].map((f) => path.join(dir, f)) as [
      string,
      string,
      string,
    ];
    writeFileSync(warn, WARN);
    writeFileSync(clean, CLEAN);
    writeFileSync(broken, BROKEN);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text: a warning at file:line:col, ✓ and exit 0', async () => {
    const r = await cli('validate', warn);
    expect(r).to.deep.equal({
      code: 0,
      out: `✓ ${warn}: one-warning, 1 step(s), 2 workloads, 1 warning(s)`,
      err: `${shown(warn)}:17:9: warning: expects shop/a -> shop/b 80/TCP allowed, but the policies block it`,
    });
  });

  it('text --strict: the same warning fails the file with exit 1', async () => {
    const r = await cli('validate', '--strict', warn, clean);
    expect(r.code).to.equal(1);
    expect(r.out).to.equal(
      [
        `✗ ${warn}: one-warning, 1 step(s), 2 workloads, 1 warning(s) (--strict: warnings fail)`,
        `✓ ${clean}: clean, 1 step(s), 2 workloads`,
        '1 valid, 1 invalid',
      ].join('\n'),
    );
  });

  it('--strict with no warnings: exit 0', async () => {
    expect((await cli('validate', '--strict', clean)).code).to.equal(0);
  });

  it('errors stay exit 3 with --strict', async () => {
    const r = await cli('validate', '--strict', broken, warn);
    expect(r.code).to.equal(3);
    expect(r.err.split('\n')[0]).to.equal(
      `${shown(broken)}:13:45: error: namespace "shp" is not declared in spec.namespaces (did you mean "shop"?)`,
    );
    expect(r.out.split('\n')[0]).to.equal(`✗ ${broken}: 1 error(s)`);
  });

  it('json: one document on stdout with every file, its status and diagnostics, and a summary', async () => {
    const r = await cli('validate', '-o', 'json', broken, warn, clean);
    expect(r.code).to.equal(3);
    expect(r.err).to.equal('');
    expect(JSON.parse(r.out)).to.deep.equal({
      files: [
        { file: broken, status: 'invalid', diagnostics: [error()] },
        { file: warn, status: 'warning', scenario: 'one-warning', diagnostics: [warning()] },
        { file: clean, status: 'valid', scenario: 'clean', diagnostics: [] },
      ],
      summary: { files: 3, valid: 1, warning: 1, invalid: 1, errors: 1, warnings: 1, notes: 0, strict: false },
    });
  });

  it('json --strict: a warned file is invalid and the exit code 1', async () => {
    const r = await cli('validate', '--output', 'json', '--strict', warn);
    expect(r.code).to.equal(1);
    const doc = JSON.parse(r.out) as { files: Array<{ status: string }>; summary: { strict: boolean } };
    expect(doc.files.map((f) => f.status)).to.deep.equal(['invalid']);
    expect(doc.summary.strict).to.equal(true);
  });

  it('github: workflow commands for each diagnostic, then the per-file lines', async () => {
    const r = await cli('validate', '-o', 'github', broken, warn);
    expect(r.code).to.equal(3);
    expect(r.err).to.equal('');
    expect(r.out.split('\n')).to.deep.equal([
      `::error file=${shown(broken)},line=13,col=45::namespace "shp" is not declared in spec.namespaces (did you mean "shop"?)`,
      `::warning file=${shown(warn)},line=17,col=9::expects shop/a -> shop/b 80/TCP allowed, but the policies block it`,
      `✗ ${broken}: 1 error(s)`,
      `✓ ${warn}: one-warning, 1 step(s), 2 workloads, 1 warning(s)`,
      '1 valid, 1 invalid',
    ]);
  });

  it('refuses an unknown -o with exit 3 and the choices', async () => {
    const r = await cli('validate', '-o', 'xml', clean);
    expect(r.code).to.equal(3);
    expect(r.err).to.equal(
      "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are text, json, github.",
    );
  });

  it('colours error red, warning yellow and ✓ green on a terminal', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const tty = { stdoutIsTTY: true, stderrIsTTY: true, env: {} };
    expect(await main(['validate', warn, broken], io, tty)).to.equal(3);
    expect(err).to.deep.equal([
      `${shown(warn)}:17:9: \x1b[33mwarning\x1b[39m: ${warning().message}`,
      `${shown(broken)}:13:45: \x1b[31merror\x1b[39m: ${error().message}`,
    ]);
    expect(out).to.deep.equal([
      `\x1b[32m✓\x1b[39m ${warn}: one-warning, 1 step(s), 2 workloads, 1 warning(s)`,
      `\x1b[31m✗\x1b[39m ${broken}: 1 error(s)`,
      '1 valid, 1 invalid',
    ]);
  });

  it('never colours with NO_COLOR, --no-color, or when the stream is not a terminal', async () => {
    const runs = [
      { argv: ['validate', warn], tty: { stdoutIsTTY: true, stderrIsTTY: true, env: { NO_COLOR: '1' } } },
      { argv: ['--no-color', 'validate', warn], tty: { stdoutIsTTY: true, stderrIsTTY: true, env: {} } },
      { argv: ['validate', warn, '--no-color'], tty: { stdoutIsTTY: true, stderrIsTTY: true, env: {} } },
      { argv: ['validate', warn], tty: { stdoutIsTTY: false, stderrIsTTY: false, env: {} } },
    ];
    for (const run of runs) {
      const lines: string[] = [];
      await main(run.argv, { out: (t) => lines.push(t), err: (t) => lines.push(t) }, run.tty);
      expect(lines.join('\n'), run.argv.join(' ')).not.to.include('\x1b[');
    }
  });
});

describe("validate also checks check's inputs: an Intent (--expect) and a ClassMap (--map)", () => {
  const withFiles = async (files: Record<string, string>, run: (dir: string) => Promise<CliResult>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nph-validate-inputs-'));
    try {
      for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
      return await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const HEAD = 'apiVersion: netpol-harness/v1alpha1\n';
  it('a good intent and a good class map are ✓ with what they are for', async () => {
    const r = await withFiles(
      {
        'intent.yaml': `${HEAD}kind: Intent\nmetadata: {name: shop}\nexpect:\n  rules: [{from: shop/a, to: shop/b, allowed: true}]\n`,
        'map.yaml': `${HEAD}kind: ClassMap\ncontexts:\n  production: {namespaces: {shop-prod: shop}}\n`,
      },
      (dir) => runCli(['validate', path.join(dir, 'intent.yaml'), path.join(dir, 'map.yaml')]),
    );
    expect(r.code).to.equal(0);
    expect(r.out).to.include('intent.yaml: Intent shop (for check --expect)');
    expect(r.out).to.include('map.yaml: ClassMap for production (for check --map)');
  });
  it('a bad intent is exit 3 at its file:line', async () => {
    const r = await withFiles(
      { 'intent.yaml': `${HEAD}kind: Intent\nmetadata: {name: shop}\nexpect: {default: maybe}\n` },
      (dir) => runCli(['validate', path.join(dir, 'intent.yaml')]),
    );
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/intent\.yaml:4:19: error: /);
  });
});
