import { expect } from 'chai';
import { kindClusterName, kindClusterNameFor } from '../../../harness/cluster/kind-cluster.js';
import { kindTargetName } from '../../../harness/cluster/kind-target.js';
import { checkKubernetesVersion, kitBuildCommand } from '../../../harness/cluster/node-image.js';
import { kitNodeImage, kubernetesVersions, loadClusterVersions } from '../../../harness/cluster/versions.js';
import { TargetError } from '../../../harness/target/target-error.js';

const v = loadClusterVersions();
const byDefault = v.kubernetes.version;

function withEnv<T>(name: string, value: string, body: () => T): T {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('kind clusters at a Kubernetes version', () => {
  it('the default version keeps the names clusters and targets always had', () => {
    expect(kindClusterNameFor({ cni: 'calico' })).to.equal('netpol-harness-calico');
    expect(kindClusterNameFor({ cni: 'calico', kubernetesVersion: byDefault })).to.equal(kindClusterName('calico'));
    expect(kindTargetName({ cni: 'calico', kubernetesVersion: byDefault })).to.equal('calico');
    expect(kitNodeImage(v)).to.equal(`${v.node.image}:${byDefault}-kit${v.node.kitRevision}`);
  });

  it('another version gets a cluster, a target name and a node image of its own', () => {
    expect(kindClusterNameFor({ cni: 'calico', kubernetesVersion: 'v1.35.4' })).to.equal(
      'netpol-harness-calico-k8s-v1-35-4',
    );
    expect(kindTargetName({ cni: 'calico', kubernetesVersion: 'v1.35.4' })).to.equal('calico-k8s-v1.35.4');
    expect(kitNodeImage(v, 'v1.35.4')).to.equal(`${v.node.image}:v1.35.4-kit${v.node.kitRevision}`);
    withEnv('NETPOL_HARNESS_CLUSTER_PREFIX', 'ci7', () =>
      expect(kindClusterNameFor({ cni: 'cilium', kubernetesVersion: 'v1.33.13' })).to.equal('ci7-cilium-k8s-v1-33-13'),
    );
  });

  it("NETPOL_HARNESS_NODE_IMAGE replaces the default version's node image only", () => {
    withEnv('NETPOL_HARNESS_NODE_IMAGE', 'mine/node:1', () => {
      expect(kitNodeImage(v)).to.equal('mine/node:1');
      expect(kitNodeImage(v, 'v1.35.4')).to.equal(`${v.node.image}:v1.35.4-kit${v.node.kitRevision}`);
    });
  });

  it('the versions are the default first, then the extra ones of clusters/versions.yaml', () => {
    expect(kubernetesVersions(v)).to.deep.equal([byDefault, ...(v.kubernetes.extraVersions ?? [])]);
    expect(kubernetesVersions(v)).to.include.members(['v1.33.13', 'v1.35.4']);
  });

  it('a version the kit does not build is a target error listing the choices', () => {
    expect(() => checkKubernetesVersion(v, 'v1.35.4')).to.not.throw();
    expect(() => checkKubernetesVersion(v, 'v1.20.0'))
      .to.throw(TargetError)
      .with.property('message')
      .that.matches(/Kubernetes v1\.20\.0 is not one the offline kit builds \(choose from v1\.34\.4, .*v1\.35\.4/);
  });

  it('names the kit command that builds a node image', () => {
    expect(kitBuildCommand(v, byDefault)).to.equal('npm run kit -- build');
    expect(kitBuildCommand(v, 'v1.35.4')).to.equal('npm run kit -- build --kubernetes v1.35.4');
  });
});
