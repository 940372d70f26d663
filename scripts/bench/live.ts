/**
 * npm run bench:live: on a warm kind + Calico cluster (created and kept if missing), a 9-pod,
 * 3-namespace, 2-port scenario with policy changes, each pod behind its own Service. Prints: one full
 * probe round (81 pairs x 2 ports + 9 DNS cells) on the pod path only and on pod + service paths,
 * each step including policy propagation, and 20 such scenarios at once.
 */
import { performance } from 'node:perf_hooks';
import { prepareKindTarget } from '../../harness/cluster/kind-target.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import { predictStep } from '../../harness/engine/predict-step.js';
import { newRunId } from '../../harness/model/cluster-names.js';
import { formatOwner } from '../../harness/model/run-owner.js';
import { countVerdicts } from '../../harness/model/run-report.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { planProbes } from '../../harness/probe/plan.js';
import { deployScenario } from '../../harness/run/deploy.js';
import { probeRound } from '../../harness/run/probe-round.js';
import { ProbeShells } from '../../harness/run/probe-shells.js';
import { reconcileStep } from '../../harness/run/reconcile.js';
import { NO_OVERRIDES } from '../../harness/run/topology.js';
import { runAll } from '../../harness/run/runner.js';
import { removeScenarioNamespaces, runScenario } from '../../harness/run/scenario-run.js';
import { defaultSettings } from '../../harness/run/settings.js';
import { loadScenario } from '../../harness/scenario/load.js';
import { withProbePaths } from '../../harness/scenario/services.js';

const io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) };
const image = process.env['NETPOL_HARNESS_PROBE_IMAGE'] ?? probeImage(loadClusterVersions());
// Every pod gets the upstream suite's Service, so each round can be timed pod-only and on two paths.
const scenario = withProbePaths(loadScenario('scripts/bench/live-scenario.yaml').scenario!, {
  via: ['pod', 'service'],
  services: 'all',
});
const target = await prepareKindTarget({ cni: 'calico', keep: true, images: [image] }, io.err);
const prober = process.env['NETPOL_HARNESS_PROBER'] === 'tools' ? 'tools' : 'batch';
const settings = defaultSettings(newRunId(), { image: { image, pullPolicy: 'IfNotPresent' }, prober });
console.log(`prober: ${prober}`);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  // 1. One full round on a deployed scenario, repeated.
  const t0 = performance.now();
  const deployment = await deployScenario(target.session.gw, scenario, {
    runId: settings.runId,
    owner: formatOwner(settings.owner),
    lane: 0,
    deployment: '',
    image: settings.image,
    sctp: false,
    spread: true,
    podReadyTimeoutMs: 180_000,
  });
  console.log(`deploy 9 pods (Ready, every port answering): ${s(performance.now() - t0)}`);
  const shells = new ProbeShells(target.session.gw);
  const ctx = {
    gw: target.session.gw,
    scenario,
    deployment,
    runId: settings.runId,
    owner: formatOwner(settings.owner),
    lane: 0,
    image: settings.image,
    sctp: false,
    spread: true,
  };
  for (const [i, step] of scenario.steps.entries()) {
    await reconcileStep(ctx, step, { policies: new Set(), labels: NO_OVERRIDES });
    const both = predictStep(scenario, step, new Map([...deployment.placements].map(([k, p]) => [k, p.ip])));
    // The same step on the pod path only (the round the issue compares with) and on both paths.
    for (const [paths, prediction] of [
      ['pod only', { ...both, cells: both.cells.filter((c) => !c.via) }],
      ['pod + service', both],
    ] as const) {
      const plan = planProbes(
        prediction,
        (k) => deployment.placements.get(k),
        settings.timeouts,
        { sctp: false },
        settings.prober,
        { services: (k) => deployment.services.get(k) },
      );
      const times: number[] = [];
      for (let r = 0; r < 4; r++)
        times.push(
          (
            await probeRound(
              shells.run,
              plan,
              { cells: prediction.cells.length, dns: prediction.dns.length },
              { ...settings.round, timeouts: settings.timeouts },
            )
          ).durationMs,
        );
      if (i < 2)
        console.log(
          `probe round, step ${step.name}, ${paths} ` +
            `(${prediction.cells.length} cells + ${prediction.dns.length} DNS, ` +
            `${prediction.cells.filter((c) => !c.predicted).length} blocked): ` +
            `median ${s(median(times))} of ${times.map(s).join(', ')}`,
        );
    }
  }
  await shells.close();
  await removeScenarioNamespaces(target.session.gw, settings.runId);

  // 2. Steps including propagation, through the real runner.
  const run = await runScenario(target.session, scenario, 1, settings);
  for (const step of run.steps) {
    const n = countVerdicts([...step.cells, ...step.dns]);
    console.log(
      `step ${step.name.padEnd(14)} ${s(step.durationMs)} ` +
        `(settled ${s(step.convergence.settledAfterMs)}, ${step.convergence.rounds} rounds; ` +
        `${n.pass} pass, ${n.fail} fail, ${n.inconclusive} inconclusive)`,
    );
  }
  console.log(
    `scenario (deploy + ${run.steps.length} steps + cleanup): ${s(run.durationMs)}` +
      (run.error ? ` ERROR ${run.error}` : ''),
  );

  // 3. 20 scenarios at once, each in its own namespaces.
  const copies: Scenario[] = Array.from({ length: 20 }, (_, i) => ({ ...scenario, name: `bench-live-${i}` }));
  const t1 = performance.now();
  const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 5);
  // BENCH_FRESH_PODS=1: new pods for every scenario (run --fresh-pods), the way it was before lanes.
  const reusePods = !process.env['BENCH_FRESH_PODS'];
  const report = await runAll(copies, [{ ...target, release: async () => undefined }], {
    ...settings,
    runId: newRunId(),
    scenarioConcurrency: concurrency,
    podReadyTimeoutMs: 300_000,
    reusePods,
  });
  const cells = report.runs.flatMap((r) => r.steps.flatMap((st) => st.cells));
  const n = countVerdicts(cells);
  console.log(
    `20 scenarios, ${concurrency} at a time, ` +
      `${reusePods ? 'reusing pods of the same shape' : 'fresh pods for each'}: ` +
      `${s(performance.now() - t1)} (${cells.length} cells: ${n.pass} pass, ${n.fail} fail, ` +
      `${n.inconclusive} inconclusive; ${report.runs.filter((r) => r.error).length} errored)`,
  );
  for (const problem of [
    ...report.targets.flatMap((t) => (t.error ? [t.error] : [])),
    ...report.runs.flatMap((r) => (r.error ? [`${r.scenario}: ${r.error}`] : [])),
  ].slice(0, 3))
    console.log(`  ${problem}`);
} finally {
  await removeScenarioNamespaces(target.session.gw, settings.runId).catch(() => undefined);
}
