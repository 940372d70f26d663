/**
 * Probing through Services: a connection to a Service is judged at the backend pod on the resolved
 * targetPort (NetworkPolicy knows pods, not Services); through the Service's DNS name it also needs
 * the lookup; a pod reaching itself through its own Service is left unspecified.
 */
import { expect } from 'chai';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { explainServiceCell } from '../../../harness/engine/service-paths.js';
import { resolveExpectations, type CellRef } from '../../../harness/model/expectations.js';
import { formatDiagnostic } from '../../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const scenarioText = (extra: { probe?: string; policies?: string; service?: string; expect?: string } = {}) => `
apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: paths}
spec:
  namespaces:
    shop: {}
    edge: {}
  workloads:
    - name: web
      namespace: shop
      labels: {app: web}
      ports: [{port: 8080, name: http}, {port: 9090, name: metrics}]
      service: ${extra.service ?? '{ports: [{port: 80, targetPort: http}]}'}
    - {name: ingress, namespace: edge, labels: {app: ingress}}
${extra.probe ? `  probe: ${extra.probe}\n` : ''}  policies:
${extra.policies ?? '    []'}
  expect:
    default: predicted
${extra.expect ?? ''}`;

function load(text: string) {
  return loadScenario('paths.yaml', { readText: () => ({ text }) });
}

function cells(text: string): CellRef[] {
  const { scenario, diagnostics } = load(text);
  expect(diagnostics.map(formatDiagnostic)).to.deep.equal([]);
  return [...predictScenario(scenario!)[0]!.cells];
}

const name = (c: CellRef) =>
  `${c.from.key} -> ${c.to.key} ${c.port.port}${c.via ? ` via ${c.via} ${c.service!.name}:${c.service!.port}` : ''}`;

const ONLY_INGRESS_ON_HTTP = `
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress:
            - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: edge}}}]
              ports: [{port: http}]`;

const DENY_EGRESS_FROM_EDGE = `
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-egress, namespace: edge}
        spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}}], ports: [{port: 8080}]}]}`;

describe('Service paths', () => {
  it('by default a Service adds service cells, one per Service port, after the pod cells', () => {
    expect(cells(scenarioText()).map(name)).to.deep.equal([
      'shop/web -> shop/web 8080',
      'shop/web -> shop/web 9090',
      'edge/ingress -> shop/web 8080',
      'edge/ingress -> shop/web 9090',
      'shop/web -> shop/web 8080 via service web:80',
      'edge/ingress -> shop/web 8080 via service web:80',
    ]);
  });

  it('a named targetPort resolves against the pod, and policy matches the resolved port', () => {
    const c = cells(scenarioText({ policies: ONLY_INGRESS_ON_HTTP })).find(
      (x) => x.via === 'service' && x.from.key === 'edge/ingress',
    )!;
    expect(c.port).to.deep.equal({ port: 8080, protocol: 'TCP', name: 'http' });
    expect(c.predicted).to.equal(true);
  });

  it('a Service port to a port the policy does not open is blocked like the pod cell', () => {
    const all = cells(
      scenarioText({ policies: ONLY_INGRESS_ON_HTTP, service: '{ports: [{port: 80, targetPort: metrics}]}' }),
    );
    const via = all.find((x) => x.via === 'service' && x.from.key === 'edge/ingress')!;
    expect(via.port.port).to.equal(9090);
    expect(via.predicted).to.equal(false);
  });

  it('via dns needs the lookup: an egress policy without DNS blocks the name, not the cluster IP', () => {
    const all = cells(scenarioText({ probe: '{via: [pod, service, dns]}', policies: DENY_EGRESS_FROM_EDGE }));
    const from = (via: string | undefined) =>
      all.find((x) => x.via === via && x.from.key === 'edge/ingress' && x.port.port === 8080)!.predicted;
    expect([from(undefined), from('service'), from('dns')]).to.deep.equal([true, true, false]);
  });

  it('a pod reaching itself through its own Service is unspecified and not asserted', () => {
    const all = cells(scenarioText());
    const hairpin = all.find((x) => x.via === 'service' && x.from.key === 'shop/web')!;
    expect(hairpin.unspecified).to.match(/hairpin/);
    const { scenario } = load(scenarioText());
    const expected = resolveExpectations(scenario!.steps[0]!.expect, all);
    expect(expected[all.indexOf(hairpin)]!.expected).to.equal('unasserted');
  });

  it('rules may name a path', () => {
    const text = scenarioText({
      expect: '    rules: [{from: edge/ingress, to: shop/web, via: service, allowed: false}]\n',
    });
    const all = cells(text);
    const expected = resolveExpectations(load(text).scenario!.steps[0]!.expect, all);
    const of = (via?: string) => expected[all.findIndex((x) => x.via === via && x.from.key === 'edge/ingress')]!;
    expect([of(undefined).expected, of('service').expected]).to.deep.equal(['allow', 'deny']);
  });

  it('probe.via: [pod] leaves Services unprobed', () => {
    expect(cells(scenarioText({ probe: '{via: [pod]}' })).some((x) => x.via)).to.equal(false);
  });

  it('services: all gives every serving workload the upstream suite Service (each port on itself)', () => {
    const text = scenarioText({ probe: '{via: [service], services: all}', service: 'null' }).replace(
      '      service: null\n',
      '',
    );
    const { scenario } = load(text);
    expect(scenario!.workloads[0]!.service).to.deep.include({ name: 'web', type: 'ClusterIP', implicit: true });
    expect(
      cells(text)
        .filter((x) => x.via)
        .map(name),
    ).to.deep.equal([
      'shop/web -> shop/web 8080 via service web:8080',
      'shop/web -> shop/web 9090 via service web:9090',
      'edge/ingress -> shop/web 8080 via service web:8080',
      'edge/ingress -> shop/web 9090 via service web:9090',
    ]);
  });
});

describe('Service declarations are checked at their line', () => {
  const errors = (service: string) => load(scenarioText({ service })).diagnostics.map(formatDiagnostic);

  it('a targetPort the workload does not serve', () => {
    expect(errors('{ports: [{port: 80, targetPort: htp}]}').join('\n')).to.match(
      /paths\.yaml:\d+:\d+: error: targetPort htp\/TCP is not a port web serves \(it serves 8080\/TCP \(http\), 9090\/TCP \(metrics\)\).*did you mean "http"/,
    );
  });

  it('two ports without names', () => {
    expect(errors('{ports: [{port: 80, targetPort: http}, {port: 81, targetPort: metrics}]}').join('\n')).to.match(
      /needs a name on each/,
    );
  });

  it('externalTrafficPolicy on a ClusterIP Service', () => {
    expect(errors('{externalTrafficPolicy: Local, ports: [{port: 80, targetPort: http}]}').join('\n')).to.match(
      /externalTrafficPolicy applies to a NodePort Service only/,
    );
  });

  it('a Service name that is not a DNS-1035 label', () => {
    expect(errors('{name: 1web, ports: [{port: 80, targetPort: http}]}').join('\n')).to.match(/DNS-1035/);
  });
});

describe('explain through a Service agrees with the fast path', () => {
  it('on every service and dns cell of the service-paths example', () => {
    const { scenario } = loadScenario('scenarios/12-service-paths.yaml');
    const [step] = predictScenario(scenario!);
    const via = step!.cells.filter((c) => c.via);
    expect(via.length).to.equal(6);
    for (const c of via) {
      const w = scenario!.workloads.find((x) => `${x.namespace}/${x.name}` === c.to.key)!;
      const port = w.service!.ports.find((p) => p.port === c.service!.port)!;
      const e = explainServiceCell(
        step!.world,
        step!.policies,
        c.from,
        c.to,
        { name: w.service!.name, port },
        c.via as 'service' | 'dns',
      )!;
      expect(e.allowed, `${c.from.key} -> ${c.to.key} via ${c.via}`).to.equal(c.predicted);
      expect(e.port).to.deep.equal(c.port);
      expect(e.path.unspecified !== undefined).to.equal(c.unspecified !== undefined);
      expect(e.path.lookup !== undefined).to.equal(c.via === 'dns');
    }
  });
});
