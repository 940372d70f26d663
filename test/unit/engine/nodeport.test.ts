/**
 * From outside through a NodePort: judged at the backend pod on the targetPort. With
 * externalTrafficPolicy Local the client's address is kept; with Cluster kube-proxy may SNAT it to a
 * node address, so the cell is unspecified wherever that reading would decide otherwise.
 */
import { expect } from 'chai';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const cells = () => {
  const { scenario, diagnostics } = loadScenario('scenarios/14-nodeport-from-outside.yaml');
  expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
  return predictScenario(scenario!)[0]!.cells.filter((c) => c.via === 'nodeport');
};

describe('nodeport cells', () => {
  it('one per external and NodePort Service port, judged on the targetPort', () => {
    expect(
      cells().map((c) => `${c.from.key} -> ${c.to.key} ${c.port.port} via ${c.service!.name}:${c.service!.port}`),
    ).to.deep.equal([
      'external:partner -> shop/web 8080 via web:80',
      'external:partner -> shop/api 8080 via api:80',
      'external:stranger -> shop/web 8080 via web:80',
      'external:stranger -> shop/api 8080 via api:80',
    ]);
  });

  it('Local: the client address decides (the partner network is admitted, a stranger is not)', () => {
    const [partner, , stranger] = cells();
    expect([partner!.predicted, partner!.unspecified, stranger!.predicted, stranger!.unspecified]).to.deep.equal([
      true,
      undefined,
      false,
      undefined,
    ]);
  });

  it('Cluster: unspecified where a node address would decide otherwise, definite where every reading agrees', () => {
    const [, partner, , stranger] = cells();
    expect(partner!.unspecified).to.equal(
      'externalTrafficPolicy: Cluster lets kube-proxy SNAT the client: allowed as the client, ' +
        'blocked as a node IP and as a tunnel address',
    );
    expect([stranger!.predicted, stranger!.unspecified]).to.deep.equal([false, undefined]);
  });

  it('an external is a source only when the scenario probes through NodePorts', () => {
    const text = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: x}
spec:
  namespaces: {shop: {}}
  workloads: [{name: web, namespace: shop, ports: [{port: 80}], service: {type: NodePort, ports: [{port: 80}]}}]
  externals: [{name: partner, ip: 198.51.100.10, ports: [{port: 443}]}]
  expect:
    rules: [{from: "external:partner", to: shop/web, allowed: true}]
`;
    const { diagnostics } = loadScenario('x.yaml', { readText: () => ({ text }) });
    expect(diagnostics.map(formatDiagnostic).join('\n')).to.match(
      /x\.yaml:9:20: error: externals are probe sources only through NodePorts/,
    );
  });
});

describe('explain under readings agrees with the fast path', () => {
  it('on every node and nodeport cell of the examples', async () => {
    const { explainReadings, remoteNodeReadings, withHostProbeNamespace, tunnelAddress, SYNTHETIC_NODE_IP } =
      await import('../../../harness/engine/node-sources.js');
    const { nodePortReadings } = await import('../../../harness/engine/nodeport.js');
    let checked = 0;
    for (const file of ['scenarios/13-node-probes.yaml', 'scenarios/14-nodeport-from-outside.yaml']) {
      const { scenario } = loadScenario(file);
      const [step] = predictScenario(scenario!);
      for (const c of step!.cells) {
        const readings =
          c.from.key === 'node:remote'
            ? remoteNodeReadings(SYNTHETIC_NODE_IP, tunnelAddress(scenario!.podCIDR))
            : c.via === 'nodeport'
              ? nodePortReadings(
                  c.from,
                  scenario!.workloads.find((w) => `${w.namespace}/${w.name}` === c.to.key)!.service!
                    .externalTrafficPolicy,
                  SYNTHETIC_NODE_IP,
                  scenario!.podCIDR,
                )
              : undefined;
        if (!readings) continue;
        const world = c.from.key === 'node:remote' ? withHostProbeNamespace(step!.world) : step!.world;
        const e = explainReadings(world, step!.policies, c.from, c.to, c.port, readings, c.via ? 0 : 1, 'x');
        expect(e.allowed, `${c.from.key} -> ${c.to.key} ${c.port.port}`).to.equal(c.predicted);
        expect(e.unspecified !== undefined).to.equal(c.unspecified !== undefined);
        checked++;
      }
    }
    expect(checked).to.equal(7);
  });
});
