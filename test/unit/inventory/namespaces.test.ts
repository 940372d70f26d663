import { expect } from 'chai';
import { isSystemNamespace, selectNamespaces } from '../../../harness/inventory/namespaces.js';

const existing = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'calico-system',
  'tigera-operator',
  'cilium-secrets',
  'shop',
];

describe('namespace set: system namespaces are excluded unless named', () => {
  it('all namespaces: Kubernetes and CNI namespaces are left out and listed', () => {
    expect(selectNamespaces(existing, { all: true })).to.deep.equal({
      namespaces: ['default', 'shop'],
      excluded: ['calico-system', 'cilium-secrets', 'kube-node-lease', 'kube-public', 'kube-system', 'tigera-operator'],
    });
  });
  it('named namespaces are taken as named, system ones included, duplicates once', () => {
    expect(selectNamespaces(existing, { names: ['shop', 'kube-system', 'shop'] })).to.deep.equal({
      namespaces: ['shop', 'kube-system'],
      excluded: [],
    });
  });
  it('a named namespace the cluster lacks is reported missing', () => {
    expect(selectNamespaces(existing, { names: ['shop', 'payments'] })).to.deep.equal({ missing: ['payments'] });
  });
  it('every cilium* namespace is the CNI’s; a user namespace that merely contains "kube" is not', () => {
    expect(['cilium', 'cilium-spire', 'my-kube-apps'].map(isSystemNamespace)).to.deep.equal([true, true, false]);
  });
});
