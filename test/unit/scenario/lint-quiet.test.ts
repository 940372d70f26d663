/**
 * The warnings at the cause must not cry wolf: each case here is a pattern the examples and the
 * upstream cases use on purpose, and must load with no diagnostic at all.
 */
import { expect } from 'chai';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const HEAD = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: quiet}
spec:
  namespaces:
    shop: {labels: {team: shop}}
  workloads:
    - {name: frontend, namespace: shop, labels: {app: frontend}, ports: [{port: 8080, name: http}]}
    - {name: backend, namespace: shop, labels: {app: backend}, ports: [{port: 9000, name: api}]}
`;

const BACKEND_FROM_FRONTEND = `    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: api}]
`;

function diagnosticsOf(tail: string): string[] {
  const { diagnostics } = loadScenario('quiet.yaml', { readText: () => ({ text: HEAD + tail }) });
  return diagnostics.map(formatDiagnostic);
}

describe('warnings at the cause stay quiet where nothing is wrong', () => {
  it('a rule that a later matrix restates with the same verdicts (the examples write both)', () => {
    const tail = `  policies:
${BACKEND_FROM_FRONTEND}  expect:
    rules:
      - {from: "*", to: shop/backend, allowed: false}
      - {from: shop/frontend, to: shop/backend, port: 9000, allowed: true}
    matrix:
      - port: 9000
        table: |
          from\\to        shop/backend
          shop/frontend  .
          shop/backend   -
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('a broad rule followed by its exception (partly overridden, not shadowed)', () => {
    const tail = `  policies:
${BACKEND_FROM_FRONTEND}  expect:
    rules:
      - {from: "*", to: shop/backend, allowed: false}
      - {from: shop/frontend, to: shop/backend, allowed: true}
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('a rule repeated later with the same verdict (redundant, but no intent is lost)', () => {
    const tail = `  policies:
${BACKEND_FROM_FRONTEND}  expect:
    rules:
      - {from: shop/backend, to: shop/frontend, allowed: true}
      - {from: "*", to: shop/frontend, allowed: true}
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('default: allow or deny that agrees with the engine on every cell it decides', () => {
    const tail = `  policies:
${BACKEND_FROM_FRONTEND}  expect:
    default: allow
    rules:
      - {from: shop/backend, to: shop/backend, allowed: false}
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('DNS egress to kube-system by name and by k8s-app=kube-dns, on the named ports kube-dns serves', () => {
    const tail = `  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: dns, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
            - to:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                  podSelector: {matchLabels: {k8s-app: kube-dns}}
              ports: [{port: dns, protocol: UDP}, {port: dns-tcp}]
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('egress rules without explicit policyTypes (the API server adds Egress)', () => {
    const tail = `  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: frontend}}
          egress:
            - to: [{podSelector: {matchLabels: {app: backend}}}]
              ports: [{port: api}]
`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });

  it('a selector that matches only once a later step relabels a workload', () => {
    const policy = BACKEND_FROM_FRONTEND.replace('app: frontend', 'client: "true"').replace(/^ {4}/gm, '        ');
    const tail = `  steps:
    - name: before
      policies:
${policy}    - name: after
      labels:
        workloads: {"shop/frontend": {app: frontend, client: "true"}}
      policies:
${policy}`;
    expect(diagnosticsOf(tail)).to.deep.equal([]);
  });
});
