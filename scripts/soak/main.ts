// npm run soak [-- --runs 10] [--cni calico]: the 48 upstream cases and the example scenarios, run
// again and again on one warm kind cluster, to measure how often a correct cluster gets a wrong
// verdict (issue 9). Every run goes through the real CLI; the summary counts cells judged, false
// fails, inconclusive cells and their causes, the slowest convergence, and the machine's load.
// Exit 0 with no false verdict and no broken run, 1 otherwise.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunReport } from '../../harness/model/run-report.js';
import { explainFailure, runCommand } from '../../harness/process/command.js';
import { formatDuration } from '../../harness/util/duration.js';
import { renderSoak, summarizeSoak, type SoakRun } from './summary.js';

const SUITES = ['test/fixtures/upstream', 'scenarios'];
const RUN_BOUND_MS = 20 * 60_000;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function readReport(file: string): RunReport | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
  } catch {
    return undefined; // counted as a broken run, with its exit code
  }
}

async function main(): Promise<number> {
  const runs = Number(flag('--runs', '10'));
  const cni = flag('--cni', 'calico');
  if (!Number.isInteger(runs) || runs < 1 || !['calico', 'cilium'].includes(cni)) {
    console.error('usage: npm run soak -- [--runs N (>= 1)] [--cni calico|cilium]');
    return 3;
  }
  const env = { NETPOL_HARNESS_CLUSTER_PREFIX: `nph-soak`, NO_COLOR: '1' };
  const cli = (args: string[], bound: number) =>
    runCommand('node', ['bin/netpol-harness.js', ...args], { env, timeoutMs: bound, logFile: '/dev/stderr' });
  const up = await cli(['cluster', 'up', '--cni', cni], 15 * 60_000);
  if (!up.ok) {
    console.error(`soak: the cluster did not come up: ${explainFailure(up)}`);
    return 1;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nph-soak-'));
  const done: SoakRun[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const reports = path.join(dir, `run-${i}`);
      const started = Date.now();
      const r = await cli(
        ['run', ...SUITES, '--cni', cni, '--keep', '--format', 'json', '--report-dir', reports, '-q'],
        RUN_BOUND_MS,
      );
      const report = readReport(path.join(reports, 'report.json'));
      done.push({ ...(report ? { report } : {}), exitCode: r.exitCode, durationMs: Date.now() - started });
      console.error(`soak: run ${i}/${runs} exit ${r.exitCode} in ${formatDuration(Date.now() - started)}`);
    }
  } finally {
    await cli(['cluster', 'down', '--cni', cni], 5 * 60_000);
  }
  const summary = summarizeSoak(done);
  writeFileSync(path.join(dir, 'soak-summary.json'), JSON.stringify(summary, null, 2));
  console.log(renderSoak(summary));
  console.log(`reports: ${dir}`);
  if (!summary.falseFails.length && !summary.brokenRuns.length) rmSync(dir, { recursive: true, force: true });
  return summary.falseFails.length || summary.brokenRuns.length ? 1 : 0;
}

process.exitCode = await main();
