import { expect } from 'chai';
import { predictStep } from '../../../harness/engine/predict-step.js';
import { planProbes, type Placement } from '../../../harness/probe/plan.js';
import { externalPlacement } from '../../../harness/run/scenario-run.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const scenario = loadScenario('scenarios/09-egress-to-external-cidr.yaml').scenario!;
const prediction = predictStep(scenario, scenario.steps[0]!);
const pods = (key: string): Placement | undefined =>
  key.includes('/') ? { namespace: 'ns-r1', pod: key.split('/')[1]!, ip: '10.244.1.9' } : undefined;
const externalCells = (plan: ReturnType<typeof planProbes>) =>
  plan.sources
    .flatMap((s) => s.probes)
    .filter((p) => p.subject.kind === 'cell' && prediction.cells[p.subject.index]!.to.kind === 'external');

describe('externals in a probe plan', () => {
  it('an external with a server beside the target is probed at its declared address, and must answer with its identity', () => {
    const target = {
      kindCluster: 'netpol-harness-calico',
      externals: new Map([
        ['203.0.113.10', 'external@203.0.113.10'],
        ['203.0.113.200', 'external@203.0.113.200'],
        ['198.51.100.20', 'external@198.51.100.20'],
      ]),
    };
    const plan = planProbes(
      prediction,
      (key) => pods(key) ?? externalPlacement(target, scenario, key),
      { connectSeconds: 1, totalSeconds: 2 },
      { sctp: false },
    );
    const probes = externalCells(plan);
    expect(probes).to.have.length(4 * 3);
    const partner = probes.find((p) => p.target.kind === 'connect' && p.target.ip === '203.0.113.10')!;
    expect(partner.identity).to.equal('external@203.0.113.10');
    expect(partner.batch).to.equal('tcp:203.0.113.10:443');
    expect(plan.skipped).to.deep.equal([]);
  });

  it('an external that could not be started is not probed, and its cells say why', () => {
    const target = {
      kindCluster: 'netpol-harness-calico',
      externals: new Map([['203.0.113.10', 'external@203.0.113.10']]),
      externalsUnavailable: new Map([
        ['198.51.100.20', 'docker could not create a network for 198.51.100.0/24: Pool overlaps'],
      ]),
    };
    const plan = planProbes(
      prediction,
      (key) => pods(key) ?? externalPlacement(target, scenario, key),
      { connectSeconds: 1, totalSeconds: 2 },
      { sctp: false },
    );
    expect(externalCells(plan)).to.have.length(4);
    const reasons = new Set(plan.skipped.map((s) => s.reason));
    expect([...reasons]).to.deep.equal([
      'external:partner-sandbox (203.0.113.200) is not probed: no server was started for it',
      'external:analytics (198.51.100.20) is not probed: docker could not create a network for 198.51.100.0/24: Pool overlaps',
    ]);
  });

  it("on an existing cluster with --probe-externals, externals are the user's own servers: a TCP handshake is the evidence", () => {
    const plan = planProbes(
      prediction,
      (key) => pods(key) ?? externalPlacement({ probeForeignExternals: true }, scenario, key),
      { connectSeconds: 1, totalSeconds: 2 },
      { sctp: false },
    );
    const partner = externalCells(plan).find((p) => p.target.kind === 'connect' && p.target.ip === '203.0.113.10')!;
    expect(partner.batch).to.equal('tcpconnect:203.0.113.10:443');
    expect(partner.identity).to.equal(undefined);
    const tools = planProbes(
      prediction,
      (key) => pods(key) ?? externalPlacement({ probeForeignExternals: true }, scenario, key),
      { connectSeconds: 1, totalSeconds: 2 },
      { sctp: false },
      'tools',
    );
    expect(externalCells(tools)[0]!.argv).to.deep.equal([
      '/agnhost',
      'connect',
      '--protocol=tcp',
      '--timeout=1s',
      '203.0.113.10:443',
    ]);
  });

  it('on an existing cluster externals are never probed (no address there is ours), with the reason', () => {
    const where = externalPlacement({}, scenario, 'external:partner-api');
    expect(where).to.deep.equal({
      unavailable:
        'external:partner-api (203.0.113.10) is not probed: externals are started only beside kind targets; on an existing cluster pass --probe-externals to probe your own servers at the declared addresses',
    });
  });
});
