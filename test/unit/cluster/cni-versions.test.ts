/**
 * The CNI versions the harness can put on a kind cluster: every version the offline kit builds,
 * the default first, read from clusters/versions.yaml.
 */
import { expect } from 'chai';
import { checkCniVersion, ciliumKitCommand, cniChoices } from '../../../harness/cluster/cni.js';
import { kindClusterNameFor } from '../../../harness/cluster/kind-cluster.js';
import { kindTargetName } from '../../../harness/cluster/kind-target.js';
import {
  kitCniVersions,
  kitDefaultVersions,
  loadClusterVersions,
  type ClusterVersions,
} from '../../../harness/cluster/versions.js';
import { TargetError } from '../../../harness/target/target-error.js';

const shipped = loadClusterVersions();
const ciliumDefault = shipped.cilium?.imageTag ?? '';
const extra = shipped.cilium?.extraVersions?.[0]?.version ?? '';
const v: ClusterVersions = { ...shipped, cilium: { imageTag: 'v1.18.3', extraVersions: [{ version: 'v1.18.2' }] } };

describe('CNI versions of kind clusters', () => {
  it('lists every version the kit builds per CNI, the default first', () => {
    expect(kitCniVersions(v)).to.deep.equal({ calico: [v.calico.imageTag], cilium: ['v1.18.3', 'v1.18.2'] });
    expect(kitDefaultVersions(v)).to.deep.equal({
      cni: { calico: v.calico.imageTag, cilium: 'v1.18.3' },
      kubernetes: v.kubernetes.version,
    });
    expect(kitCniVersions({ ...v, cilium: undefined })).to.deep.equal({ calico: [v.calico.imageTag] });
    expect(kitCniVersions(shipped)['cilium']).to.deep.equal([ciliumDefault, extra]);
  });

  it('every CNI the harness installs is a choice; only those the kit builds have versions', () => {
    expect(cniChoices(v)).to.deep.equal({
      calico: [v.calico.imageTag],
      cilium: ['v1.18.3', 'v1.18.2'],
      ptp: [],
      kindnet: [],
    });
  });

  it('a version the kit does not build is a target error listing the ones it does', () => {
    expect(() => checkCniVersion(v, 'cilium', 'v1.18.2')).to.not.throw();
    expect(() => checkCniVersion(v, 'cilium', undefined)).to.not.throw();
    expect(() => checkCniVersion(v, 'cilium', 'v1.17.9'))
      .to.throw(TargetError)
      .with.property('message')
      .that.equals(
        'cilium v1.17.9 is not one the offline kit builds (choose from v1.18.3, v1.18.2; clusters/versions.yaml lists them)',
      );
    expect(() => checkCniVersion(v, 'ptp', 'v1.0.0')).to.throw('ptp has no versions to choose from');
  });

  it('names the kit command that builds a Cilium version', () => {
    expect(ciliumKitCommand(v, 'v1.18.3')).to.equal('npm run kit -- build --with cilium');
    expect(ciliumKitCommand(v, 'v1.18.2')).to.equal('npm run kit -- build --with cilium --cilium v1.18.2');
  });

  it("the shipped extra version's cluster and target are named after it; the default's are not", () => {
    expect(kindClusterNameFor({ cni: 'cilium', cniVersion: ciliumDefault })).to.equal('netpol-harness-cilium');
    expect(kindClusterNameFor({ cni: 'cilium', cniVersion: extra })).to.equal(
      `netpol-harness-cilium-${extra.replace(/\./g, '-')}`,
    );
    expect(kindTargetName({ cni: 'cilium', cniVersion: extra })).to.equal(`cilium@${extra}`);
  });
});
