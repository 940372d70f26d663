/**
 * Traffic paths live (issue 13), on kind + Calico and, where the kit built it, kind + Cilium: the
 * Service and node examples pass on every path, and the 48 upstream cases through the upstream
 * suite's own Services see what they see pod to pod.
 */
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countVerdicts, type CellResult, type RunReport } from '../../harness/model/run-report.js';
import { runAll } from '../../harness/run/runner.js';
import { convergeTimeoutFor } from '../../harness/run/settings.js';
import { withProbePaths } from '../../harness/scenario/services.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { e2eSettings, kindTargetOrSkip, load, seconds } from './support.js';

/** What `run --cni <cni>` uses: Cilium gets its longer convergence window (its identity delay after a relabel). */
function settingsFor(cni: string) {
  const settings = e2eSettings();
  return { ...settings, converge: { ...settings.converge, timeoutMs: convergeTimeoutFor([cni]) * 1000 } };
}

const CLI = path.resolve('bin/netpol-harness.js');
const EXAMPLES = [
  'scenarios/12-service-paths.yaml',
  'scenarios/13-node-probes.yaml',
  'scenarios/14-nodeport-from-outside.yaml',
];

const cellsOf = (report: RunReport): CellResult[] => report.runs.flatMap((r) => r.steps.flatMap((s) => s.cells));
/** A cell for a failure message: what it showed and, when it did not pass, the probe's own words. */
const line = (c: CellResult) =>
  `${c.from} -> ${c.to} ${c.port}/${c.protocol}${c.via ? ` via ${c.via}` : ''}: ${c.verdict}, ${c.observed}` +
  (c.verdict === 'pass' ? '' : ` (${c.detail})`);

for (const cni of ['calico', 'cilium'] as const) {
  describe(`traffic paths on kind + ${cni}`, () => {
    let target: PreparedTarget | undefined;
    before(async function () {
      target = await kindTargetOrSkip(cni, this);
    });
    after(async () => target?.release());

    it('the Service, node and NodePort examples: no failure on any path; unspecified cells are shown, not asserted', async () => {
      const started = Date.now();
      // Through the CLI: it starts the externals (containers beside kind) the NodePort example's clients need.
      const dir = mkdtempSync(path.join(tmpdir(), 'netpol-paths-'));
      const result = await execa(
        'node',
        [CLI, 'run', ...EXAMPLES, '--cni', cni, '--keep', '--quiet', '--format', 'json', '--report-dir', dir],
        { reject: false, env: { NO_COLOR: '1' } },
      );
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;
      rmSync(dir, { recursive: true, force: true });
      expect(result.exitCode, result.stderr).to.equal(0);
      const cells = cellsOf(report);
      const n = countVerdicts(cells);
      console.error(`  examples: ${n.pass} pass, ${n.fail} fail in ${seconds(Date.now() - started)}`);
      for (const c of cells.filter((x) => x.unspecified)) console.error(`    unspecified: ${line(c)}`);
      expect(report.runs.map((r) => r.error ?? '')).to.deep.equal(['', '', '']);
      expect(cells.filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive').map(line)).to.deep.equal([]);
      expect(cells.filter((c) => c.via === 'dns').length).to.equal(3);
      expect(cells.filter((c) => c.from === 'node:local').every((c) => c.verdict === 'pass')).to.equal(true);
      // Externals are containers beside kind: every nodeport cell is probed from outside, none unsupported.
      const nodePort = cells.filter((c) => c.via === 'nodeport');
      expect(nodePort.length).to.equal(4);
      expect(nodePort.filter((c) => c.observed === 'unsupported' || c.observed === 'error').map(line)).to.deep.equal(
        [],
      );
    });

    it('the 48 upstream cases through their Services: no failure, and every service cell sees its pod cell', async () => {
      const files = readdirSync('test/fixtures/upstream').filter((f) => f.endsWith('.yaml'));
      const scenarios = files.map((f) =>
        withProbePaths(load(path.join('test/fixtures/upstream', f)), { via: ['pod', 'service'], services: 'all' }),
      );
      const started = Date.now();
      const report = await runAll(scenarios, [{ ...target!, release: async () => undefined }], settingsFor(cni));
      const cells = cellsOf(report).filter((c) => c.protocol !== 'SCTP');
      const n = countVerdicts(cells);
      console.error(
        `  upstream via service: ${n.pass} pass, ${n.fail} fail, ${n['deviation-accepted']} deviation accepted, ` +
          `${n.inconclusive} inconclusive in ${seconds(Date.now() - started)}`,
      );
      // An inconclusive cell (flapping under load) is no failure, but which one it was is what the next reader needs.
      for (const c of cells.filter((x) => x.verdict === 'inconclusive')) console.error(`    inconclusive: ${line(c)}`);
      expect(cells.filter((c) => c.verdict === 'fail').map(line)).to.deep.equal([]);
      const key = (c: CellResult) => `${c.from} ${c.to} ${c.port}/${c.protocol}`;
      const byRun = report.runs.flatMap((r) =>
        r.steps.map((s) => {
          const pod = new Map(s.cells.filter((c) => !c.via).map((c) => [key(c), c.observed === 'allowed']));
          return s.cells
            .filter((c) => c.via === 'service' && !c.unspecified && c.verdict !== 'inconclusive')
            .filter((c) => pod.get(key(c)) !== (c.observed === 'allowed'))
            .map((c) => `${r.scenario}/${s.name}: ${line(c)}`);
        }),
      );
      expect(byRun.flat(), 'a Service path that saw otherwise than its pod path').to.deep.equal([]);
    });
  });
}
