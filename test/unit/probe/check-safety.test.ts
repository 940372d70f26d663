import { expect } from 'chai';
import { unsafeSources } from '../../../harness/probe/check-safety.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';

const service = (name: string, selector: Record<string, string>, publish?: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop' },
  spec: { clusterIP: 'None', selector, ...(publish === undefined ? {} : { publishNotReadyAddresses: publish }) },
});
const klass = (name: string, labels: Record<string, string>, namespace = 'shop', hostNetwork = false) => ({
  key: `${namespace}/${name}`,
  namespace,
  labels,
  hostNetwork,
});
const classes = [
  klass('redis-0', { app: 'redis', 'statefulset.kubernetes.io/pod-name': 'redis-0' }),
  klass('frontend', { app: 'frontend' }),
  klass('redis', { app: 'redis' }, 'payments'),
];

describe('check safety: a probe pod must never be an endpoint of a Service', () => {
  it('a Service that publishes not-ready addresses makes the classes it selects unsafe sources, saying why', () => {
    const unsafe = unsafeSources([service('redis-headless', { app: 'redis' }, true)], classes);
    expect([...unsafe.keys()]).to.deep.equal(['shop/redis-0']);
    expect(unsafe.get('shop/redis-0')).to.match(/Service shop\/redis-headless publishes not-ready addresses/);
  });
  it('a Service that does not publish them is safe: a never-Ready probe pod is never its endpoint', () => {
    expect(
      unsafeSources([service('redis', { app: 'redis' }), service('r2', { app: 'redis' }, false)], classes).size,
    ).to.equal(0);
  });
  it('a Service without a selector selects no pods', () => {
    expect(unsafeSources([service('manual', {}, true)], classes).size).to.equal(0);
  });
  it('only classes of its own namespace whose labels match every selector key', () => {
    const unsafe = unsafeSources([service('both', { app: 'redis', tier: 'cache' }, true)], classes);
    expect(unsafe.size).to.equal(0);
  });
});
