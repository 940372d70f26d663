import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { explainFailure, runCommand, runShell } from '../../../harness/process/command.js';

describe('the process wrapper: a result to inspect, never an exception', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nph-command-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a non-zero exit is a result with its output, explained with the last stderr lines', async () => {
    const r = await runShell('echo out; echo first >&2; echo last >&2; exit 3');
    expect([r.ok, r.exitCode, r.stdout]).to.deep.equal([false, 3, 'out']);
    expect(explainFailure(r)).to.match(/^bash -euo pipefail -c .* exited 3 after 0 s:\n {2}first\n {2}last$/s);
  });
  it('a missing program is a result that says it did not run', async () => {
    const r = await runCommand('/nonexistent/netpol-harness-tool', ['x']);
    expect([r.ok, r.exitCode]).to.deep.equal([false, undefined]);
    expect(explainFailure(r)).to.contain('did not run');
  });
  it('a command past its bound is killed and says so', async () => {
    const r = await runCommand('sleep', ['5'], { timeoutMs: 200 });
    expect([r.ok, r.timedOut]).to.deep.equal([false, true]);
    expect(explainFailure(r)).to.match(/timed out after/);
  });
  it('runs in cwd, with env added to the environment, and feeds input', async () => {
    const r = await runShell('pwd; echo "$NPH_X-${HOME:+home}"; cat', { cwd: dir, env: { NPH_X: 'x' }, input: 'in' });
    expect(r.stdout.split('\n')).to.deep.equal([dir, 'x-home', 'in']);
  });
  it('streams into a log file (command line first) instead of buffering', async () => {
    const log = path.join(dir, 'step.log');
    const r = await runShell('echo one; echo two >&2', { logFile: log });
    expect([r.ok, r.stdout, r.stderr]).to.deep.equal([true, '', '']);
    expect(readFileSync(log, 'utf8')).to.match(/^\n\$ bash -euo pipefail -c echo one; echo two >&2\none\ntwo\n$/);
  });
});
