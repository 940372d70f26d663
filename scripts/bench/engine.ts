/**
 * npm run bench: the engine on a generated cluster (200 workloads, 10 namespaces, 300 policies,
 * 2 ports each = 80,000 cells). Prints load and predict times, cells/second and peak memory.
 */
import { performance } from 'node:perf_hooks';
import { predictScenario } from '../../harness/engine/predict-step.js';
import { resolveExpectations } from '../../harness/model/expectations.js';
import { loadScenario } from '../../harness/scenario/load.js';
import { BENCH_SIZE, generateScenario } from './generate.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const text = generateScenario(BENCH_SIZE);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadTimes: number[] = [];
const predictTimes: number[] = [];
let cells = 0;
let allowed = 0;
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const { scenario, diagnostics } = loadScenario('bench.yaml', { readText: () => ({ text }) });
  const t1 = performance.now();
  if (!scenario) throw new Error(`generated scenario is invalid: ${diagnostics[0]?.message}`);
  const steps = predictScenario(scenario);
  for (const p of steps) resolveExpectations(p.step.expect, p.cells);
  const t2 = performance.now();
  loadTimes.push(t1 - t0);
  predictTimes.push(t2 - t1);
  cells = steps.reduce((n, p) => n + p.cells.length, 0);
  allowed = steps.reduce((n, p) => n + p.cells.filter((c) => c.predicted).length, 0);
}

const predictMs = median(predictTimes);
const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  `engine benchmark: ${BENCH_SIZE.workloads} workloads, ${BENCH_SIZE.namespaces} namespaces, ` +
    `${BENCH_SIZE.policies} policies, ${BENCH_SIZE.portsPerWorkload} ports each ` +
    `(${(text.length / 1024).toFixed(0)} KiB of YAML)`,
);
console.log(`  cells:             ${cells} (${allowed} allowed, ${cells - allowed} blocked)`);
console.log(`  load + validate:   ${median(loadTimes).toFixed(0)} ms (median of ${RUNS})`);
console.log(`  predict + expect:  ${predictMs.toFixed(0)} ms (median of ${RUNS})`);
console.log(`  cells/second:      ${Math.round(cells / (predictMs / 1000)).toLocaleString('en-US')}`);
console.log(`  peak memory (RSS): ${peakMiB.toFixed(0)} MiB`);
const target = 2000;
const total = median(loadTimes) + predictMs;
console.log(
  `  target: full matrix in < ${target} ms -> ${total < target ? 'met' : 'MISSED'} ` +
    `(${total.toFixed(0)} ms load + predict)`,
);
