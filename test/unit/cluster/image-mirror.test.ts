import { expect } from 'chai';
import { mirrorImage, mirrorImages } from '../../../harness/cluster/image-mirror.js';

describe('images from a mirror registry (air-gapped CI)', () => {
  it('replaces the registry host and keeps the upstream path and tag', () => {
    expect(mirrorImage('quay.io/calico/node:v3.31.0', 'mirror.corp:5000')).to.equal(
      'mirror.corp:5000/calico/node:v3.31.0',
    );
    expect(mirrorImage('registry.k8s.io/pause:3.10.1', 'mirror.corp')).to.equal('mirror.corp/pause:3.10.1');
    expect(mirrorImage('localhost:5000/x/y:1', 'mirror.corp/')).to.equal('mirror.corp/x/y:1');
  });

  it('puts Docker Hub paths (no host) under the mirror whole', () => {
    expect(mirrorImage('netpol-harness/probe:v1.34.4-1', 'mirror.corp')).to.equal(
      'mirror.corp/netpol-harness/probe:v1.34.4-1',
    );
    expect(mirrorImage('busybox', 'mirror.corp')).to.equal('mirror.corp/busybox');
  });

  it('changes nothing without a mirror', () => {
    expect(mirrorImage('quay.io/calico/node:v3.31.0', undefined)).to.equal('quay.io/calico/node:v3.31.0');
  });

  it('rewrites every container and init container image of a manifest, and nothing else', () => {
    const ds = {
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', annotations: { image: 'quay.io/not/an-image-field' } },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'install-cni', image: 'quay.io/calico/cni:v3.31.0' }],
            containers: [
              {
                name: 'calico-node',
                image: 'quay.io/calico/node:v3.31.0',
                env: [{ name: 'IMAGE', value: 'quay.io/calico/node' }],
              },
            ],
          },
        },
      },
    };
    const out = mirrorImages(ds, 'mirror.corp');
    expect(out.spec.template.spec.initContainers[0]!.image).to.equal('mirror.corp/calico/cni:v3.31.0');
    expect(out.spec.template.spec.containers[0]!.image).to.equal('mirror.corp/calico/node:v3.31.0');
    expect(out.spec.template.spec.containers[0]!.env[0]!.value).to.equal('quay.io/calico/node');
    expect(ds.spec.template.spec.containers[0]!.image).to.equal('quay.io/calico/node:v3.31.0');
  });
});
