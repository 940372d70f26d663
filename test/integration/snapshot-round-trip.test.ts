/**
 * The round trip of issue 11, on every example scenario, in memory: a scenario deployed by a run
 * that keeps its namespaces, snapshotted from that cluster, replays to the same predicted and
 * observed matrices (on a cluster that enforces the spec; test/e2e/snapshot.e2e.test.ts does it on
 * kind + Calico). Pod cells compare through the namespace names the run gave; external cells by
 * address, where both scenarios have one there (a snapshot makes its externals from the ipBlocks).
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { snapshotCommand } from '../../harness/commands/snapshot.js';
import type { CellResult, ScenarioRun } from '../../harness/model/run-report.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { runScenario } from '../../harness/run/scenario-run.js';
import { type RunSettings } from '../../harness/run/settings.js';
import type { TargetSession } from '../../harness/target/session.js';
import { fakeRunSettings, loadValid } from '../support/fake-run.js';
import { FakeCluster } from '../support/fake-cluster.js';

const settings = (runId: string): RunSettings => fakeRunSettings(runId, { keepNamespaces: true });

/** Run a scenario on a fresh fake cluster whose externals are servers of ours at their addresses. */
async function runOnFake(scenario: Scenario, runId: string): Promise<{ cluster: FakeCluster; run: ScenarioRun }> {
  const servers = scenario.externals.map((e) => ({ ip: e.ip, identity: `external@${e.ip}`, ports: e.ports }));
  const cluster = new FakeCluster({ externals: servers, clusterNetworkPolicy: true });
  const session: TargetSession = {
    name: 'fake',
    cni: 'fake',
    context: 'kind-fake',
    gw: cluster,
    sctp: false,
    ownCluster: true,
    kindCluster: 'fake',
    externals: new Map(servers.map((s) => [s.ip, s.identity])),
  };
  return { cluster, run: await runScenario(session, scenario, 0, settings(runId)) };
}

/** `from -> to port/proto [via]`, with externals by address: the same cell in both scenarios. */
function cellsOf(run: ScenarioRun, scenario: Scenario, rename: (ns: string) => string): Map<string, CellResult> {
  const ipOf = new Map(scenario.externals.map((e) => [`external:${e.name}`, e.ip]));
  const key = (k: string) => ipOf.get(k) ?? `${rename(k.split('/')[0]!)}/${k.split('/')[1]}`;
  const last = run.steps[run.steps.length - 1]!;
  // Cells from nodes, and from externals through NodePorts, are left out: a snapshot carries neither
  // host-network pods nor clients outside the cluster (its externals stand for ipBlocks).
  return new Map(
    last.cells
      .filter((c) => c.via !== 'nodeport' && !c.from.startsWith('node:'))
      .map((c) => [`${key(c.from)} -> ${key(c.to)} ${c.port}/${c.protocol}${c.via ? ` via ${c.via}` : ''}`, c]),
  );
}

describe('round trip: deploy with --keep-namespaces, snapshot, replay: the same matrices', function () {
  this.timeout(60_000);
  const examples = readdirSync('scenarios')
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  for (const file of examples) {
    it(file, async () => {
      const original = loadValid(path.join('scenarios', file));
      const first = await runOnFake(original, 'rt0001');
      expect(first.run.error).to.equal(undefined);
      const real = [...first.cluster.namespaces.keys()];
      const realOf = (logical: string) => real.find((r) => r.startsWith(`${logical}-rt0001`)) ?? logical;

      const dir = mkdtempSync(path.join(tmpdir(), 'nph-round-trip-'));
      try {
        const out = path.join(dir, 'repro.yaml');
        const code = await snapshotCommand(
          { context: 'kind-fake', namespace: real, output: out },
          { out: () => undefined, err: () => undefined },
          { gateway: () => first.cluster, now: () => new Date('2026-11-30T12:00:00Z') },
        );
        expect(code).to.equal(0);
        const snapshot = loadValid(out);
        const second = await runOnFake(snapshot, 'rt0002');
        expect(second.run.error).to.equal(undefined);

        const before = cellsOf(first.run, original, realOf);
        const after = cellsOf(second.run, snapshot, (ns) => ns);
        const pods = [...before.keys()].filter((k) => !/^\d/.test(k) && !/-> \d/.test(k));
        expect(pods.length, 'pod cells').to.be.greaterThan(0);
        const declared = original.workloads.filter((w) => w.service).length;
        const viaService = [...after.keys()].filter((k) => k.endsWith(' via service'));
        if (declared) expect(viaService.length, 'cells through the Services carried').to.be.greaterThan(0);
        for (const k of [...before.keys()].filter((x) => after.has(x) || !/-> \d/.test(x))) {
          const [b, a] = [before.get(k)!, after.get(k)];
          expect(a, `${k} is missing from the replay`).to.not.equal(undefined);
          expect({ predicted: a!.predicted, observed: a!.observed }, k).to.deep.equal({
            predicted: b.predicted,
            observed: b.observed,
          });
        }
        expect(
          [...after.values()].filter((c) => c.verdict === 'fail').map((c) => `${c.from} -> ${c.to}`),
          'the replay passes',
        ).to.deep.equal([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
