import { expect } from 'chai';
import type { KubeGateway } from '../../../harness/kube/gateway.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';
import type { Here } from '../../../harness/model/run-owner.js';
import { removeDeadChecks } from '../../../harness/run/check-context.js';
import { snapshotFromObjects } from '../../../harness/inventory/objects.js';

/** Only remove is asked of the cluster here; it records what was removed. */
function removingGateway(fail: (name: string) => boolean = () => false) {
  const removed: string[] = [];
  const gw = {
    remove: async (o: Pick<KubeObject, 'kind' | 'metadata'>) => {
      if (fail(o.metadata.name)) throw new Error('forbidden');
      removed.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    },
  } as unknown as KubeGateway;
  return { gw, removed };
}

const here: Here = { host: 'laptop', isAlive: (pid) => pid === 100 };
const pod = (name: string, runId: string, owner: string, namespace = 'shop') => ({ namespace, name, runId, owner });

describe('a check removes what killed checks left, and only that', () => {
  it("probe pods of a check whose process on this host is gone: removed with their namespace's owner ConfigMap", async () => {
    const { gw, removed } = removingGateway();
    const { notes, failures } = await removeDeadChecks(
      gw,
      [
        pod('np-check-aaaaaa-0-frontend', 'aaaaaa', 'laptop:200'),
        pod('np-check-aaaaaa-1-api', 'aaaaaa', 'laptop:200', 'payments'),
      ],
      here,
    );
    expect(removed).to.deep.equal([
      'ConfigMap shop/netpol-harness-check-aaaaaa',
      'ConfigMap payments/netpol-harness-check-aaaaaa',
      'Pod shop/np-check-aaaaaa-0-frontend',
      'Pod payments/np-check-aaaaaa-1-api',
    ]);
    expect(notes).to.deep.equal([
      'removed 2 probe pod(s) left by check aaaaaa, whose process (laptop pid 200) is gone',
    ]);
    expect(failures).to.deep.equal([]);
  });
  it("a dead check's owner ConfigMap goes from every namespace this check writes in: it may have had no pod there yet", async () => {
    const { gw, removed } = removingGateway();
    await removeDeadChecks(gw, [pod('np-check-aaaaaa-0-frontend', 'aaaaaa', 'laptop:200')], here, ['shop', 'payments']);
    expect(removed).to.deep.equal([
      'ConfigMap shop/netpol-harness-check-aaaaaa',
      'ConfigMap payments/netpol-harness-check-aaaaaa',
      'Pod shop/np-check-aaaaaa-0-frontend',
    ]);
  });
  it('a check still running here, or made on another host, is left alone and said', async () => {
    const { gw, removed } = removingGateway();
    const { notes } = await removeDeadChecks(
      gw,
      [pod('np-check-bbbbbb-0-x', 'bbbbbb', 'laptop:100'), pod('np-check-cccccc-0-x', 'cccccc', 'ci-runner:7')],
      here,
    );
    expect(removed).to.deep.equal([]);
    expect(notes).to.deep.equal([
      'check bbbbbb (laptop pid 100, running) also has 1 probe pod(s) here: left alone',
      'check cccccc (ci-runner pid 7, elsewhere) also has 1 probe pod(s) here: left alone',
    ]);
  });
  it("pods of `run` (other names, in run namespaces) are not a check's to remove; a failed removal is reported", async () => {
    const { gw, removed } = removingGateway((name) => name.startsWith('np-check'));
    const { failures } = await removeDeadChecks(
      gw,
      [pod('client', 'dddddd', 'laptop:300'), pod('np-check-eeeeee-0-x', 'eeeeee', 'laptop:300')],
      here,
    );
    expect(removed).to.deep.equal(['ConfigMap shop/netpol-harness-check-eeeeee']);
    expect(failures).to.deep.equal(['Pod shop/np-check-eeeeee-0-x (check eeeeee): forbidden']);
  });
});

describe('the inventory never classes a pod of netpol-harness', () => {
  it('pods with the run label are set apart as harness pods, with their run and owner', () => {
    const p = (name: string, labels: Record<string, string>, annotations = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels, annotations },
    });
    const snapshot = snapshotFromObjects({
      allNamespaces: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
      namespaces: ['shop'],
      pods: [
        p('frontend-1', { app: 'frontend' }),
        p(
          'np-check-aaaaaa-0-frontend',
          { app: 'frontend', 'netpol-harness/run': 'aaaaaa' },
          {
            'netpol-harness/owner': 'laptop:200',
          },
        ),
      ],
      services: [],
      policies: [],
      controllers: [],
    });
    expect(snapshot.pods.map((x) => x.name)).to.deep.equal(['frontend-1']);
    expect(snapshot.harnessPods).to.deep.equal([
      { namespace: 'shop', name: 'np-check-aaaaaa-0-frontend', runId: 'aaaaaa', owner: 'laptop:200' },
    ]);
  });
});
