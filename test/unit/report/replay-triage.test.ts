/**
 * The triage of a replay of `snapshot --observed`: who reproduces production, and for each cell
 * where a target does not, whether the target or production strays from the spec.
 */
import { expect } from 'chai';
import type { Outcome } from '../../../harness/model/observation.js';
import type { CellResult, RunReport, ScenarioRun } from '../../../harness/model/run-report.js';
import { makeStyle } from '../../../harness/report/console-style.js';
import { replayTriage } from '../../../harness/report/replay-triage.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const SCENARIO = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata:
  name: prod
  environment: {context: prod, cni: [calico v3.27.0]}
spec:
  namespaces: {shop: {}}
  workloads:
    - {name: web, namespace: shop, labels: {app: web}}
    - {name: api, namespace: shop, labels: {app: api}, ports: [{port: 8080}]}
    - {name: db, namespace: shop, labels: {app: db}, ports: [{port: 5432}]}
  policies:
    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db-from-api, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
  expect:
    default: predicted
    matrix:
      - port: 8080
        table: |
          from\\to   shop/api
          shop/web  .
      - port: 5432
        table: |
          from\\to   shop/db
          shop/web  .
          shop/api  .
`;
const scenario = loadScenario('repro/prod.yaml', { readText: () => ({ text: SCENARIO }) }).scenario!;

/** A cell as the run judges it: observed against the expectation the matrix gave. */
function cell(
  from: string,
  to: string,
  port: number,
  observed: Outcome,
  expected: boolean,
  predicted: boolean,
): CellResult {
  const pass = (observed === 'allowed') === expected;
  return {
    from,
    to,
    port,
    protocol: 'TCP',
    expected: expected ? 'allow' : 'deny',
    expectationSource: 'matrix',
    predicted,
    observed,
    detail: '',
    verdict: pass ? 'pass' : 'fail',
    clusterDeviatesFromSpec: (observed === 'allowed') !== predicted,
    settledAfterMs: 0,
    flapping: false,
    slow: false,
    reproduce: '',
  };
}

function run(target: string, cells: CellResult[]): ScenarioRun {
  return {
    scenario: 'prod',
    file: 'repro/prod.yaml',
    target,
    durationMs: 1,
    steps: [
      { name: 'default', cells, dns: [], durationMs: 1, convergence: { rounds: 1, settledAfterMs: 0, stable: true } },
    ],
  };
}

const report = (runs: ScenarioRun[]) => ({ runs }) as unknown as RunReport;
const style = makeStyle(false);

describe('triage of a replay against what production observed', () => {
  // Production: web reaches api (as the spec says) and db (which the spec says is blocked: production
  // has something the NetworkPolicies do not say).
  const calico = run('calico', [
    cell('shop/web', 'shop/api', 8080, 'allowed', true, true),
    cell('shop/web', 'shop/db', 5432, 'dropped', true, false),
    cell('shop/api', 'shop/db', 5432, 'allowed', true, true),
  ]);
  const cilium = run('cilium', [
    cell('shop/web', 'shop/api', 8080, 'dropped', true, true),
    cell('shop/web', 'shop/db', 5432, 'dropped', true, false),
    cell('shop/api', 'shop/db', 5432, 'allowed', true, true),
  ]);

  it('names who reproduces production, and per cell whether the target or production strays from the spec', () => {
    expect(replayTriage(report([calico, cilium]), [scenario], { explain: false, style })).to.deep.equal([
      'Triage: repro/prod.yaml, captured from prod (calico v3.27.0)',
      '  no target reproduces it: look at what the replay could not copy (the warnings above, metadata.environment)',
      '  calico differs on 1 of 3 observed cells',
      '  cilium differs on 2 of 3 observed cells',
      '  shop/web -> shop/db 5432/TCP: production allowed, calico blocked, cilium blocked; the spec: blocked',
      '    production does not do what its NetworkPolicies say here: a policy of another kind, a CNI setting or ' +
        'something the snapshot could not carry decides it (metadata.environment)',
      '  shop/web -> shop/api 8080/TCP: production allowed, calico allowed, cilium blocked; the spec: allowed',
      '    cilium deviate(s) from the spec here; production follows it',
    ]);
  });

  it('a cell through a Service or its DNS name says which path, apart from the pod cell', () => {
    const viaService = { ...cell('shop/web', 'shop/api', 8080, 'dropped', true, true), via: 'service' as const };
    const lines = replayTriage(
      report([run('cilium', [cell('shop/web', 'shop/api', 8080, 'dropped', true, true), viaService])]),
      [scenario],
      { explain: false, style },
    );
    expect(lines.filter((l) => l.startsWith('  shop/web -> shop/api'))).to.deep.equal([
      '  shop/web -> shop/api 8080/TCP: production allowed, cilium blocked; the spec: allowed',
      '  shop/web -> shop/api 8080/TCP via service: production allowed, cilium blocked; the spec: allowed',
    ]);
  });

  it('a target that matches every observed cell reproduces production', () => {
    const good = run('calico', [
      cell('shop/web', 'shop/api', 8080, 'allowed', true, true),
      cell('shop/web', 'shop/db', 5432, 'allowed', true, false),
      cell('shop/api', 'shop/db', 5432, 'allowed', true, true),
    ]);
    const lines = replayTriage(report([good, cilium]), [scenario], { explain: false, style });
    expect(lines[1]).to.equal("  production's behaviour is reproduced by: calico (all 3 cells)");
  });

  it('--explain-divergence: the policy and rule that decide each differing cell', () => {
    const lines = replayTriage(report([calico]), [scenario], { explain: true, style });
    const text = lines.join('\n');
    expect(text).to.contain('      shop/web -> shop/db 5432/TCP, step default: BLOCKED');
    expect(text).to.contain('isolated by shop/db-from-api');
  });

  it('names the upstream issue when Cilium drops a cell only an egress rule with a named port allows', () => {
    const named = loadScenario('repro/named.yaml', {
      readText: () => ({
        text: SCENARIO.replace('ports: [{port: 8080}]', 'ports: [{port: 8080, name: http}]').replace(
          '  expect:',
          `    - manifest:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web-egress, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Egress]
          egress: [{to: [{podSelector: {}}], ports: [{port: http}]}]
  expect:`,
        ),
      }),
    }).scenario!;
    const dropped = run('cilium', [cell('shop/web', 'shop/api', 8080, 'dropped', true, true)]);
    const withTargets = { runs: [dropped], targets: [{ name: 'cilium', cni: 'cilium' }] } as unknown as RunReport;
    const lines = replayTriage(withTargets, [{ ...named, file: 'repro/prod.yaml' }], { explain: false, style });
    expect(lines).to.include(
      '    cilium: only an egress rule naming the port "http" allows it: Cilium resolves an egress named port ' +
        'across the cluster and drops when that name stands for different numbers on different pods ' +
        '(cilium/cilium#30003); name the number in the egress rule to be portable',
    );
  });

  it('a scenario written by hand (no environment) gets no triage; one without --observed says so', () => {
    const plain = { ...scenario, environment: undefined };
    expect(replayTriage(report([calico]), [plain], { explain: false, style })).to.deep.equal([]);
    const unobserved = run('calico', [{ ...calico.steps[0]!.cells[0]!, expectationSource: 'default' }]);
    expect(replayTriage(report([unobserved]), [scenario], { explain: false, style })[1]).to.contain(
      'no observed matrix',
    );
  });
});
