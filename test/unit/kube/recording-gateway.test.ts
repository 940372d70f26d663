import { expect } from 'chai';
import type { KubeGateway } from '../../../harness/kube/gateway.js';
import { KubeError } from '../../../harness/kube/gateway.js';
import { recordingGateway } from '../../../harness/kube/recording-gateway.js';

/** Just enough of a gateway: applies of Pods in `locked` are refused. */
function stubGateway(): KubeGateway {
  return {
    apply: async (o) => {
      if (o.metadata.namespace === 'locked') throw new KubeError('forbidden', 403);
    },
    remove: async () => undefined,
    listNamespaces: async () => ['a'],
  } as Partial<KubeGateway> as KubeGateway;
}

describe('recordingGateway', () => {
  it('records each write with the object, its namespace and labels, and every call by method', async () => {
    const rec = recordingGateway(stubGateway());
    await rec.gw.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { run: 'x' } } });
    await rec.gw.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } });
    expect(await rec.gw.listNamespaces('run')).to.deep.equal(['a']);
    expect(rec.writes).to.deep.equal([
      { method: 'apply', apiVersion: 'v1', kind: 'Namespace', name: 'a', labels: { run: 'x' } },
      { method: 'remove', apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'a', labels: {} },
    ]);
    expect(rec.calls.map((c) => `${c.method} ${c.summary}`)).to.deep.equal([
      'apply Namespace a',
      'remove Pod a/p',
      'listNamespaces run',
    ]);
  });

  it('records a refused write with the error, and still throws it', async () => {
    const rec = recordingGateway(stubGateway());
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'locked' } };
    const error = await rec.gw.apply(pod).catch((e: Error) => e);
    expect(error).to.be.instanceOf(KubeError);
    expect(rec.writes[0]?.error).to.equal('forbidden');
  });
});
