/**
 * A cluster-scoped policy as a run applies it: it can select only the run's own namespaces, whatever
 * its selectors say, and carries the run's name, label and owner.
 */
import { expect } from 'chai';
import { clusterScopedForCluster } from '../../../harness/model/cluster-scoped.js';

const REAL = new Map([
  ['prod', 'prod-ab12cd-0'],
  ['dev', 'dev-ab12cd-0'],
]);
const OURS = { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['dev-ab12cd-0', 'prod-ab12cd-0'] };

const applied = (manifest: Record<string, unknown>) =>
  clusterScopedForCluster(manifest, REAL, { 'netpol-harness/run': 'ab12cd' }, 'ab12cd-0', { owner: 'pid 7' }) as {
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: Record<string, unknown>;
  };

describe('a cluster-scoped policy as a run applies it', () => {
  it('every namespace selector, the subject and each peer, is ANDed with the run namespaces', () => {
    const out = applied({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'guard', labels: { team: 'platform' } },
      spec: {
        priority: 1,
        subject: { namespaces: {} },
        ingress: [
          { action: 'Deny', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }] },
        ],
        egress: [
          { action: 'Allow', to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } }] },
          { action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] },
        ],
      },
    });
    expect(out.metadata).to.deep.equal({
      name: 'guard-ab12cd-0',
      labels: { team: 'platform', 'netpol-harness/run': 'ab12cd' },
      annotations: { owner: 'pid 7' },
    });
    expect(out.spec['subject']).to.deep.equal({ namespaces: { matchExpressions: [OURS] } });
    expect(out.spec['ingress']).to.deep.equal([
      {
        action: 'Deny',
        from: [
          {
            namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-ab12cd-0' }, matchExpressions: [OURS] },
          },
        ],
      },
    ]);
    expect(out.spec['egress']).to.deep.equal([
      {
        action: 'Allow',
        to: [
          { pods: { namespaceSelector: { matchExpressions: [OURS] }, podSelector: { matchLabels: { app: 'db' } } } },
        ],
      },
      { action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] },
    ]);
  });

  it("a ClusterNetworkPolicy's pods selector without namespaceSelector (all namespaces) gets one: the run's", () => {
    const out = applied({
      apiVersion: 'policy.networking.k8s.io/v1beta1',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'guard' },
      spec: {
        tier: 'Admin',
        priority: 1,
        subject: { pods: { podSelector: { matchLabels: { app: 'web' } } } },
        ingress: [{ action: 'Deny', from: [{ pods: { podSelector: {} } }] }],
      },
    });
    expect(out.spec['subject']).to.deep.equal({
      pods: { podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchExpressions: [OURS] } },
    });
    expect(out.spec['ingress']).to.deep.equal([
      { action: 'Deny', from: [{ pods: { podSelector: {}, namespaceSelector: { matchExpressions: [OURS] } } }] },
    ]);
  });

  it('a BaselineAdminNetworkPolicy keeps its name, default (a cluster holds one)', () => {
    const out = applied({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'BaselineAdminNetworkPolicy',
      metadata: { name: 'default' },
      spec: { subject: { namespaces: {} }, ingress: [] },
    });
    expect(out.metadata.name).to.equal('default');
  });
});
