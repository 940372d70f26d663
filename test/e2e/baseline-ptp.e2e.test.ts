import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunReport } from '../../harness/model/run-report.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { e2eSettings, kindTarget, seconds } from './support.js';

/**
 * The non-enforcing baseline that can be built here: kind with the CNI reference plugins (ptp,
 * host-local) and no NetworkPolicy implementation. Pods reach each other across nodes; policies
 * are accepted and enforce nothing. The harness must say so, never report passes or failures.
 */
describe('kind + ptp (a real cluster that does not enforce NetworkPolicy)', () => {
  let target: PreparedTarget;
  before(async () => {
    const started = Date.now();
    target = await kindTarget('ptp');
    console.error(`  ptp target ready in ${seconds(Date.now() - started)}`);
  });
  after(async () => target?.release());

  it('the canary sees a default-deny that does not block, with the evidence', async () => {
    const enforcement = await checkEnforcement(target.session, e2eSettings());
    console.error(`  canary: ${enforcement.evidence}`);
    expect(enforcement.enforced).to.equal(false);
    expect(enforcement.evidence).to.match(/still allowed/);
  });

  it('a run there exits 2 and reports the target as not enforcing, with no cell judged', async () => {
    const reports = mkdtempSync(path.join(tmpdir(), 'netpol-e2e-ptp-'));
    try {
      const result = await execa(
        'node',
        [
          'bin/netpol-harness.js',
          'run',
          'scenarios/01-default-deny-ingress.yaml',
          '--cni',
          'ptp',
          '--keep',
          '--format',
          'json',
          '--report-dir',
          reports,
        ],
        { reject: false, env: { NO_COLOR: '1' } },
      );
      expect(result.exitCode, result.stderr).to.equal(2);
      expect(result.stdout).to.match(/NOT ENFORCED|not enforc/i);
      const report = JSON.parse(readFileSync(path.join(reports, 'report.json'), 'utf8')) as RunReport;
      expect(report.targets[0]!.enforcement?.enforced).to.equal(false);
      expect(report.runs).to.deep.equal([]);
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });
});
