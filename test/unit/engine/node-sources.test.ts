/**
 * Sources on nodes. The spec always allows a pod's own node; for another node it lets the CNI read a
 * host-network source as a pod or as its node IP (and a CNI may use a tunnel address): predicted where
 * those readings agree, unspecified where they differ.
 */
import { expect } from 'chai';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const scenarioText = (ingress: string, extra = '') => `
apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: nodes}
spec:
  namespaces: {shop: {}}
  workloads:
    - {name: api, namespace: shop, labels: {app: api}, ports: [{port: 8080}]}
  probe: {fromNodes: true}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: shop}
        spec: {podSelector: {}, policyTypes: [Ingress]${ingress ? `, ingress: ${ingress}` : ''}}
  expect:
    default: predicted
${extra}`;

function nodeCells(ingress: string) {
  const { scenario, diagnostics } = loadScenario('nodes.yaml', { readText: () => ({ text: scenarioText(ingress) }) });
  expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
  const cells = predictScenario(scenario!)[0]!.cells.filter((c) => c.from.kind === 'node');
  return Object.fromEntries(cells.map((c) => [c.from.key, { predicted: c.predicted, unspecified: c.unspecified }]));
}

describe('node sources', () => {
  it('the destination pod node is always allowed, even under default deny', () => {
    expect(nodeCells('')['node:local']).to.deep.equal({ predicted: true, unspecified: undefined });
  });

  it('another node under default deny: blocked under every reading', () => {
    expect(nodeCells('')['node:remote']).to.deep.equal({ predicted: false, unspecified: undefined });
  });

  it('a rule that allows every source allows another node under every reading', () => {
    expect(nodeCells('[{}]')['node:remote']).to.deep.equal({ predicted: true, unspecified: undefined });
  });

  it('namespaceSelector {} admits it only if it counts as a pod: unspecified', () => {
    const remote = nodeCells('[{from: [{namespaceSelector: {}}]}]')['node:remote']!;
    expect(remote.unspecified).to.equal(
      'the spec leaves a host-network source undefined: allowed as a pod, blocked as its node IP and as a tunnel address',
    );
  });

  it("an ipBlock of the nodes' network admits the node IP but not a tunnel address: unspecified", () => {
    const remote = nodeCells('[{from: [{ipBlock: {cidr: 172.18.0.0/16}}]}]')['node:remote']!;
    expect(remote.predicted).to.equal(true);
    expect(remote.unspecified).to.match(/blocked as a tunnel address$/);
  });
});

describe('node peers in expectations', () => {
  const errors = (extra: string, probe = '{fromNodes: true}') =>
    loadScenario('nodes.yaml', {
      readText: () => ({ text: scenarioText('', extra).replace('{fromNodes: true}', probe) }),
    }).diagnostics.map(formatDiagnostic);

  it('node:local, node:remote and node:* are sources', () => {
    expect(errors('    rules: [{from: "node:*", to: shop/api, allowed: true}]\n')).to.deep.equal([]);
  });

  it('a node is never a destination', () => {
    expect(errors('    rules: [{from: shop/api, to: "node:local", allowed: true}]\n').join('\n')).to.match(
      /nodes are probe sources, not destinations/,
    );
  });

  it('node sources need spec.probe.fromNodes', () => {
    expect(
      errors('    rules: [{from: "node:local", to: shop/api, allowed: true}]\n', '{via: [pod]}').join('\n'),
    ).to.match(/"node:local" is probed only with spec.probe.fromNodes: true/);
  });

  it('a misspelt node source says which exist', () => {
    expect(errors('    rules: [{from: "node:remot", to: shop/api, allowed: true}]\n').join('\n')).to.match(
      /"node:remot" is not a node source: use node:local, node:remote or node:\*/,
    );
  });
});
