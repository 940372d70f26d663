/**
 * The compatibility page files each scenario under the features it exercises. They are read from
 * the scenario itself, so a scenario cannot be filed under "ip-block" without an ipBlock, and an
 * author's `metadata.tags` only add to them.
 */
import { expect } from 'chai';
import { loadScenario } from '../../../harness/scenario/load.js';
import { scenarioFeatures, scenarioTags } from '../../../harness/scenario/features.js';

const PORT_RANGE = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: range}
spec:
  namespaces: {shop: {}}
  workloads:
    - {name: api, namespace: shop, labels: {app: api}, ports: [{port: 8080}, {port: 8081, protocol: UDP}]}
    - {name: web, namespace: shop, labels: {app: web}}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8000, endPort: 8090}]}]
`;

const features = (file: string) => scenarioFeatures(loadScenario(file).scenario!);

describe('scenario features', () => {
  it('a default-deny on ingress with DNS expectations is ingress, default-deny and dns, nothing else', () => {
    expect(features('scenarios/01-default-deny-ingress.yaml')).to.deep.equal(['ingress', 'default-deny', 'dns']);
  });

  it('egress to a CIDR with an except, to an external, reads as egress, ip-block, ip-block-except and external', () => {
    expect(features('scenarios/09-egress-to-external-cidr.yaml')).to.include.members([
      'egress',
      'ip-block',
      'ip-block-except',
      'external',
    ]);
  });

  it('a rollout that relabels between steps is multi-step and relabel', () => {
    expect(features('scenarios/11-multi-step-rollout.yaml')).to.include.members(['multi-step', 'relabel']);
  });

  it('named ports, endPort, UDP and SCTP come from the policies and the served ports', () => {
    expect(features('test/fixtures/upstream/ingress-one-named-port.yaml')).to.include('named-port');
    const range = loadScenario('range.yaml', { readText: () => ({ text: PORT_RANGE }) }).scenario!;
    expect(scenarioFeatures(range)).to.deep.equal(['ingress', 'pod-selector', 'end-port', 'udp']);
    expect(features('test/fixtures/upstream/sctp-ports.yaml')).to.include('sctp');
  });

  it("an author's tags come after the derived features and never repeat them", () => {
    const { scenario } = loadScenario('scenarios/01-default-deny-ingress.yaml');
    expect(scenarioTags({ ...scenario!, tags: ['conformance', 'ingress'] })).to.deep.equal([
      'ingress',
      'default-deny',
      'dns',
      'conformance',
    ]);
  });
});
