import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { countVerdicts } from '../../harness/model/run-report.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import { Lane } from '../../harness/run/lane.js';
import { topologySignature } from '../../harness/model/topology-signature.js';
import { runAll } from '../../harness/run/runner.js';
import type { ScenarioRun } from '../../harness/model/run-report.js';
import { runScenario } from '../../harness/run/scenario-run.js';
import { type TargetSession } from '../../harness/target/session.js';
import { fakeRunSettings, loadValid } from '../support/fake-run.js';
import { FakeCluster, fakeSession, type FakeClusterOptions } from '../support/fake-cluster.js';

const settings = fakeRunSettings('t3st01');

function target(options: FakeClusterOptions = {}): { cluster: FakeCluster; session: TargetSession } {
  const cluster = new FakeCluster(options);
  return { cluster, session: fakeSession(cluster) };
}

describe('a live run against a cluster that enforces the spec (in-memory fake)', () => {
  const upstream = readdirSync('test/fixtures/upstream')
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const file of upstream) {
    it(`upstream ${file.replace('.yaml', '')}: every asserted TCP/UDP cell passes, SCTP is unsupported, nothing is left behind`, async () => {
      const { cluster, session } = target();
      const run = await runScenario(session, loadValid(path.join('test/fixtures/upstream', file)), 0, settings);
      expect(run.error).to.equal(undefined);
      for (const step of run.steps) {
        const tcpUdp = step.cells.filter((c) => c.protocol !== 'SCTP');
        expect(
          countVerdicts(tcpUdp).fail,
          `step ${step.name}: ${JSON.stringify(tcpUdp.find((c) => c.verdict === 'fail'))}`,
        ).to.equal(0);
        expect(tcpUdp.filter((c) => c.verdict === 'pass').length).to.be.greaterThan(0);
        expect(
          step.cells
            .filter((c) => c.protocol === 'SCTP')
            .every((c) => c.observed === 'unsupported' && c.verdict === 'inconclusive'),
        ).to.equal(true);
      }
      expect(cluster.namespaces.size, 'namespaces deleted').to.equal(0);
    });
  }

  it('uses run-unique real namespace names, and a failing cell carries a kubectl exec line that reproduces it', async () => {
    const { cluster, session } = target();
    const scenario = loadValid('scenarios/05-frontend-to-backend-one-port.yaml');
    const wrong: Scenario = {
      ...scenario,
      steps: scenario.steps.map((s) => ({ ...s, expect: { ...s.expect, default: 'allow', rules: [], matrices: [] } })),
    };
    const run = await runScenario(session, wrong, 3, { ...settings, keepNamespaces: true });
    expect([...cluster.namespaces.keys()].every((n) => n.endsWith('-t3st01-3'))).to.equal(true);
    const failing = run.steps[0]!.cells.filter((c) => c.verdict === 'fail');
    expect(failing.length).to.be.greaterThan(0);
    expect(
      failing.every((c) => c.diagnosis === 'policy'),
      'the cluster did what the spec says: the expectation is wrong',
    ).to.equal(true);
    expect(failing[0]!.reproduce).to.match(
      /^kubectl --context kind-fake exec -n \S+-t3st01-3 \S+ -- \/netpol-server probe --timeout 1s \d+=(tcp|udp):/,
    );
  });
});

describe('the two probers agree', () => {
  for (const file of ['ports.yaml', 'udp-ports.yaml', 'stop-enforcing-after-delete.yaml']) {
    it(`${file}: curl / agnhost / nslookup (tools) gives the verdicts the batch prober gives`, async () => {
      const scenario = loadValid(path.join('test/fixtures/upstream', file));
      const verdicts = async (prober: 'batch' | 'tools') =>
        (await runScenario(target().session, scenario, 0, { ...settings, prober })).steps.flatMap((s) =>
          [...s.cells, ...s.dns].map((c) => `${c.from}>${'to' in c ? c.to : c.name}:${c.verdict}:${c.observed}`),
        );
      const batch = await verdicts('batch');
      expect(batch.some((v) => v.endsWith(':pass:allowed')) && batch.some((v) => v.endsWith(':pass:dropped'))).to.equal(
        true,
      );
      expect(await verdicts('tools')).to.deep.equal(batch);
    });
  }
});

describe('a live run where the cluster misbehaves', () => {
  it('a cluster that enforces nothing is caught by the canary, with evidence', async () => {
    const { session } = target({ enforce: false });
    const enforcement = await checkEnforcement(session, settings);
    expect(enforcement.enforced).to.equal(false);
    expect(enforcement.evidence).to.contain('still allowed');
  });
  it('an enforcing cluster passes the canary', async () => {
    const { session } = target({ blocked: 'refused' });
    const enforcement = await checkEnforcement(session, settings);
    expect(enforcement).to.include({ enforced: true });
    expect(enforcement.evidence).to.contain('refused');
  });
  it('on a non-enforcing cluster, denied cells fail as cluster faults (predicted != observed)', async () => {
    const { session } = target({ enforce: false });
    const run = await runScenario(session, loadValid('scenarios/01-default-deny-ingress.yaml'), 0, settings);
    const counts = countVerdicts(run.steps.flatMap((s) => s.cells));
    expect(counts.fail).to.be.greaterThan(0);
    expect(counts.clusterFaults).to.equal(counts.fail);
  });
  it('a broken exec makes that source inconclusive, never blocked', async () => {
    const scenario = loadValid('scenarios/01-default-deny-ingress.yaml');
    const probeOnce = await runScenario(target().session, scenario, 0, { ...settings, keepNamespaces: true });
    expect(probeOnce.error).to.equal(undefined);
    const victim = scenario.workloads[0]!;
    const { session } = target({ brokenExec: new Set([`${victim.namespace}-t3st01/${victim.name}`]) });
    const run = await runScenario(session, scenario, 0, settings);
    const fromVictim = run.steps[0]!.cells.filter((c) => c.from === `${victim.namespace}/${victim.name}`);
    expect(fromVictim.length).to.be.greaterThan(0);
    expect(fromVictim.every((c) => c.observed === 'error' && c.verdict === 'inconclusive')).to.equal(true);
    expect(fromVictim[0]!.detail).to.contain('not found');
  });
  it('waits for a slow CNI instead of sleeping, and records how long it took', async () => {
    const { session } = target({ propagationMs: 150 });
    const run = await runScenario(session, loadValid('scenarios/01-default-deny-ingress.yaml'), 0, {
      ...settings,
      converge: { stableRounds: 2, timeoutMs: 2000, intervalMs: 20 },
    });
    const step = run.steps[0]!;
    expect(countVerdicts(step.cells).fail).to.equal(0);
    expect(step.convergence.rounds).to.be.greaterThan(2);
    expect(step.convergence.settledAfterMs).to.be.at.least(100);
    expect(step.convergence.stable).to.equal(true);
  });
});

describe('a flapping cluster', () => {
  it('reports cells that never hold still as inconclusive (flapping), not as pass or fail', async () => {
    const { cluster, session } = target();
    let call = 0;
    const exec = cluster.exec.bind(cluster);
    // Every other round (one exec per source: four sources), the whole cluster forgets its policies.
    const sources = loadValid('scenarios/01-default-deny-ingress.yaml').workloads.length;
    // The fake answers synchronously at call time, so setting the flag just before the call is race-free.
    cluster.exec = (...args) => {
      cluster.options.enforce = Math.floor(call++ / sources) % 2 === 0;
      return exec(...args);
    };
    const run = await runScenario(session, loadValid('scenarios/01-default-deny-ingress.yaml'), 0, {
      ...settings,
      converge: { stableRounds: 2, timeoutMs: 100, intervalMs: 1 },
    });
    const step = run.steps[0]!;
    expect(step.convergence.stable).to.equal(false);
    const denied = step.cells.filter((c) => c.expected === 'deny');
    expect(denied.length).to.be.greaterThan(0);
    expect(denied.every((c) => c.verdict === 'inconclusive' && /flapping|still changing/.test(c.detail))).to.equal(
      true,
    );
    expect(countVerdicts(step.cells).fail).to.equal(0);
  });
});

describe('reconciling steps', () => {
  it('applies each pod once for a one-step scenario, and relabels only when a step changes labels', async () => {
    const { cluster, session } = target();
    const pods: string[] = [];
    const apply = cluster.apply.bind(cluster);
    cluster.apply = (object) => {
      if (object.kind === 'Pod') pods.push(`${object.metadata.namespace}/${object.metadata.name}`);
      return apply(object);
    };
    const oneStep = loadValid('scenarios/01-default-deny-ingress.yaml');
    await runScenario(session, oneStep, 0, settings);
    expect(pods.length).to.equal(oneStep.workloads.length);
    pods.length = 0;
    const relabelled = loadValid('test/fixtures/upstream/ingress-from-updated-pod.yaml');
    const run = await runScenario(session, relabelled, 1, settings);
    expect(countVerdicts(run.steps.flatMap((s) => s.cells.filter((c) => c.protocol !== 'SCTP'))).fail).to.equal(0);
    expect(pods.length, 'deploy once, then one relabel').to.equal(relabelled.workloads.length * 2);
  });
});

describe('externals', () => {
  const scenario = loadValid('scenarios/09-egress-to-external-cidr.yaml');
  const servers = scenario.externals.map((e) => ({ ip: e.ip, identity: `external@${e.ip}`, ports: e.ports }));

  it('with servers at their declared addresses, every external cell is probed and judged like any other', async () => {
    const { session } = target({ externals: servers });
    const run = await runScenario(
      { ...session, kindCluster: 'fake', externals: new Map(servers.map((s) => [s.ip, s.identity])) },
      scenario,
      0,
      settings,
    );
    const external = run.steps[0]!.cells.filter((c) => c.to.startsWith('external:'));
    expect(external).to.have.length(4 * 3);
    expect(external.every((c) => c.verdict === 'pass')).to.equal(true);
    const partner = external.find((c) => c.from === 'payments/payment-gateway' && c.to === 'external:partner-api')!;
    expect(partner.observed).to.equal('allowed');
    expect(partner.detail).to.contain('external@203.0.113.10');
    expect(
      external.find((c) => c.from === 'payments/payment-gateway' && c.to === 'external:partner-sandbox')!.observed,
    ).to.equal('dropped');
  });

  it('an external answered by the wrong server is an error, never allowed', async () => {
    const { session } = target({ externals: servers.map((s) => ({ ...s, identity: 'external@somewhere-else' })) });
    const run = await runScenario(
      { ...session, kindCluster: 'fake', externals: new Map(servers.map((s) => [s.ip, s.identity])) },
      scenario,
      0,
      settings,
    );
    const partner = run.steps[0]!.cells.find(
      (c) => c.from === 'payments/payment-gateway' && c.to === 'external:partner-api',
    )!;
    expect(partner.observed).to.equal('error');
    expect(partner.verdict).to.equal('inconclusive');
  });

  it("on an existing cluster with --probe-externals, the user's own servers are probed by handshake and judged", async () => {
    const { session } = target({ externals: servers });
    const run = await runScenario({ ...session, probeForeignExternals: true }, scenario, 0, {
      ...settings,
      prober: 'tools',
    });
    const external = run.steps[0]!.cells.filter((c) => c.to.startsWith('external:'));
    expect(external.every((c) => c.verdict === 'pass')).to.equal(true);
    expect(external.filter((c) => c.observed === 'allowed').length).to.be.greaterThan(0);
    expect(external[0]!.reproduce).to.contain('/agnhost connect --protocol=tcp');
  });

  it('without servers (an existing cluster), external cells are unsupported with the reason, and the rest is judged', async () => {
    const run = await runScenario(target().session, scenario, 0, settings);
    const external = run.steps[0]!.cells.filter((c) => c.to.startsWith('external:'));
    expect(
      external.every(
        (c) => c.observed === 'unsupported' && c.detail.includes('externals are started only beside kind targets'),
      ),
    ).to.equal(true);
    expect(
      run.steps[0]!.cells.filter((c) => !c.to.startsWith('external:')).every((c) => c.verdict !== 'inconclusive'),
    ).to.equal(true);
  });
});

describe('a loaded node where open paths answer slower than the probe timeout', () => {
  it('confirms each unexpected drop with a longer probe, so an open path is allowed, not a cluster fault', async () => {
    const { session } = target({ slowConnectSeconds: 2 });
    const run = await runScenario(session, loadValid('scenarios/01-default-deny-ingress.yaml'), 0, {
      ...settings,
      converge: { stableRounds: 2, timeoutMs: 100, intervalMs: 1 },
    });
    const cells = run.steps[0]!.cells;
    const open = cells.filter((c) => c.predicted && c.verdict !== 'not-asserted');
    expect(open.length).to.be.greaterThan(0);
    expect(
      open.every(
        (c) =>
          c.observed === 'allowed' &&
          c.verdict === 'pass' &&
          c.detail.includes('answered a confirming probe with a 3 s timeout'),
      ),
    ).to.equal(true);
    expect(countVerdicts(cells).fail).to.equal(0);
  });

  it('an open path that times out only in some rounds (a loaded node) is confirmed at once, not reported as flapping', async () => {
    const { cluster, session } = target();
    const scenario = loadValid('scenarios/01-default-deny-ingress.yaml');
    let call = 0;
    const exec = cluster.exec.bind(cluster);
    // Every other round (one exec per source), the node is so busy that open paths miss a 1 s timeout.
    cluster.exec = (...args) => {
      const script = String(args[3].at(-1));
      if (!script.includes('--timeout 3s'))
        cluster.options.slowConnectSeconds = Math.floor(call++ / scenario.workloads.length) % 2 === 1 ? 2 : 0;
      return exec(...args);
    };
    const run = await runScenario(session, scenario, 0, {
      ...settings,
      converge: { stableRounds: 2, timeoutMs: 300, intervalMs: 1 },
    });
    const cells = run.steps[0]!.cells.filter((c) => c.verdict !== 'not-asserted');
    expect(call, 'a round ran with the slow node').to.be.at.least(2 * scenario.workloads.length);
    expect(
      cells.some((c) => c.detail.includes('answered a confirming probe')),
      'the slow round was confirmed',
    ).to.equal(true);
    expect(
      cells.filter((c) => c.flapping || c.verdict !== 'pass').map((c) => `${c.from}>${c.to} ${c.verdict} ${c.detail}`),
    ).to.deep.equal([]);
  });

  it('a path that stays silent for the longer probe too is a confirmed drop: a cluster fault', async () => {
    const { session } = target({ slowConnectSeconds: 10 });
    const run = await runScenario(session, loadValid('scenarios/01-default-deny-ingress.yaml'), 0, {
      ...settings,
      converge: { stableRounds: 2, timeoutMs: 100, intervalMs: 1 },
    });
    const open = run.steps[0]!.cells.filter((c) => c.predicted && c.verdict !== 'not-asserted');
    expect(
      open.every(
        (c) =>
          c.observed === 'dropped' &&
          c.verdict === 'fail' &&
          c.diagnosis === 'cluster' &&
          c.detail.includes('confirmed'),
      ),
    ).to.equal(true);
  });
});

describe('scenarios of one shape share pods (lanes)', () => {
  const upstream = readdirSync('test/fixtures/upstream')
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .slice(0, 8)
    .map((f) => loadValid(path.join('test/fixtures/upstream', f)));
  const verdicts = (runs: ScenarioRun[]) =>
    runs.map((r) =>
      r.steps
        .map((s) =>
          s.cells.map((c) => `${c.from}>${c.to}:${c.port}/${c.protocol}:${c.verdict}:${c.observed}`).join(' '),
        )
        .join(' | '),
    );

  it("deploys each lane's pods once for a run of same-shape scenarios, with the verdicts fresh pods give", async () => {
    const shared = target();
    const report = await runAll(
      upstream,
      [
        {
          session: shared.session,
          info: { name: 'fake', kind: 'kind', context: 'kind-fake', capabilities: { sctp: false } },
          release: async () => undefined,
        },
      ],
      { ...settings, scenarioConcurrency: 2 },
    );
    const CANARY_PODS = 2;
    expect(shared.cluster.podCreations).to.equal(CANARY_PODS + 2 * 9);
    expect(report.runs.map((r) => r.scenario)).to.deep.equal(upstream.map((s) => s.name));
    const fresh = target();
    const alone = await runAll(
      upstream,
      [
        {
          session: fresh.session,
          info: { name: 'fake', kind: 'kind', context: 'kind-fake', capabilities: { sctp: false } },
          release: async () => undefined,
        },
      ],
      { ...settings, scenarioConcurrency: 2, reusePods: false },
    );
    expect(fresh.cluster.podCreations).to.equal(CANARY_PODS + upstream.length * 9);
    expect(verdicts(report.runs as ScenarioRun[])).to.deep.equal(verdicts(alone.runs as ScenarioRun[]));
    expect(
      report.runs
        .flatMap((r) => r.steps.flatMap((s) => s.cells))
        .every((c) => (c.verdict !== 'fail' && c.verdict !== 'inconclusive') || c.observed === 'unsupported'),
    ).to.equal(true);
  });

  it("a scenario on reused pods starts from its own labels and policies: the last scenario's are gone", async () => {
    const { cluster, session } = target();
    const lane = new Lane(1, cluster, settings.runId, false);
    const denyAll = upstream.find((s) => s.steps[0]!.policies.length > 0)!;
    const open: Scenario = { ...denyAll, name: 'open', steps: [{ ...denyAll.steps[0]!, policies: [] }] };
    await runScenario(session, denyAll, lane, settings);
    expect(cluster.policies.size).to.be.greaterThan(0);
    const run = await runScenario(session, open, lane, settings);
    expect([...cluster.policies.values()].every((history) => history.every((h) => h.deletedAt !== undefined))).to.equal(
      true,
    );
    expect(
      run.steps[0]!.cells.filter((c) => c.verdict !== 'not-asserted' && c.protocol !== 'SCTP').every(
        (c) => c.observed === 'allowed' && c.verdict === 'pass',
      ),
    ).to.equal(true);
    expect(cluster.podCreations).to.equal(9);
    await lane.release();
    expect(cluster.namespaces.size).to.equal(0);
  });

  it('a scenario that ends relabelled leaves pods another scenario cannot take as they are: it gets fresh ones', async () => {
    const { cluster, session } = target();
    const lane = new Lane(1, cluster, settings.runId, false);
    const relabelling = loadValid('test/fixtures/upstream/deny-ingress-to-updated-pod.yaml');
    const plain = upstream.find((s) => s.steps.length === 1)!;
    expect(topologySignature(relabelling)).to.equal(topologySignature(plain));
    await runScenario(session, relabelling, lane, settings);
    await runScenario(session, plain, lane, settings);
    expect(cluster.podCreations).to.equal(2 * 9);
    await lane.release();
  });

  it('with --fresh-pods every scenario gets new namespaces, never ones still terminating', async () => {
    const { cluster, session } = target({ terminatingMs: 60_000 });
    const lane = new Lane(1, cluster, settings.runId, false);
    const runs = [];
    for (const scenario of upstream.slice(0, 3))
      runs.push(await runScenario(session, scenario, lane, { ...settings, reusePods: false }));
    expect(runs.map((r) => r.error)).to.deep.equal([undefined, undefined, undefined]);
    expect(cluster.podCreations).to.equal(3 * 9);
    await lane.release();
  });

  it("a scenario of another shape gets fresh pods: the lane's old namespaces go first", async () => {
    const { cluster, session } = target();
    const lane = new Lane(1, cluster, settings.runId, false);
    await runScenario(session, upstream[0]!, lane, settings);
    const other = loadValid('scenarios/01-default-deny-ingress.yaml');
    await runScenario(session, other, lane, settings);
    // New names: the old namespaces may still be terminating, and nothing can be created in those.
    expect([...cluster.namespaces.keys()].sort()).to.deep.equal(
      other.namespaces.map((n) => `${n.name}-t3st01-1-1`).sort(),
    );
    await lane.release();
  });
});
