/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy in scenarios: checked by their published OpenAPI
 * rules and the CRDs' CEL rules (network-policy-api v0.1.x), each error at the file:line of the cause.
 */
import path from 'node:path';
import { expect } from 'chai';
import { predictScenario } from '../../../harness/engine/predict-step.js';
import { loadScenario } from '../../../harness/scenario/load.js';

const HEAD = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: cluster-scoped}
spec:
  namespaces:
    prod: {labels: {env: prod}}
    dev: {labels: {env: dev}}
  workloads:
    - {name: web, namespace: prod, labels: {app: web}, ports: [{port: 80, protocol: TCP, name: http}]}
    - {name: toy, namespace: dev, labels: {app: toy}, ports: [{port: 80, protocol: TCP}]}
  policies:
`;

/** Diagnostics of a scenario whose policies are `policies` (YAML list items, indented 4). */
function diagnose(policies: string): string[] {
  const text = HEAD + policies;
  const { diagnostics } = loadScenario('/virtual/cluster-scoped.yaml', {
    readText: () => ({ text }),
  });
  return diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`);
}

const anp = (spec: string, metadata = '{name: guard}') => `    - manifest:
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: ${metadata}
        spec:
${spec}`;

const subject = '          subject: {namespaces: {matchLabels: {env: prod}}}\n';

describe('cluster-scoped policies in a scenario', () => {
  it('a valid ANP and BANP load with no diagnostic', () => {
    expect(
      diagnose(
        anp(
          '          priority: 10\n' +
            subject +
            '          ingress: [{action: Deny, from: [{namespaces: {matchLabels: {env: dev}}}], ' +
            'ports: [{portNumber: {protocol: TCP, port: 80}}, {portRange: {start: 8000, end: 9000}}, {namedPort: http}]}]\n' +
            '          egress: [{action: Pass, to: [{networks: [10.0.0.0/8]}]}]\n',
        ) +
          `    - manifest:
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: BaselineAdminNetworkPolicy
        metadata: {name: default}
        spec:
          subject: {namespaces: {}}
          ingress: [{action: Deny, from: [{namespaces: {}}]}]
`,
      ),
    ).to.deep.equal([]);
  });

  it('priority outside 0 to 1000', () => {
    expect(diagnose(anp('          priority: 1001\n' + subject))).to.deep.equal([
      '17: error: spec.policies[0].manifest.spec.priority: must be an integer from 0 to 1000 (got 1001)',
    ]);
  });

  it('an action that is not Allow, Deny or Pass (a BANP has no Pass)', () => {
    expect(
      diagnose(
        anp('          priority: 1\n' + subject + '          ingress: [{action: Reject, from: [{namespaces: {}}]}]\n'),
      ),
    ).to.deep.equal([
      '19: error: spec.policies[0].manifest.spec.ingress[0].action: must be Allow, Deny or Pass (got "Reject")',
    ]);
    expect(
      diagnose(`    - manifest:
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: BaselineAdminNetworkPolicy
        metadata: {name: default}
        spec:
          subject: {namespaces: {}}
          egress: [{action: Pass, to: [{namespaces: {}}]}]
`),
    ).to.deep.equal(['18: error: spec.policies[0].manifest.spec.egress[0].action: must be Allow or Deny (got "Pass")']);
  });

  it('a BaselineAdminNetworkPolicy not named default (got "baseline")', () => {
    expect(
      diagnose(`    - manifest:
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: BaselineAdminNetworkPolicy
        metadata: {name: baseline}
        spec:
          subject: {namespaces: {}}
`),
    ).to.deep.equal([
      '15: error: spec.policies[0].manifest.metadata.name: must be "default": a cluster has one BaselineAdminNetworkPolicy, named default (got "baseline")',
    ]);
  });

  it('a namespace on a cluster-scoped policy', () => {
    expect(diagnose(anp('          priority: 1\n' + subject, '{name: guard, namespace: prod}'))).to.deep.equal([
      '15: error: spec.policies[0].manifest.metadata.namespace: unknown field "namespace"; allowed here: name, labels, annotations',
    ]);
  });

  it('a subject or peer with two kinds of selector, or none', () => {
    expect(
      diagnose(
        anp(
          '          priority: 1\n          subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}\n',
        ),
      ),
    ).to.deep.equal([
      '18: error: spec.policies[0].manifest.spec.subject: must have exactly one of `namespaces` or `pods`',
    ]);
    expect(
      diagnose(anp('          priority: 1\n' + subject + '          ingress: [{action: Deny, from: [{}]}]\n')),
    ).to.deep.equal([
      '19: error: spec.policies[0].manifest.spec.ingress[0].from[0]: must have exactly one of `namespaces` or `pods` (ingress peers)',
    ]);
  });

  it('networks in an ingress rule (egress only), and an empty peer list', () => {
    expect(
      diagnose(
        anp(
          '          priority: 1\n' +
            subject +
            '          ingress: [{action: Deny, from: [{networks: [10.0.0.0/8]}]}]\n',
        ),
      ),
    ).to.deep.include(
      '19: error: spec.policies[0].manifest.spec.ingress[0].from[0].networks: unknown field "networks"; allowed here: namespaces, pods',
    );
    expect(
      diagnose(anp('          priority: 1\n' + subject + '          egress: [{action: Deny, to: []}]\n')),
    ).to.deep.equal(['19: error: spec.policies[0].manifest.spec.egress[0].to: must NOT have fewer than 1 items']);
  });

  it('more than 100 rules in a direction', () => {
    const rules = Array.from({ length: 101 }, () => '{action: Deny, from: [{namespaces: {}}]}').join(', ');
    expect(diagnose(anp('          priority: 1\n' + subject + `          ingress: [${rules}]\n`))).to.deep.equal([
      '19: error: spec.policies[0].manifest.spec.ingress: must NOT have more than 100 items',
    ]);
  });

  it('nodes peers: experimental, not modelled, refused with the reason', () => {
    expect(
      diagnose(anp('          priority: 1\n' + subject + '          egress: [{action: Deny, to: [{nodes: {}}]}]\n')),
    ).to.deep.equal([
      '19: error: nodes peers are experimental and not modelled by netpol-harness: ' +
        'it cannot predict which node addresses they select, and does not guess',
    ]);
  });

  it("the CRD's rules: a port range that runs backwards, a named port with networks, a bad CIDR", () => {
    expect(
      diagnose(
        anp(
          '          priority: 1\n' +
            subject +
            '          egress: [{action: Deny, to: [{networks: [10.0.0.0/33]}], ports: [{portRange: {start: 90, end: 80}}, {namedPort: http}]}]\n',
        ),
      ),
    ).to.deep.equal([
      '19: error: "10.0.0.0/33" is not a CIDR (like 10.0.0.0/8 or fd00::/8)',
      '19: error: portRange start (90) must be less than end (80)',
      '19: error: networks/nodes peer cannot be set with namedPorts since ' +
        'there are no namedPorts for networks/nodes',
    ]);
  });

  it('two ANPs of one priority: a warning at the second, naming the first', () => {
    const lines = diagnose(
      anp('          priority: 5\n' + subject) + anp('          priority: 5\n' + subject, '{name: other}'),
    );
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^24: warning: priority 5 is also anp\/guard's, in the admin tier \(.*:13\): the API leaves their order undefined/,
    );
  });

  it('placeholders as in a NetworkPolicy: a pod IP in networks, bound before the CIDR is checked', () => {
    const egress = (peer: string) => `          egress: [{action: Deny, to: [{networks: ["${peer}"]}]}]\n`;
    expect(diagnose(anp('          priority: 1\n' + subject + egress('${podIP:dev/toy}/32')))).to.deep.equal([]);
    const { scenario } = loadScenario('/virtual/cluster-scoped.yaml', {
      readText: () => ({ text: HEAD + anp('          priority: 1\n' + subject + egress('${podIP:dev/toy}/32')) }),
    });
    const cells = predictScenario(scenario!)[0]!.cells.filter((c) => c.from.key === 'prod/web' && !c.via);
    expect(cells.map((c) => `${c.to.key} ${c.predicted ? 'allowed' : 'blocked'}`)).to.include.members([
      'dev/toy blocked',
      'prod/web allowed',
    ]);
    expect(diagnose(anp('          priority: 1\n' + subject + egress('${podIP:dev/tyo}/32')))).to.deep.equal([
      '19: error: placeholder: workload "dev/tyo" is not declared (did you mean "dev/toy"?)',
    ]);
    expect(diagnose(anp('          priority: 1\n' + subject + egress('${podIP:dev/toy}/33')))).to.deep.equal([
      '19: error: "10.244.0.17/33" is not a CIDR (like 10.0.0.0/8 or fd00::/8)',
    ]);
  });

  it('the same ANP twice is an error, as for NetworkPolicies', () => {
    // Diagnostics name files relative to the working directory, which depends on where the clone lives.
    expect(diagnose(anp('          priority: 5\n' + subject) + anp('          priority: 6\n' + subject))).to.deep.equal(
      [
        `22: error: policy anp/guard is already defined at ${path.relative(process.cwd(), '/virtual/cluster-scoped.yaml')}:13`,
      ],
    );
  });
});

const cnp = (spec: string, apiVersion = 'policy.networking.k8s.io/v1beta1') => `    - manifest:
        apiVersion: ${apiVersion}
        kind: ClusterNetworkPolicy
        metadata: {name: guard}
        spec:
${spec}`;

describe('ClusterNetworkPolicy in a scenario', () => {
  it('a valid one, in each tier and at either API version, loads with no diagnostic', () => {
    const rules =
      '          ingress: [{action: Accept, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 80}}}, ' +
      '{udp: {destinationPort: {range: {start: 53, end: 54}}}}, {sctp: {}}, {destinationNamedPort: http}]}]\n' +
      '          egress: [{action: Pass, to: [{networks: [10.0.0.0/8]}]}]\n';
    expect(diagnose(cnp('          tier: Admin\n          priority: 1\n' + subject + rules))).to.deep.equal([]);
    expect(
      diagnose(
        cnp('          tier: Baseline\n          priority: 1\n' + subject + rules, 'policy.networking.k8s.io/v1alpha2'),
      ),
    ).to.deep.equal([]);
  });

  it('a tier that is not Admin or Baseline, an Allow (CNP says Accept), more than 25 rules', () => {
    expect(diagnose(cnp('          tier: Platform\n          priority: 1\n' + subject))).to.deep.equal([
      '17: error: spec.policies[0].manifest.spec.tier: must be Admin or Baseline (got "Platform")',
    ]);
    expect(
      diagnose(
        cnp(
          '          tier: Admin\n          priority: 1\n' +
            subject +
            '          ingress: [{action: Allow, from: [{namespaces: {}}]}]\n',
        ),
      ),
    ).to.deep.equal([
      '20: error: spec.policies[0].manifest.spec.ingress[0].action: must be Accept, Deny or Pass (got "Allow")',
    ]);
    const rules = Array.from({ length: 26 }, () => '{action: Deny, from: [{namespaces: {}}]}').join(', ');
    expect(
      diagnose(cnp('          tier: Admin\n          priority: 1\n' + subject + `          ingress: [${rules}]\n`)),
    ).to.deep.equal(['20: error: spec.policies[0].manifest.spec.ingress: must NOT have more than 25 items']);
  });

  it('a pods selector may leave out namespaceSelector (optional from v1alpha2); an ANP (v1alpha1) may not', () => {
    const pods = '{pods: {podSelector: {matchLabels: {app: toy}}}}';
    const podsSubject = '          subject: {pods: {podSelector: {matchLabels: {app: web}}}}\n';
    expect(
      diagnose(
        cnp(
          '          tier: Admin\n          priority: 1\n' +
            podsSubject +
            `          ingress: [{action: Deny, from: [${pods}]}]\n          egress: [{action: Deny, to: [${pods}]}]\n`,
        ),
      ),
    ).to.deep.equal([]);
    expect(
      diagnose(anp('          priority: 1\n' + subject + `          ingress: [{action: Deny, from: [${pods}]}]\n`)),
    ).to.deep.equal([
      '19: error: spec.policies[0].manifest.spec.ingress[0].from[0].pods: missing required field "namespaceSelector"',
    ]);
  });

  it('domainNames peers: experimental, not modelled, refused with the reason', () => {
    expect(
      diagnose(
        cnp(
          '          tier: Admin\n          priority: 1\n' +
            subject +
            '          egress: [{action: Deny, to: [{domainNames: [example.com]}]}]\n',
        ),
      ),
    ).to.deep.equal([
      '20: error: domainNames peers are experimental and not modelled by netpol-harness: which addresses a name ' +
        'stands for is decided at run time by DNS, and it does not guess',
    ]);
  });

  it('a protocol range that runs backwards', () => {
    expect(
      diagnose(
        cnp(
          '          tier: Admin\n          priority: 1\n' +
            subject +
            '          ingress: [{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}]}]\n',
        ),
      ),
    ).to.deep.equal(['20: error: range start (90) must be less than end (80)']);
  });

  it('next to an AdminNetworkPolicy in one step: refused, naming both', () => {
    const lines = diagnose(
      anp('          priority: 1\n' + subject) + cnp('          tier: Admin\n          priority: 2\n' + subject),
    );
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^21: error: a ClusterNetworkPolicy in the same step as the AdminNetworkPolicy at .*:13: the v1alpha1 and v1alpha2 APIs/,
    );
  });
});
