/** `predict` over several files and directories: exact tables, JSON shapes, colour only on a terminal. */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const cli = runCli;

const scenario = (name: string) => `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: ${name}}
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
`;

const table = (name: string) =>
  [
    `scenario ${name} (engine prediction; . allowed, X blocked)`,
    '',
    'step default',
    '',
    'port 80/TCP',
    'from\\to shop/a shop/b',
    'shop/a  .      X',
    'shop/b  .      X',
    '',
    'dns    kubernetes.default.svc.cluster.local',
    'shop/a .',
    'shop/b .',
  ].join('\n');

describe('predict takes several files and directories', () => {
  let dir: string;
  let first: string;
  let second: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cli-predict-'));
    first = path.join(dir, 'a-first.yaml');
    second = path.join(dir, 'b-second.yaml');
    writeFileSync(first, scenario('first'));
    writeFileSync(second, scenario('second'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every scenario of a directory, in name order', async () => {
    expect(await cli(['predict', dir])).to.deep.equal({
      code: 0,
      out: `${table('first')}\n\n${table('second')}`,
      err: '',
    });
  });

  it('prints one object for one file argument, with its file', async () => {
    const r = await cli(['predict', first, '-o', 'json']);
    expect(JSON.parse(r.out)).to.deep.equal({
      file: first,
      scenario: 'first',
      steps: [
        {
          name: 'default',
          cells: [
            { from: 'shop/a', to: 'shop/a', port: 80, protocol: 'TCP', allowed: true },
            { from: 'shop/a', to: 'shop/b', port: 80, protocol: 'TCP', allowed: false },
            { from: 'shop/b', to: 'shop/a', port: 80, protocol: 'TCP', allowed: true },
            { from: 'shop/b', to: 'shop/b', port: 80, protocol: 'TCP', allowed: false },
          ],
          dns: [
            { from: 'shop/a', name: 'kubernetes.default.svc.cluster.local', resolves: true },
            { from: 'shop/b', name: 'kubernetes.default.svc.cluster.local', resolves: true },
          ],
        },
      ],
    });
  });

  it('prints {"scenarios": [...]} for several files or a directory, as kubectl prints a List', async () => {
    const several = JSON.parse((await cli(['predict', first, second, '-o', 'json'])).out) as {
      scenarios: Array<{ file: string; scenario: string }>;
    };
    expect(several.scenarios.map((s) => [s.file, s.scenario])).to.deep.equal([
      [first, 'first'],
      [second, 'second'],
    ]);
    const examples = JSON.parse((await cli(['predict', path.join(REPO, 'scenarios'), '-o', 'json'])).out) as {
      scenarios: unknown[];
    };
    const yamls = readdirSync(path.join(REPO, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(examples.scenarios).to.have.length(yamls.length);
  });

  it('refuses every file when one is invalid: exit 3 at file:line:col, nothing printed', async () => {
    const broken = path.join(dir, 'c-broken.yaml');
    writeFileSync(
      broken,
      scenario('broken').replace('{name: deny-b, namespace: shop}', '{name: deny-b, namespace: x}'),
    );
    try {
      const r = await cli(['predict', first, broken]);
      expect(r.code).to.equal(3);
      expect(r.out).to.equal('');
      expect(r.err).to.equal(
        `${path.relative(process.cwd(), broken)}:13:45: error: namespace "x" is not declared in spec.namespaces (declared: shop)`,
      );
    } finally {
      rmSync(broken);
    }
  });

  it('paints . green and X red on a terminal', async () => {
    const r = await cli(['predict', first], { stdoutIsTTY: true, stderrIsTTY: true, env: {} });
    expect(r.out.split('\n').slice(6, 8)).to.deep.equal([
      'shop/a  \x1b[32m.\x1b[39m      \x1b[31mX\x1b[39m',
      'shop/b  \x1b[32m.\x1b[39m      \x1b[31mX\x1b[39m',
    ]);
  });

  it('stays plain with NO_COLOR or --no-color on a terminal', async () => {
    const tty = { stdoutIsTTY: true, stderrIsTTY: true, env: {} };
    expect((await cli(['predict', first], { ...tty, env: { NO_COLOR: '1' } })).out).to.equal(table('first'));
    expect((await cli(['predict', '--no-color', first], tty)).out).to.equal(table('first'));
  });

  it('refuses an unknown -o with exit 3 and the choices', async () => {
    const r = await cli(['predict', first, '-o', 'yaml']);
    expect(r).to.deep.equal({
      code: 3,
      out: '',
      err: "error: option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are table, json.",
    });
  });
});

describe('a reader that closes the pipe early (predict | head)', () => {
  it('ends the process with its own exit code, without an EPIPE stack trace', function () {
    this.timeout(60_000);
    // More than a pipe's 64 KiB buffer, so the writer is still writing when head has gone.
    const big = path.join(os.tmpdir(), `cli-predict-big-${process.pid}.yaml`);
    const workloads = Array.from(
      { length: 120 },
      (_, i) => `    - {name: w${i}, namespace: shop, ports: [{port: 80}]}`,
    );
    writeFileSync(big, `${scenario('big').split('  workloads:')[0]}  workloads:\n${workloads.join('\n')}\n`);
    try {
      const entry = `import('./harness/cli.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;
      const shell =
        'node --import tsx -e "$ENTRY" predict "$BIG" | head -c 10 >/dev/null; echo "exit ${PIPESTATUS[0]}"';
      const r = spawnSync('bash', ['-c', shell], {
        cwd: REPO,
        encoding: 'utf8',
        env: {
          ...process.env,
          ENTRY: entry,
          BIG: big,
          PATH: `${path.dirname(process.execPath)}:${process.env['PATH']}`,
        },
      });
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('exit 0\n');
    } finally {
      rmSync(big);
    }
  });
});
