/**
 * Policy files hold what users paste from `kubectl get networkpolicy -o yaml`: server-set fields are
 * ignored with one note per document, `List` and `NetworkPolicyList` are read item by item, and
 * objects of other kinds next to policies are skipped with a note. A file with no NetworkPolicy at
 * all is still refused. Fixtures: test/fixtures/manifests/ (realistic kubectl and API output).
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkPolicy } from '../../harness/model/network-policy.js';
import { formatDiagnostic } from '../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../harness/scenario/load.js';

const MANIFESTS = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

const SERVER_FIELDS = 'this looks like `kubectl get -o yaml` output; only the desired state is applied';
const SKIP = 'only NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy objects are read from policy files';

interface Case {
  readonly fixture: string;
  /** Every diagnostic, as printed, with the policy file's path relative to test/fixtures/manifests/. */
  readonly diagnostics: readonly string[];
  /** The policies loaded (namespace/name), or undefined when the scenario is refused. */
  readonly policies?: readonly string[];
  /** Where each loaded policy starts (line:col in its file), when they are items of a list. */
  readonly origins?: readonly string[];
}

const CASES: readonly Case[] = [
  {
    fixture: 'kubectl-get-networkpolicy.yaml',
    diagnostics: [
      `policies/kubectl-get-networkpolicy.yaml:5:5: note: ignoring fields the API server sets (the kubectl.kubernetes.io/last-applied-configuration annotation, metadata.creationTimestamp, metadata.generation, metadata.managedFields, metadata.resourceVersion, metadata.uid, status): ${SERVER_FIELDS}`,
    ],
    policies: ['shop/backend-allow-frontend'],
  },
  {
    fixture: 'inline-kubectl-output.yaml',
    diagnostics: [
      `inline-kubectl-output.yaml:16:11: note: ignoring fields the API server sets (metadata.creationTimestamp, metadata.generation, metadata.resourceVersion, metadata.uid, status): ${SERVER_FIELDS}`,
    ],
    policies: ['shop/backend-allow-frontend'],
  },
  {
    fixture: 'kubectl-get-list.yaml',
    diagnostics: [
      `policies/kubectl-get-list.yaml:6:5: note: ignoring fields the API server sets in its 2 NetworkPolicies (metadata.creationTimestamp, metadata.generation, metadata.resourceVersion, metadata.uid): ${SERVER_FIELDS}`,
    ],
    policies: ['shop/default-deny-ingress', 'shop/backend-allow-frontend'],
    origins: ['3:3', '16:3'],
  },
  {
    fixture: 'networkpolicylist-from-api.yaml',
    diagnostics: [
      `policies/networkpolicylist-from-api.yaml:10:5: note: ignoring fields the API server sets in its 2 NetworkPolicies (metadata.uid, metadata.resourceVersion, metadata.generation, metadata.creationTimestamp): ${SERVER_FIELDS}`,
    ],
    policies: ['shop/default-deny-ingress', 'shop/backend-allow-frontend'],
    origins: ['7:3', '18:3'],
  },
  {
    fixture: 'kubectl-get-deploy-svc-netpol.yaml',
    diagnostics: [
      `policies/kubectl-get-deploy-svc-netpol.yaml:4:9: note: skipping Deployment shop/backend: ${SKIP}`,
      `policies/kubectl-get-deploy-svc-netpol.yaml:38:9: note: skipping Service shop/backend: ${SKIP}`,
      `policies/kubectl-get-deploy-svc-netpol.yaml:60:5: note: ignoring fields the API server sets (metadata.creationTimestamp, metadata.generation, metadata.resourceVersion, metadata.uid): ${SERVER_FIELDS}`,
    ],
    policies: ['shop/backend-allow-frontend'],
    origins: ['57:3'],
  },
  {
    fixture: 'app-bundle.yaml',
    diagnostics: [
      `policies/app-bundle.yaml:3:7: note: skipping ConfigMap shop/backend-config: ${SKIP}`,
      `policies/app-bundle.yaml:11:7: note: skipping Deployment shop/backend: ${SKIP}`,
    ],
    policies: ['shop/backend-allow-frontend'],
  },
  {
    fixture: 'second-document-deployment.yaml',
    diagnostics: [`policies/second-document-deployment.yaml:8:7: note: skipping Deployment shop/backend: ${SKIP}`],
    policies: ['shop/backend-ingress'],
  },
  {
    fixture: 'no-networkpolicy.yaml',
    diagnostics: [
      'policies/no-networkpolicy.yaml:2:7: error: kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "Deployment")',
      'policies/no-networkpolicy.yaml:17:7: error: kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "Service")',
    ],
  },
  {
    fixture: 'kind-typo.yaml',
    diagnostics: [
      'policies/kind-typo.yaml:7:7: error: kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "NetworkPolcy")',
    ],
  },
  {
    fixture: 'empty-list.yaml',
    diagnostics: [
      'empty-list.yaml:11:13: error: policy file policies/empty-list.yaml holds no NetworkPolicy: its List has no items',
    ],
  },
  {
    fixture: 'list-item-unknown-field.yaml',
    diagnostics: [
      'policies/list-item-unknown-field.yaml:13:5: error: spec.ingres: unknown field "ingres" (did you mean "ingress"?); allowed here: podSelector, policyTypes, ingress, egress',
    ],
  },
  {
    fixture: 'list-wrong-api-version.yaml',
    diagnostics: [
      'policies/list-wrong-api-version.yaml:1:13: error: apiVersion: must be networking.k8s.io/v1 for a NetworkPolicyList (got "v1")',
    ],
  },
  {
    fixture: 'list-items-not-a-list.yaml',
    diagnostics: [
      'policies/list-items-not-a-list.yaml:4:3: error: items: a List needs a list of NetworkPolicy objects here',
    ],
  },
];

describe('policy files pasted from kubectl', () => {
  it('has a case for every scenario fixture, and a fixture for every case', () => {
    const fixtures = readdirSync(MANIFESTS)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(CASES.map((c) => c.fixture).sort()).to.deep.equal(fixtures);
  });

  for (const c of CASES) {
    const outcome = c.policies ? `loads ${c.policies.join(', ')}` : 'is refused';
    it(`${c.fixture} ${outcome}, with ${c.diagnostics.length} diagnostic(s) at their own lines`, () => {
      const { scenario, diagnostics } = loadScenario(path.join(MANIFESTS, c.fixture));
      const prefix = shown(MANIFESTS);
      expect(diagnostics.map(formatDiagnostic)).to.deep.equal(c.diagnostics.map((d) => path.join(prefix, d)));
      if (!c.policies) {
        expect(scenario).to.equal(undefined);
        return;
      }
      const sources = scenario!.steps[0]!.policies;
      if (c.origins) expect(sources.map((p) => `${p.origin.line}:${p.origin.col}`)).to.deep.equal(c.origins);
      const policies = sources.map((p) => p.manifest as unknown as NetworkPolicy);
      expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).to.deep.equal(c.policies);
      for (const p of policies) {
        expect(p.apiVersion).to.equal('networking.k8s.io/v1');
        expect(p.kind).to.equal('NetworkPolicy');
        expect(Object.keys(p).sort()).to.deep.equal(['apiVersion', 'kind', 'metadata', 'spec']);
        expect(Object.keys(p.metadata).sort()).to.deep.equal(['name', 'namespace']);
      }
    });
  }
});
