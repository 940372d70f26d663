import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { kindConfigWithNodes, MAX_NODES } from '../../../harness/cluster/kind-config.js';

const calicoConfig = readFileSync('clusters/kind-calico.yaml', 'utf8');

describe('kind config for a node count', () => {
  it('one control plane and the rest workers', () => {
    const out = parse(kindConfigWithNodes(calicoConfig, 3)) as { nodes: Array<{ role: string }> };
    expect(out.nodes.map((n) => n.role)).to.deep.equal(['control-plane', 'worker', 'worker']);
  });

  it('keeps the CNI networking settings of the base config', () => {
    const out = parse(kindConfigWithNodes(calicoConfig, 1)) as { networking: Record<string, unknown>; kind: string };
    expect(out.kind).to.equal('Cluster');
    expect(out.networking).to.deep.include({
      disableDefaultCNI: true,
      podSubnet: '10.244.0.0/16',
      kubeProxyMode: 'iptables',
    });
  });

  it("with maxPods, every kubelet takes that many pods (a KubeletConfiguration patch after the file's own)", () => {
    const patches = (config: string) =>
      (parse(config) as { kubeadmConfigPatches: string[] }).kubeadmConfigPatches.map((p) => parse(p) as unknown);
    expect(patches(kindConfigWithNodes(calicoConfig, 2, { maxPods: 250 }))).to.deep.equal([
      { kind: 'KubeletConfiguration', failCgroupV1: false },
      { kind: 'KubeletConfiguration', maxPods: 250 },
    ]);
    expect(patches(kindConfigWithNodes(calicoConfig, 2))).to.deep.equal([
      { kind: 'KubeletConfiguration', failCgroupV1: false },
    ]);
    expect(parse(kindConfigWithNodes('kind: Cluster\n', 2))).to.not.have.property('kubeadmConfigPatches');
  });

  // Kubernetes v1.35 kubelets default failCgroupV1 to true and refuse this cgroup v1 host.
  for (const cni of ['calico', 'cilium', 'ptp', 'kindnet'])
    it(`kind-${cni}.yaml lets kubelets of v1.35 and later start on cgroup v1 (failCgroupV1: false)`, () => {
      const config = parse(readFileSync(`clusters/kind-${cni}.yaml`, 'utf8')) as { kubeadmConfigPatches: string[] };
      expect(config.kubeadmConfigPatches.map((p) => parse(p) as unknown)).to.deep.include({
        kind: 'KubeletConfiguration',
        failCgroupV1: false,
      });
    });

  it('refuses zero, fractions and more nodes than a small machine can start', () => {
    for (const n of [0, 1.5, MAX_NODES + 1])
      expect(() => kindConfigWithNodes(calicoConfig, n), String(n)).to.throw(RangeError);
  });
});
