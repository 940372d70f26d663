import { expect } from 'chai';
import { ciliumSettings, detectCnis, felixSettings, parseImage } from '../../../harness/inventory/cni.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';

const daemonSet = (name: string, ...images: string[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: 'kube-system' },
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});

describe('CNI: recognised by its agent DaemonSet image, version from the tag', () => {
  const cases: Array<[string, string, string]> = [
    ['docker.io/calico/node:v3.30.2', 'calico', 'v3.30.2'],
    ['quay.io/tigera/calico-node:v3.31.0', 'calico', 'v3.31.0'],
    [
      'quay.io/cilium/cilium:v1.18.3@sha256:5649db451c88d928ea585514746d50d91e6210801b300c897283ea319d68de15',
      'cilium',
      'v1.18.3',
    ],
    ['antrea/antrea-agent-ubuntu:v2.4.0', 'antrea', 'v2.4.0'],
    ['ghcr.io/ovn-org/ovn-kubernetes/ovn-kube-ubuntu:release-1.1', 'ovn-kubernetes', 'release-1.1'],
    ['docker.io/cloudnativelabs/kube-router:v2.6.1', 'kube-router', 'v2.6.1'],
    ['docker.io/kindest/kindnetd:v20250512-df8de77b', 'kindnet', 'v20250512-df8de77b'],
    ['ghcr.io/flannel-io/flannel:v0.27.0', 'flannel', 'v0.27.0'],
    ['localhost:5000/calico/node', 'calico', 'unknown'],
  ];
  for (const [image, name, version] of cases)
    it(`${image} is ${name} ${version}`, () => {
      expect(detectCnis([daemonSet('agent', image)])).to.deep.equal([
        { name, version, daemonSet: 'kube-system/agent', image },
      ]);
    });
  it('other DaemonSets (kube-proxy, csi, exporters) are no CNI: unknown is an empty list', () => {
    expect(
      detectCnis([
        daemonSet('kube-proxy', 'registry.k8s.io/kube-proxy:v1.34.1'),
        daemonSet('csi', 'docker.io/calico/csi:v3.30.2'),
        daemonSet('cilium-envoy', 'quay.io/cilium/cilium-envoy:v1.34.4'),
      ]),
    ).to.deep.equal([]);
  });
  it('a registry with a port is not a tag', () => {
    expect(parseImage('registry:5000/calico/node')).to.deep.equal({ repository: 'registry:5000/calico/node' });
  });
});

describe('CNI settings that change what a test observes', () => {
  it('Cilium: written values, and documented defaults for absent keys', () => {
    const settings = ciliumSettings('kube-system/cilium-config', { 'policy-audit-mode': 'true' });
    expect(settings.map((s) => [s.key, s.value, s.defaulted])).to.deep.equal([
      ['enable-policy', 'default', true],
      ['policy-audit-mode', 'true', false],
      ['policy-cidr-match-mode', '', true],
      ['identity-change-grace-period', '5s', true],
    ]);
    expect(settings[1]!.effect).to.equal('audit mode: denials are only logged, nothing is blocked');
  });
  it('Cilium enable-policy=always isolates pods no policy selects', () => {
    expect(ciliumSettings('cm', { 'enable-policy': 'always' })[0]!.effect).to.match(
      /pods no policy selects are isolated/,
    );
  });
  it('Calico: iptablesFilterDenyAction Reject turns drops into refusals; defaults when absent', () => {
    const settings = felixSettings({ iptablesFilterDenyAction: 'Reject' });
    expect(settings.map((s) => [s.key, s.value, s.defaulted])).to.deep.equal([
      ['iptablesFilterDenyAction', 'Reject', false],
      ['defaultEndpointToHostAction', 'Drop', true],
    ]);
    expect(settings[0]!.effect).to.match(/refused at once/);
  });
});
