import { expect } from 'chai';
import { toClientModel, wireFormOf } from '../../../harness/kube/wire.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';
import { workloadPod } from '../../../harness/probe/workload-spec.js';

/** What we apply must reach the API server unchanged; client-node drops keys whose model name differs. */
describe('objects survive client-node serialisation', () => {
  it('a NetworkPolicy keeps ingress `from` (model attribute `_from`)', () => {
    const policy: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
            ports: [{ port: 8080, protocol: 'TCP', endPort: 8090 }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
      },
    };
    expect(wireFormOf(toClientModel(policy))).to.deep.equal(policy);
  });
  it('a CRD keeps x-kubernetes-int-or-string', () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.org' },
      spec: {
        group: 'example.org',
        names: { kind: 'Thing', plural: 'things' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
                },
              },
            },
          },
        ],
      },
    };
    expect(wireFormOf(toClientModel(crd))).to.deep.equal(crd);
  });
  it('our workload pods keep every field', () => {
    const pod = workloadPod({
      name: 'web',
      namespace: 'shop-x',
      key: 'shop/web',
      labels: { app: 'web' },
      ports: [
        { port: 53, protocol: 'UDP', name: 'dns' },
        { port: 8080, protocol: 'TCP' },
      ],
      runId: 'x',
      scenario: 's',
      lane: 1,
      image: { image: 'i', pullPolicy: 'Never' },
      sctp: false,
      spread: true,
    });
    expect(wireFormOf(toClientModel(pod))).to.deep.equal(JSON.parse(JSON.stringify(pod)));
  });
});
