/**
 * Workloads that serve nothing (batch jobs, clients) are common in real clusters, and a snapshot
 * carries them: a workload may leave `ports` out. It is probed from, never to.
 */
import { expect } from 'chai';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const SCENARIO = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: portless}
spec:
  namespaces:
    shop: {}
  workloads:
    - {name: api, namespace: shop, labels: {app: api}, ports: [{port: 8080}]}
    - {name: nightly-report, namespace: shop, labels: {app: report}}
    - {name: cron-client, namespace: shop, labels: {app: cron}, ports: []}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress: [{from: [{podSelector: {matchLabels: {app: report}}}]}]
  expect:
    default: predicted
`;

describe('workloads without ports', () => {
  const { scenario, diagnostics } = loadScenario('portless.yaml', { readText: () => ({ text: SCENARIO }) });

  it('load with no diagnostic, whether ports is left out or empty', () => {
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
    expect(scenario?.workloads.map((w) => w.ports.length)).to.deep.equal([1, 0, 0]);
  });

  it('are sources of cells and never destinations', () => {
    const [step] = predictScenario(scenario!);
    const cells = step!.cells.map((c) => `${c.from.key} -> ${c.to.key}:${c.port.port} ${c.predicted ? '.' : 'X'}`);
    expect(cells).to.deep.equal([
      'shop/api -> shop/api:8080 X',
      'shop/nightly-report -> shop/api:8080 .',
      'shop/cron-client -> shop/api:8080 X',
    ]);
  });
});
