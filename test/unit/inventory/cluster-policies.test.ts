import { expect } from 'chai';
import {
  clusterPolicy,
  clusterPolicyIpBlocks,
  clusterPolicyPodSelectors,
} from '../../../harness/inventory/cluster-policies.js';
import type { WorkloadClass } from '../../../harness/inventory/classes.js';
import { enforcedBy } from '../../../harness/inventory/environment.js';
import type { DetectedCni } from '../../../harness/inventory/cni.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';
import type { LiveNamespace } from '../../../harness/inventory/snapshot.js';

function cls(namespace: string, name: string, labels: Record<string, string>, hostNetwork = false): WorkloadClass {
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    owners: [],
    labels,
    ports: [],
    hostNetwork,
    replicas: 1,
    pods: [{ name, ips: [], phase: 'Running', ready: true }],
    splitBy: [],
  };
}
const scope = {
  classes: [
    cls('shop', 'web', { app: 'web' }),
    cls('shop', 'db', { app: 'db' }),
    cls('payments', 'api', { app: 'api' }),
    cls('monitoring', 'exporter', { app: 'exporter' }, true),
  ],
  namespaces: <LiveNamespace[]>[
    { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop', team: 'shop' } },
    { name: 'payments', labels: { 'kubernetes.io/metadata.name': 'payments', pci: 'true' } },
    { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  ],
};
const object = (apiVersion: string, kind: string, spec: object, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'p', ...(namespace ? { namespace } : {}) },
  spec,
});
const verdict = (o: KubeObject) => {
  const p = clusterPolicy(o, scope);
  return [p.applicability, p.classes];
};
const ANP = 'policy.networking.k8s.io/v1alpha1';

describe('cluster policies: AdminNetworkPolicy and BaselineAdminNetworkPolicy subjects are evaluated', () => {
  it('subject.namespaces selects every pod of the matching namespaces', () => {
    expect(
      verdict(object(ANP, 'AdminNetworkPolicy', { subject: { namespaces: { matchLabels: { pci: 'true' } } } })),
    ).to.deep.equal(['applies', ['payments/api']]);
  });
  it('subject.pods needs both the namespace and the pod selector', () => {
    const spec = {
      subject: {
        pods: { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'db' } } },
      },
    };
    expect(verdict(object(ANP, 'AdminNetworkPolicy', spec))).to.deep.equal(['applies', ['shop/db']]);
  });
  it('an empty namespaces selector selects every read pod, never host-network ones', () => {
    expect(verdict(object(ANP, 'BaselineAdminNetworkPolicy', { subject: { namespaces: {} } }))).to.deep.equal([
      'applies',
      ['shop/web', 'shop/db', 'payments/api'],
    ]);
  });
  it('a subject matching no read pod does not apply', () => {
    const spec = { subject: { namespaces: { matchLabels: { env: 'sandbox' } } } };
    expect(verdict(object(ANP, 'AdminNetworkPolicy', spec))).to.deep.equal(['does not apply', []]);
  });
  it('ClusterNetworkPolicy (v1alpha2) has the same subject', () => {
    const spec = { tier: 'Admin', priority: 5, subject: { namespaces: { matchLabels: { team: 'shop' } } } };
    expect(verdict(object('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', spec))).to.deep.equal([
      'applies',
      ['shop/web', 'shop/db'],
    ]);
  });
});

describe('cluster policies: Cilium endpointSelector is evaluated under Cilium key names', () => {
  it('a CiliumNetworkPolicy selects only in its namespace; the k8s: source is stripped', () => {
    const cnp = object(
      'cilium.io/v2',
      'CiliumNetworkPolicy',
      { endpointSelector: { matchLabels: { 'k8s:app': 'web' } } },
      'shop',
    );
    expect(verdict(cnp)).to.deep.equal(['applies', ['shop/web']]);
  });
  it('a clusterwide policy can select by namespace labels (io.cilium.k8s.namespace.labels.*)', () => {
    const ccnp = object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', {
      endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.pci': 'true' } },
    });
    expect(verdict(ccnp)).to.deep.equal(['applies', ['payments/api']]);
  });
  it('a service-account or reserved: key is not evaluated: may apply', () => {
    const ccnp = object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', {
      endpointSelector: { matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'web' } },
    });
    expect(clusterPolicy(ccnp, scope)).to.deep.include({
      applicability: 'may apply',
      reason: 'endpointSelector key "io.cilium.k8s.policy.serviceaccount" is not evaluated',
    });
  });
  it('a nodeSelector (host firewall) policy selects no pods', () => {
    const ccnp = object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', { nodeSelector: {} });
    expect(verdict(ccnp)).to.deep.equal(['does not apply', []]);
  });
});

describe('cluster policies: Calico selectors are not evaluated', () => {
  it('a GlobalNetworkPolicy with a selector may apply to every read pod', () => {
    const gnp = object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', { selector: "role == 'db'" });
    expect(clusterPolicy(gnp, scope)).to.deep.include({
      applicability: 'may apply',
      reason: `Calico selector "role == 'db'" is not evaluated`,
    });
  });
  it('all() (or no selector) applies to every read pod', () => {
    expect(verdict(object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', { selector: 'all()' }))[0]).to.equal(
      'applies',
    );
  });
  it('a Calico NetworkPolicy in a namespace outside the read set does not apply', () => {
    const np = object('crd.projectcalico.org/v1', 'NetworkPolicy', { selector: "app == 'x'" }, 'elsewhere');
    expect(verdict(np)).to.deep.equal(['does not apply', []]);
  });
});

describe('cluster policies: whether the running CNI enforces the kind', () => {
  const cni = (name: DetectedCni['name'], version: string): DetectedCni[] => [
    { name, version, daemonSet: 'x/y', image: 'i' },
  ];
  it('Calico: ANP from v3.29, BANP from v3.30, ClusterNetworkPolicy from v3.32', () => {
    expect(
      ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'].map((k) =>
        enforcedBy(k, ANP, cni('calico', 'v3.29.4')),
      ),
    ).to.deep.equal([true, false, false]);
    expect(enforcedBy('ClusterNetworkPolicy', ANP, cni('calico', 'v3.32.0'))).to.equal(true);
  });
  it('Cilium enforces none of them, nor Calico kinds; Calico does not enforce Cilium kinds', () => {
    expect(enforcedBy('AdminNetworkPolicy', ANP, cni('cilium', 'v1.18.3'))).to.equal(false);
    expect(enforcedBy('GlobalNetworkPolicy', 'crd.projectcalico.org/v1', cni('cilium', 'v1.18.3'))).to.equal(false);
    expect(enforcedBy('CiliumNetworkPolicy', 'cilium.io/v2', cni('calico', 'v3.30.2'))).to.equal(false);
  });
  it('an unrecognised CNI: unknown', () => {
    expect(enforcedBy('AdminNetworkPolicy', ANP, [])).to.equal('unknown');
  });
});

describe('cluster policies: their pod selectors keep per-replica labels in classing', () => {
  const keys = ['pod-template-hash', 'statefulset.kubernetes.io/pod-name'];
  it('AdminNetworkPolicy subject and peer pod selectors', () => {
    const anp = object(ANP, 'AdminNetworkPolicy', {
      subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } },
      ingress: [
        { action: 'Allow', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { role: 'x' } } } }] },
      ],
    });
    expect(clusterPolicyPodSelectors([anp], keys)).to.deep.equal([
      { matchLabels: { role: 'x' } },
      { matchLabels: { app: 'db' } },
    ]);
  });
  it('Cilium endpoint selectors under Kubernetes key names', () => {
    const cnp = object('cilium.io/v2', 'CiliumNetworkPolicy', {
      endpointSelector: { matchLabels: { 'k8s:statefulset.kubernetes.io/pod-name': 'db-0' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'any:app': 'web' } }] }],
    });
    expect(clusterPolicyPodSelectors([cnp], keys)).to.deep.equal([
      { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' } },
      { matchLabels: { app: 'web' } },
    ]);
  });
  it('a Calico selector naming a per-replica key keeps it (text search: can only split more)', () => {
    const gnp = object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', {
      selector: "statefulset.kubernetes.io/pod-name == 'db-0'",
    });
    expect(clusterPolicyPodSelectors([gnp], keys)).to.deep.equal([
      { matchExpressions: [{ key: 'statefulset.kubernetes.io/pod-name', operator: 'Exists' }] },
    ]);
  });
});

describe('cluster policies: their CIDRs split classes as ipBlocks do', () => {
  it('ANP networks, Calico nets and notNets, Cilium toCIDR and toCIDRSet', () => {
    const anp = object(ANP, 'AdminNetworkPolicy', {
      egress: [{ action: 'Deny', to: [{ networks: ['10.244.2.32/28'] }] }],
    });
    const gnp = object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', {
      egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'], notNets: ['10.0.0.0/8'] } }],
    });
    const ccnp = object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', {
      egress: [{ toCIDR: ['192.168.0.0/16'] }, { toCIDRSet: [{ cidr: '172.16.0.0/12', except: ['172.16.1.0/24'] }] }],
    });
    expect(clusterPolicyIpBlocks([anp, gnp, ccnp])).to.deep.equal([
      { cidr: '10.244.2.32/28' },
      { cidr: '169.254.169.254/32' },
      { cidr: '10.0.0.0/8' },
      { cidr: '192.168.0.0/16' },
      { cidr: '172.16.0.0/12', except: ['172.16.1.0/24'] },
    ]);
  });
});
