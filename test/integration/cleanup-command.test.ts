import { expect } from 'chai';
import { hostname } from 'node:os';
import { cleanTarget } from '../../harness/commands/cleanup.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { FakeCluster } from '../support/fake-cluster.js';

const DEAD = 4_194_305; // above pid_max: no live process has it

function ns(name: string, runId: string, owner: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'netpol-harness/run': runId }, annotations: { 'netpol-harness/owner': owner } },
  };
}

async function cluster(): Promise<FakeCluster> {
  const c = new FakeCluster();
  await c.apply(ns('a-dead01', 'dead01', `${hostname()}:${DEAD}`));
  await c.apply(ns('a-away01', 'away01', 'ci-runner-7:4242'));
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: {} } });
  return c;
}

function io() {
  const out: string[] = [];
  return { out, io: { out: (t: string) => out.push(t), err: (t: string) => out.push(t) } };
}

describe('netpol-harness cleanup', () => {
  it('removes only the namespaces of runs whose process here is gone, never a namespace without the run label', async () => {
    const c = await cluster();
    const o = io();
    expect(await cleanTarget({ name: 'kind-x', gw: c }, {}, o.io)).to.deep.equal([]);
    expect([...c.namespaces.keys()].sort()).to.deep.equal(['a-away01', 'payments']);
    expect(o.out).to.include(
      `kind-x: removing a-dead01 (run dead01: 1 namespace(s), its process (${hostname()} pid ${DEAD}) is gone)`,
    );
    expect(o.out).to.include(
      'kind-x: left alone: run away01: 1 namespace(s), made on ci-runner-7 pid 4242: it may still be running there (--run away01 removes them)',
    );
  });
  it('--run removes the named run whatever its owner, and only it', async () => {
    const c = await cluster();
    await cleanTarget({ name: 'kind-x', gw: c }, { run: 'away01' }, io().io);
    expect([...c.namespaces.keys()].sort()).to.deep.equal(['a-dead01', 'payments']);
  });
  it('--dry-run says what it would remove and removes nothing', async () => {
    const c = await cluster();
    const o = io();
    await cleanTarget({ name: 'kind-x', gw: c }, { dryRun: true }, o.io);
    expect(c.namespaces.size).to.equal(3);
    expect(o.out.some((l) => l.startsWith('kind-x: would remove a-dead01'))).to.equal(true);
  });
});
