/**
 * The names of the harness's kind clusters and targets: a CNI at a version on a Kubernetes version,
 * the default versions left out so the default cluster keeps the name it always had.
 */
import { expect } from 'chai';
import { isKindClusterOf, kindClusterLabel, kindTargetLabel } from '../../../harness/model/cluster-names.js';
import { formatCniRef, parseCniRef } from '../../../harness/model/cni-ref.js';

const defaults = { cni: { calico: 'v3.31.0', cilium: 'v1.18.3' }, kubernetes: 'v1.34.4' };

describe('kind cluster and target names', () => {
  it('cni@version reads as the CNI at that version; plain cni as its default version', () => {
    expect(parseCniRef('cilium@v1.18.2')).to.deep.equal({ cni: 'cilium', version: 'v1.18.2' });
    expect(parseCniRef('cilium')).to.deep.equal({ cni: 'cilium' });
    expect(formatCniRef({ cni: 'cilium', version: 'v1.18.2' })).to.equal('cilium@v1.18.2');
    expect(formatCniRef({ cni: 'ptp' })).to.equal('ptp');
  });

  it('the default versions, said or not, keep the names clusters always had', () => {
    for (const key of [{ cni: 'cilium' }, { cni: 'cilium', cniVersion: 'v1.18.3', kubernetesVersion: 'v1.34.4' }]) {
      expect(kindClusterLabel('netpol-harness', key, defaults)).to.equal('netpol-harness-cilium');
      expect(kindTargetLabel(key, defaults)).to.equal('cilium');
    }
  });

  it('another CNI version gets its own cluster and target name, beside another Kubernetes version', () => {
    const other = { cni: 'cilium', cniVersion: 'v1.18.2' };
    expect(kindClusterLabel('h17', other, defaults)).to.equal('h17-cilium-v1-18-2');
    expect(kindTargetLabel(other, defaults)).to.equal('cilium@v1.18.2');
    const both = { ...other, kubernetesVersion: 'v1.35.4' };
    expect(kindClusterLabel('h17', both, defaults)).to.equal('h17-cilium-v1-18-2-k8s-v1-35-4');
    expect(kindTargetLabel(both, defaults)).to.equal('cilium@v1.18.2-k8s-v1.35.4');
  });

  it("cleanup --cni finds a CNI's clusters at every version, and no other CNI's", () => {
    const ours = ['h17-cilium', 'h17-cilium-v1-18-2', 'h17-cilium-k8s-v1-35-4', 'h17-cilium-v1-18-2-k8s-v1-35-4'];
    for (const name of ours) expect(isKindClusterOf(name, 'h17', 'cilium'), name).to.equal(true);
    for (const name of ['h17-calico', 'h17-cilium-b', 'h17-ciliumx', 'netpol-harness-cilium'])
      expect(isKindClusterOf(name, 'h17', 'cilium'), name).to.equal(false);
  });
});
