/**
 * Starter scenarios for `init`: one common pattern each, self-contained (policies inline), with the
 * intent written out as rules and matrices that agree with the engine, so `validate` passes clean.
 * `${schema}` becomes the path of the JSON Schema as seen from where the file is written.
 */
export const PATTERNS = ['default-deny', 'dns-egress', 'allow-same-namespace', 'frontend-backend'] as const;
export type Pattern = (typeof PATTERNS)[number];

const HEAD = (name: string, description: string) => `# yaml-language-server: $schema=\${schema}
apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata:
  name: ${name}
  description: "${description}"
spec:`;

const WORKLOADS =
  `  namespaces:
    shop: {labels: {team: shop}}
    payments: {labels: {team: payments}}
  workloads:
    - {name: frontend, namespace: shop, labels: {app: frontend}, ports: [{port: 8080, protocol: TCP, name: http}]}
    - {name: backend, namespace: shop, labels: {app: backend}, ports: [{port: 8080, protocol: TCP, name: http}]}
    - {name: payment-api, namespace: payments, labels: {app: payment-api}, ` +
  `ports: [{port: 8080, protocol: TCP, name: http}]}`;

const DENY_ALL = `    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny-all, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]`;

const ALLOW_DNS = `    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-dns-egress, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
            # namespaceSelector and podSelector in ONE peer are ANDed: cluster DNS pods only.
            - to:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                  podSelector: {matchLabels: {k8s-app: kube-dns}}
              ports:
                - {port: 53, protocol: UDP}
                - {port: 53, protocol: TCP}`;

const TEMPLATES: Record<Pattern, string> = {
  'default-deny': `${HEAD(
    'default-deny-ingress',
    'Every shop pod refuses all ingress; egress, DNS and payments are unaffected.',
  )}
${WORKLOADS}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny-ingress, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
  expect:
    default: allow
    rules:
      # Rules apply in order and the last match wins.
      - {from: "*", to: "shop/*", allowed: false}
    matrix:
      - port: 8080
        protocol: TCP
        table: |
          from\\to               shop/frontend shop/backend payments/payment-api
          shop/frontend         -             X            .
          shop/backend          X             -            .
          payments/payment-api  X             X            -
    dns:
      - {from: shop/frontend, name: kubernetes.default.svc.cluster.local, resolves: true}
`,
  'dns-egress': `${HEAD(
    'dns-egress-after-deny-all',
    'Deny-all in shop, then egress to kube-system/kube-dns on 53 UDP+TCP: DNS resolves, nothing else opens.',
  )}
${WORKLOADS}
  policies:
${DENY_ALL}
${ALLOW_DNS}
  expect:
    default: allow
    rules:
      - {from: "shop/*", to: "*", allowed: false}
      - {from: "*", to: "shop/*", allowed: false}
    dns:
      - {from: shop/frontend, name: kubernetes.default.svc.cluster.local, resolves: true}
      - {from: shop/backend, name: kubernetes.default.svc.cluster.local, resolves: true}
      - {from: payments/payment-api, name: kubernetes.default.svc.cluster.local, resolves: true}
`,
  'allow-same-namespace': `${HEAD(
    'allow-same-namespace',
    'shop pods accept connections from shop only; payments is refused.',
  )}
${WORKLOADS}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-same-namespace, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress:
            # A bare podSelector selects pods in the policy's own namespace only.
            - from:
                - podSelector: {}
  expect:
    default: allow
    matrix:
      - port: 8080
        protocol: TCP
        table: |
          from\\to               shop/frontend shop/backend payments/payment-api
          shop/frontend         -             .            .
          shop/backend          .             -            .
          payments/payment-api  X             X            -
`,
  'frontend-backend': `${HEAD('frontend-to-backend', 'shop/backend admits shop/frontend on 8080/TCP only.')}
${WORKLOADS}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend-allow-frontend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Ingress]
          ingress:
            - from:
                - podSelector: {matchLabels: {app: frontend}}
              ports:
                - {port: 8080, protocol: TCP}
  expect:
    default: allow
    rules:
      - {from: "*", to: shop/backend, allowed: false}
      - {from: shop/frontend, to: shop/backend, port: 8080, protocol: TCP, allowed: true}
`,
};

/** The starter text for a pattern, with the schema reference filled in. */
export function starterScenario(pattern: Pattern, schema: string): string {
  return TEMPLATES[pattern].replace('${schema}', schema);
}
