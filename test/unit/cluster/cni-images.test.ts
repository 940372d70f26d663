import { expect } from 'chai';
import { containerImages } from '../../../harness/cluster/cni.js';

describe('images a CNI manifest needs in the nodes', () => {
  it('lists every container and init container image once, in order of appearance', () => {
    const ds = {
      kind: 'DaemonSet',
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'config', image: 'quay.io/cilium/cilium:v1.18.3' }],
            containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.18.3' }],
          },
        },
      },
    };
    const op = {
      kind: 'Deployment',
      spec: {
        template: {
          spec: { containers: [{ name: 'cilium-operator', image: 'quay.io/cilium/operator-generic:v1.18.3' }] },
        },
      },
    };
    expect(containerImages([ds, op])).to.deep.equal([
      'quay.io/cilium/cilium:v1.18.3',
      'quay.io/cilium/operator-generic:v1.18.3',
    ]);
  });

  it('ignores image-like strings outside container specs', () => {
    const cm = {
      kind: 'ConfigMap',
      metadata: { annotations: { image: 'quay.io/not/this' } },
      data: { image: 'nor:this' },
    };
    expect(containerImages([cm])).to.deep.equal([]);
  });
});
