/**
 * Faults in the middle of a run, on the in-memory cluster: a pod that disappears or a node that
 * stops answering must make its cells `error` with the cause, never blocked (which could pass or
 * fail a cell on no evidence). The same faults run for real in test/e2e/faults.e2e.test.ts.
 */
import { expect } from 'chai';
import type { CellResult } from '../../harness/model/run-report.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { exitCodeOf, runAll } from '../../harness/run/runner.js';
import { fakeRunSettings, loadValid } from '../support/fake-run.js';
import { FakeCluster } from '../support/fake-cluster.js';

const settings = fakeRunSettings('f4ult1');

/** Runs scenario 05 (two steps' worth of cells to shop/backend, allowed and denied) with `fault` after step 1. */
async function runWithFault(fault: (cluster: FakeCluster, backend: string) => void) {
  const cluster = new FakeCluster({ unresponsive: new Set(), coreDns: 'up' });
  const scenario = loadValid('scenarios/05-frontend-to-backend-one-port.yaml');
  const twoSteps: Scenario = { ...scenario, steps: [scenario.steps[0]!, { ...scenario.steps[0]!, index: 1 }] };
  const session = {
    ...{ name: 'fake', cni: 'fake', context: 'kind-fake', gw: cluster, sctp: false, ownCluster: true },
    dnsIp: '10.244.0.2',
  };
  const info = { name: 'fake', kind: 'kind' as const, context: 'kind-fake', capabilities: { sctp: false } };
  let injected = false;
  const report = await runAll([twoSteps], [{ session, info, release: async () => undefined }], settings, {
    onStepDone: () => {
      if (!injected) fault(cluster, `shop-${settings.runId}-1`);
      injected = true;
    },
  });
  return { report, after: report.runs[0]!.steps[1]! };
}

const involving = (cells: readonly CellResult[], key: string) => cells.filter((c) => c.from === key || c.to === key);

describe('a run whose pod or node fails mid-run', () => {
  for (const [fault, inject] of [
    ['the pod is deleted', (c: FakeCluster, ns: string) => c.pods.delete(`${ns}/backend`)],
    ['its node is paused', (c: FakeCluster, ns: string) => c.options.unresponsive!.add(`${ns}/backend`)],
  ] as const) {
    it(`${fault}: its cells, to it and from it, are error with the cause (never blocked), and the run exits 2`, async () => {
      const { report, after } = await runWithFault(inject);
      const cells = involving(after.cells, 'shop/backend');
      expect(cells.length).to.be.greaterThan(4);
      expect(
        cells.filter((c) => c.observed !== 'error').map((c) => `${c.from} -> ${c.to}:${c.port} ${c.observed}`),
      ).to.deep.equal([]);
      expect(cells.every((c) => c.verdict === 'inconclusive')).to.equal(true);
      const to = cells.find((c) => c.to === 'shop/backend')!;
      expect(to.detail).to.match(/destination's own exec failed in this round too \(shop-f4ult1-1\/backend: /);
      expect(after.cells.filter((c) => c.verdict === 'fail')).to.deep.equal([]);
      expect(exitCodeOf(report)).to.equal(2);
    });
  }
});

describe('a run whose cluster DNS goes down mid-run (CoreDNS scaled to zero)', () => {
  it('DNS cells are error with the cause (never blocked, never a fail); TCP cells are unaffected; exit 2', async () => {
    const { report, after } = await runWithFault((c) => (c.options.coreDns = 'down'));
    expect(after.dns.length).to.be.greaterThan(0);
    expect(after.dns.map((d) => `${d.from} ${d.observed} ${d.verdict}`)).to.deep.equal(
      after.dns.map((d) => `${d.from} error inconclusive`),
    );
    expect(after.dns[0]!.detail).to.match(/refused .*the cluster DNS has no ready server in kube-system/);
    expect(after.cells.filter((c) => c.verdict !== 'pass' && c.verdict !== 'not-asserted')).to.deep.equal([]);
    expect(exitCodeOf(report)).to.equal(2);
  });
});
