/**
 * `validate` refuses every class of bad input with exit code 3 and `<file>:<line>:<col>: error: <message>`
 * pointing at the offending YAML node; `predict` and `explain` refuse bad flags the same way; nothing
 * prints a stack trace. Each fixture under test/fixtures/invalid/ holds exactly one problem.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../harness/cli.js';

const INVALID = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const INVALID_INPUT = 3;
const STACK_FRAME = '    at ';

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly ms: number;
}

async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out, err, ms: Date.now() - started };
}

/** How diagnostics name a file: relative to the working directory, as the loader prints it. */
function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function errorLines(result: Run): string[] {
  return result.err.filter((line) => line.includes(': error: '));
}

function expectNoStackTrace(result: Run): void {
  expect([...result.out, ...result.err].join('\n')).not.to.include(STACK_FRAME);
}

/** Exit 3, and an error at exactly `file:line[:col]` whose message contains `message`. */
function expectRefusedAt(
  result: Run,
  where: { file: string; line: number; col?: number },
  message: string | RegExp,
): void {
  const prefix = `${shown(where.file)}:${where.line}:${where.col === undefined ? '' : `${where.col}: error: `}`;
  const stderr = result.err.join('\n');
  expect(result.code, stderr).to.equal(INVALID_INPUT);
  const hit = errorLines(result).find((line) => line.startsWith(prefix));
  expect(hit, `no error at ${prefix} in:\n${stderr}`).to.be.a('string');
  if (typeof message === 'string') expect(hit).to.include(message);
  else expect(hit).to.match(message);
  expectNoStackTrace(result);
}

interface Case {
  /** Scenario file under test/fixtures/invalid/. */
  readonly fixture: string;
  /** The file the error is in, when it is a policy file the scenario refers to. */
  readonly at?: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** Errors expected in all (default 1: one problem, one error, no noise). */
  readonly errors?: number;
}

const CASES: readonly Case[] = [
  // unparsable YAML and documents of the wrong shape
  { fixture: 'yaml-syntax.yaml', line: 9, col: 84, message: 'invalid YAML: Flow sequence', errors: 2 },
  { fixture: 'yaml-duplicate-key.yaml', line: 7, col: 5, message: 'Map keys must be unique' },
  { fixture: 'yaml-tab-indent.yaml', line: 5, col: 1, message: 'Tabs are not allowed as indentation' },
  { fixture: 'empty-file.yaml', line: 1, col: 1, message: 'the file is empty' },
  { fixture: 'two-documents.yaml', line: 1, col: 1, message: 'exactly one YAML document' },
  { fixture: 'not-a-mapping.yaml', line: 1, col: 1, message: 'must be object' },
  // unknown fields, wrong apiVersion/kind, missing or malformed metadata
  {
    fixture: 'unknown-field.yaml',
    line: 7,
    col: 3,
    message: 'unknown field "workload" (did you mean "workloads"?); allowed here: podCIDR, namespaces, workloads',
  },
  {
    fixture: 'unknown-field-port.yaml',
    line: 9,
    col: 85,
    message: 'unknown field "proto"; allowed here: port, protocol, name',
  },
  {
    fixture: 'unknown-field-policy.yaml',
    line: 20,
    col: 11,
    message: 'spec.policies[0].manifest.spec.egres: unknown field "egres" (did you mean "egress"?)',
  },
  { fixture: 'unknown-field-rule.yaml', line: 22, col: 76, message: 'spec.expect.rules[0].prot: unknown field "prot"' },
  {
    fixture: 'api-version-wrong.yaml',
    line: 1,
    col: 13,
    message: 'apiVersion: must be netpol-harness/v1alpha1 (got "netpol-harness/v1")',
  },
  { fixture: 'kind-wrong.yaml', line: 2, col: 7, message: 'kind: must be Scenario (got "Scenarios")' },
  { fixture: 'missing-workloads.yaml', line: 5, col: 3, message: 'spec: missing required field "workloads"' },
  { fixture: 'metadata-name-invalid.yaml', line: 3, col: 18, message: 'metadata.name: must be a DNS label' },
  // undeclared namespaces, workloads and externals, wherever they are named
  {
    fixture: 'workload-namespace-undeclared.yaml',
    line: 9,
    col: 34,
    message: 'namespace "shopp" is not declared in spec.namespaces (did you mean "shop"?)',
  },
  {
    fixture: 'policy-namespace-undeclared.yaml',
    line: 14,
    col: 54,
    message: 'namespace "payments" is not declared in spec.namespaces (declared: shop)',
  },
  {
    fixture: 'rule-from-undeclared-namespace.yaml',
    line: 22,
    col: 16,
    message: 'namespace "payments" is not declared in spec.namespaces (declared: shop)',
  },
  {
    fixture: 'rule-to-undeclared-workload.yaml',
    line: 22,
    col: 35,
    message: 'workload "shop/databse" is not declared in spec.workloads (declared: shop/frontend, shop/backend)',
  },
  {
    fixture: 'rule-wildcard-undeclared-workload.yaml',
    line: 22,
    col: 35,
    message: 'workload "*/databse" is not declared in spec.workloads (declared: frontend, backend)',
  },
  {
    fixture: 'rule-undeclared-external.yaml',
    line: 22,
    col: 35,
    message: 'external "partner" is not declared in spec.externals (none are declared)',
  },
  {
    fixture: 'rule-external-as-source.yaml',
    line: 24,
    col: 16,
    message:
      'externals are probe sources only through NodePorts (spec.probe.via with nodeport): ' +
      '"external:partner" cannot be a source here',
  },
  { fixture: 'rule-peer-malformed.yaml', line: 22, col: 35, message: '"shop/backend/extra" is not a peer' },
  {
    fixture: 'rule-port-name-not-served.yaml',
    line: 22,
    col: 55,
    message: 'port name "grpc" is not served by any workload',
  },
  {
    fixture: 'matrix-undeclared-workload.yaml',
    line: 26,
    col: 11,
    message: 'workload "shop/fronted" is not declared in spec.workloads (did you mean "shop/frontend"?)',
  },
  {
    fixture: 'matrix-undeclared-destination.yaml',
    line: 24,
    col: 39,
    message: 'workload "shop/cache" is not declared in spec.workloads',
  },
  {
    fixture: 'matrix-wildcard-peer.yaml',
    line: 25,
    col: 11,
    message: 'a matrix names one peer per row and column, not "shop/*"',
  },
  {
    fixture: 'matrix-bad-mark.yaml',
    line: 25,
    col: 26,
    message: '"ok" is not a mark: use . (allowed), X (blocked) or - (not asserted)',
  },
  { fixture: 'matrix-row-length.yaml', line: 25, col: 11, message: 'row shop/frontend has 1 marks for 2 destinations' },
  {
    fixture: 'placeholder-undeclared-namespace.yaml',
    line: 18,
    col: 86,
    message: 'placeholder: namespace "payments" is not declared',
  },
  {
    fixture: 'placeholder-undeclared-workload.yaml',
    line: 18,
    col: 39,
    message: 'placeholder: workload "shop/databse" is not declared',
  },
  { fixture: 'placeholder-unknown-kind.yaml', line: 18, col: 39, message: 'unknown placeholder ${nodeIP:…}' },
  {
    fixture: 'label-override-undeclared-namespace.yaml',
    line: 13,
    col: 22,
    message: 'namespace "payments" is not declared in spec.namespaces',
  },
  {
    fixture: 'label-override-undeclared-workload.yaml',
    line: 13,
    col: 21,
    message: 'workload "shop/databse" is not declared in spec.workloads (write it as namespace/name)',
  },
  {
    fixture: 'label-override-bad-value.yaml',
    line: 13,
    col: 43,
    message: 'labels.workloads["shop/backend"].app: is not a valid label value',
  },
  {
    fixture: 'dns-undeclared-workload.yaml',
    line: 24,
    col: 16,
    message: 'workload "shop/databse" is not declared in spec.workloads',
  },
  {
    fixture: 'deviation-undeclared-workload.yaml',
    line: 24,
    col: 48,
    message: 'workload "shop/databse" is not declared in spec.workloads',
  },
  {
    fixture: 'deviation-without-reason.yaml',
    line: 24,
    col: 9,
    message: 'spec.expect.knownDeviations[0]: missing required field "reason"',
  },
  { fixture: 'deviation-blank-reason.yaml', line: 24, col: 101, message: 'a known deviation needs a reason' },
  {
    fixture: 'deviation-bad-versions.yaml',
    line: 24,
    col: 33,
    message: '"before 1.19" is not a version range: write e.g. "<1.19", ">=3.30 <3.32" or "1.18.x"',
  },
  {
    fixture: 'tag-invalid.yaml',
    line: 3,
    col: 38,
    message: 'a tag is lowercase letters, digits and dashes (ip-block, named-port)',
  },
  {
    fixture: 'deviation-dns-port.yaml',
    line: 24,
    col: 63,
    message: 'a DNS deviation (to: dns:...) covers lookups: it takes no port or protocol',
  },
  {
    fixture: 'deviation-dns-empty.yaml',
    line: 24,
    col: 48,
    message: '"dns:" names no DNS name: use dns:<name> or dns:* (every name)',
  },
  {
    fixture: 'deviation-bad-observed.yaml',
    line: 24,
    col: 84,
    message: 'observed: must be allowed, blocked, refused or dropped (got "open")',
  },
  // duplicates, ports, protocols, port names, labels and addresses of the topology
  { fixture: 'duplicate-workload.yaml', line: 10, col: 14, message: 'duplicate workload shop/backend' },
  { fixture: 'duplicate-port.yaml', line: 9, col: 93, message: 'port 9000/TCP is listed twice' },
  {
    fixture: 'duplicate-port-name.yaml',
    line: 8,
    col: 119,
    message: 'port name "http" is used twice in this workload',
  },
  { fixture: 'duplicate-step-name.yaml', line: 12, col: 13, message: 'duplicate step name "one"' },
  {
    fixture: 'port-out-of-range.yaml',
    line: 9,
    col: 79,
    message: 'ports[0].port: must be a port number from 1 to 65535 (got 70000)',
  },
  {
    fixture: 'port-not-a-number.yaml',
    line: 9,
    col: 79,
    message: 'ports[0].port: must be a port number from 1 to 65535 (got "http")',
  },
  { fixture: 'protocol-invalid.yaml', line: 9, col: 95, message: 'protocol: must be TCP, UDP or SCTP (got "HTTP")' },
  { fixture: 'protocol-lowercase.yaml', line: 9, col: 95, message: 'protocol: must be TCP, UDP or SCTP (got "tcp")' },
  { fixture: 'port-name-invalid.yaml', line: 8, col: 93, message: 'ports[0].name: must be an IANA service name' },
  { fixture: 'label-key-invalid.yaml', line: 9, col: 49, message: 'labels["-app"]: is not a valid label key' },
  {
    fixture: 'label-key-prefix-invalid.yaml',
    line: 9,
    col: 49,
    message: 'labels["Example.COM/app"]: is not a valid label key',
  },
  { fixture: 'label-value-invalid.yaml', line: 9, col: 54, message: 'labels.app: is not a valid label value' },
  { fixture: 'label-value-not-string.yaml', line: 9, col: 66, message: 'labels.v: is not a valid label value' },
  {
    fixture: 'namespace-label-value-invalid.yaml',
    line: 6,
    col: 27,
    message: 'spec.namespaces.shop.labels.team: is not a valid label value',
  },
  { fixture: 'namespace-name-invalid.yaml', line: 6, col: 5, message: 'spec.namespaces.Shop_NS: must be a DNS label' },
  { fixture: 'namespace-name-empty.yaml', line: 7, col: 5, message: 'spec.namespaces[""]: must be a DNS label' },
  { fixture: 'namespace-reserved.yaml', line: 7, col: 5, message: '"kube-system" is reserved' },
  { fixture: 'external-ip-invalid.yaml', line: 11, col: 27, message: '"203.0.113.300" is not an IPv4 or IPv6 address' },
  { fixture: 'external-inside-pod-cidr.yaml', line: 11, col: 27, message: 'lies inside the pod CIDR 10.244.0.0/16' },
  { fixture: 'pod-cidr-invalid.yaml', line: 5, col: 12, message: '"10.244.0.0/33" is not a valid CIDR' },
  // NetworkPolicy ports, CIDRs and selectors
  { fixture: 'policy-port-out-of-range.yaml', line: 19, col: 30, message: 'port 0 must be from 1 to 65535' },
  {
    fixture: 'policy-port-quoted-number.yaml',
    line: 19,
    col: 30,
    message: 'port "9000" is a string; write the number unquoted',
  },
  {
    fixture: 'policy-port-name-invalid.yaml',
    line: 19,
    col: 30,
    message: "port name \"web--api\" must not start or end with '-' or contain '--'",
  },
  {
    fixture: 'policy-protocol-invalid.yaml',
    line: 19,
    col: 46,
    message: 'ports[0].protocol: must be TCP, UDP or SCTP (got "ICMP")',
  },
  { fixture: 'end-port-below-port.yaml', line: 19, col: 45, message: 'endPort 8000 is below port 9000' },
  { fixture: 'end-port-named-port.yaml', line: 19, col: 45, message: 'endPort needs a numeric port' },
  { fixture: 'end-port-without-port.yaml', line: 19, col: 48, message: 'endPort needs port to be set' },
  { fixture: 'cidr-invalid.yaml', line: 18, col: 39, message: '"10.0.0.0/40" is not a valid CIDR' },
  {
    fixture: 'cidr-is-an-address.yaml',
    line: 18,
    col: 39,
    message: 'is not a valid CIDR; it is an address: add a prefix length (/32 for one host)',
  },
  { fixture: 'cidr-not-an-address.yaml', line: 18, col: 39, message: '"partner-net" is not a valid CIDR' },
  {
    fixture: 'cidr-except-outside.yaml',
    line: 18,
    col: 61,
    message: 'except "10.1.0.0/24" must be a strict subset of cidr "10.0.0.0/16"',
  },
  {
    fixture: 'cidr-except-family.yaml',
    line: 18,
    col: 61,
    message: 'except "fd00::/64" is not of the same IP family as cidr "10.0.0.0/16"',
  },
  { fixture: 'cidr-except-equal.yaml', line: 18, col: 61, message: 'except "10.0.0.0/16" must be a strict subset' },
  {
    fixture: 'ipblock-with-selector.yaml',
    line: 18,
    col: 49,
    message: 'ipBlock cannot be combined with podSelector or namespaceSelector',
  },
  {
    fixture: 'peer-empty.yaml',
    line: 18,
    col: 22,
    message: 'a peer must set podSelector, namespaceSelector or ipBlock',
  },
  {
    fixture: 'selector-in-without-values.yaml',
    line: 18,
    col: 77,
    message: 'operator In needs a non-empty values list',
  },
  {
    fixture: 'selector-in-empty-values.yaml',
    line: 18,
    col: 77,
    message: 'operator NotIn needs a non-empty values list',
  },
  { fixture: 'selector-exists-with-values.yaml', line: 18, col: 93, message: 'operator Exists takes no values' },
  {
    fixture: 'selector-unknown-operator.yaml',
    line: 18,
    col: 77,
    message: 'operator: must be In, NotIn, Exists or DoesNotExist (got "Equals")',
  },
  { fixture: 'selector-label-value-invalid.yaml', line: 18, col: 56, message: 'label value "front end" is invalid' },
  { fixture: 'selector-label-key-invalid.yaml', line: 18, col: 51, message: 'label key "app/" is invalid' },
  { fixture: 'selector-expression-key-invalid.yaml', line: 18, col: 62, message: 'label key "a b" is invalid' },
  {
    fixture: 'selector-label-value-not-string.yaml',
    line: 18,
    col: 60,
    message: 'matchLabels.enabled: must be a string (quote values such as "true" or "2") (got true)',
  },
  {
    fixture: 'policy-types-invalid.yaml',
    line: 20,
    col: 25,
    message: 'policyTypes[0]: must be Ingress or Egress (got "ingress")',
  },
  { fixture: 'policy-types-duplicate.yaml', line: 20, col: 24, message: 'policyTypes lists a type twice' },
  {
    fixture: 'policy-name-invalid.yaml',
    line: 14,
    col: 26,
    message: 'policy name "Backend_Ingress" must be a DNS subdomain',
  },
  {
    fixture: 'policy-duplicate-name.yaml',
    line: 23,
    col: 26,
    message: 'policy shop/backend-ingress is already defined at',
  },
  {
    fixture: 'policy-namespace-missing.yaml',
    line: 15,
    col: 19,
    message: 'metadata.namespace is required when the scenario declares several namespaces (one of: shop, payments)',
  },
  // policy entries, files and non-NetworkPolicy manifests
  { fixture: 'policy-entry-both.yaml', line: 11, col: 7, message: 'must have exactly one of `file` or `manifest`' },
  {
    fixture: 'policy-file-missing.yaml',
    line: 11,
    col: 13,
    message: 'cannot read policy file policies/does-not-exist.yaml: no such file',
  },
  {
    fixture: 'policy-file-is-directory.yaml',
    line: 11,
    col: 13,
    message: 'cannot read policy file policies: is a directory',
  },
  {
    fixture: 'policy-file-empty.yaml',
    line: 11,
    col: 13,
    message: 'policy file policies/empty.yaml holds no documents',
  },
  {
    fixture: 'inline-not-networkpolicy.yaml',
    line: 13,
    col: 15,
    message:
      'kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "Deployment")',
  },
  {
    fixture: 'inline-wrong-api-version.yaml',
    line: 12,
    col: 21,
    message:
      'apiVersion: must be networking.k8s.io/v1 for a NetworkPolicy (policy.networking.k8s.io/v1alpha1 for AdminNetworkPolicy and BaselineAdminNetworkPolicy, v1alpha2 or v1beta1 for ClusterNetworkPolicy) (got "networking.k8s.io/v1beta1")',
  },
  // steps versus top-level policies/expect, expectation enums and ports
  {
    fixture: 'steps-and-policies.yaml',
    line: 10,
    col: 3,
    message: 'use either top-level policies/expect (one step) or steps, not both',
  },
  { fixture: 'steps-and-expect.yaml', line: 10, col: 3, message: 'with steps, each step has its own expect' },
  {
    fixture: 'expect-default-invalid.yaml',
    line: 21,
    col: 14,
    message: 'default: must be predicted, allow or deny (got "allowed")',
  },
  {
    fixture: 'rule-protocol-invalid.yaml',
    line: 22,
    col: 71,
    message: 'protocol: must be TCP, UDP, SCTP or * (got "tcp")',
  },
  {
    fixture: 'rule-port-quoted-number.yaml',
    line: 22,
    col: 55,
    message: 'port "9000" is a string, so it would name a port; write the number unquoted',
  },
  // problems inside a referenced policy file, reported in that file
  {
    fixture: 'file-not-networkpolicy.yaml',
    at: 'policies/file-not-networkpolicy.yaml',
    line: 2,
    col: 7,
    message:
      'kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "ConfigMap")',
  },
  {
    fixture: 'file-deployment.yaml',
    at: 'policies/file-deployment.yaml',
    line: 2,
    col: 7,
    message:
      'kind: must be NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (got "Deployment")',
  },
  {
    fixture: 'file-yaml-syntax.yaml',
    at: 'policies/file-yaml-syntax.yaml',
    line: 6,
    col: 3,
    message: 'invalid YAML: Flow map in block collection must be sufficiently indented',
  },
  {
    fixture: 'file-unknown-field.yaml',
    at: 'policies/file-unknown-field.yaml',
    line: 6,
    col: 3,
    message: 'spec.ingres: unknown field "ingres" (did you mean "ingress"?)',
  },
  {
    fixture: 'file-namespace-undeclared.yaml',
    at: 'policies/file-namespace-undeclared.yaml',
    line: 3,
    col: 46,
    message: 'namespace "default" is not declared in spec.namespaces (declared: shop)',
  },
  {
    fixture: 'file-end-port-below-port.yaml',
    at: 'policies/file-end-port-below-port.yaml',
    line: 7,
    col: 37,
    message: 'endPort 7000 is below port 8000',
  },
];

describe('validate refuses bad input at the offending node', () => {
  it('has a case for every fixture, and a fixture for every case', () => {
    const fixtures = readdirSync(INVALID)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(CASES.map((c) => c.fixture).sort()).to.deep.equal(fixtures);
  });

  for (const c of CASES) {
    it(`${c.fixture}: ${c.message}`, async () => {
      const result = await run('validate', path.join(INVALID, c.fixture));
      expectRefusedAt(result, { file: path.join(INVALID, c.at ?? c.fixture), line: c.line, col: c.col }, c.message);
      expect(errorLines(result), result.err.join('\n')).to.have.length(c.errors ?? 1);
      expect(result.out.join('\n')).to.include(`✗ ${path.join(INVALID, c.fixture)}: ${c.errors ?? 1} error(s)`);
    });
  }

  it('reports every invalid file of a batch and still exits 3', async () => {
    const result = await run(
      'validate',
      path.join(INVALID, 'unknown-field.yaml'),
      path.join(REPO, 'scenarios', '01-default-deny-ingress.yaml'),
      path.join(INVALID, 'kind-wrong.yaml'),
    );
    expect(result.code).to.equal(INVALID_INPUT);
    expect(result.out.at(-1)).to.equal('1 valid, 2 invalid');
    expect(errorLines(result)).to.have.length(2);
  });

  it('refuses a scenario file that does not exist', async () => {
    const missing = path.join(INVALID, 'no-such-scenario.yaml');
    expectRefusedAt(
      await run('validate', missing),
      { file: missing, line: 1, col: 1 },
      'cannot read scenario: no such file',
    );
  });

  it('refuses an invalid --pod-cidr flag by name', async () => {
    const file = path.join(REPO, 'scenarios', '01-default-deny-ingress.yaml');
    expectRefusedAt(
      await run('validate', '--pod-cidr', '10.0.0.0/99', file),
      { file, line: 1, col: 1 },
      '--pod-cidr "10.0.0.0/99" is not a valid CIDR',
    );
  });

  it('refuses a policy file that is a device, without reading it forever', async function () {
    if (!existsSync('/dev/zero')) this.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-devzero-'));
    try {
      const file = path.join(dir, 'scenario.yaml');
      writeFileSync(file, scenarioWith('  policies:\n    - file: /dev/zero\n'));
      expectRefusedAt(
        await run('validate', file),
        { file, line: 11, col: 13 },
        'cannot read policy file /dev/zero: is not a regular file',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validate warns, without failing, where a policy selects a namespace the scenario does not declare', () => {
  it('warns at a kubernetes.io/metadata.name selector value that names no declared namespace, and not at kube-system', async () => {
    const file = path.join(INVALID, 'warnings', 'namespace-selector-undeclared.yaml');
    const result = await run('validate', file);
    expect(result.code, result.err.join('\n')).to.equal(0);
    expect(errorLines(result)).to.deep.equal([]);
    expect(result.err).to.deep.equal([
      `${shown(file)}:18:86: warning: namespaceSelector names namespace "shopp" (kubernetes.io/metadata.name), which is not declared in spec.namespaces; the engine selects no pods there (did you mean "shop"?)`,
    ]);
  });
});

/** A minimal valid scenario; `tail` is appended inside spec. */
function scenarioWith(tail: string): string {
  return (
    [
      'apiVersion: netpol-harness/v1alpha1',
      'kind: Scenario',
      'metadata: {name: generated}',
      'spec:',
      '  namespaces:',
      '    shop: {}',
      '  workloads:',
      '    - {name: frontend, namespace: shop, ports: [{port: 8080}]}',
      '    - {name: backend, namespace: shop, ports: [{port: 9000}]}',
    ].join('\n') +
    '\n' +
    tail
  );
}

/** Ten anchors, each a list of ten aliases of the previous: 10^10 nodes once expanded. */
function billionLaughs(indent = ''): string {
  const lines = [`${indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < 10; i++)
    lines.push(`${indent}a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('validate refuses hostile YAML fast and without exhausting memory', () => {
  const LIMIT_MS = 5000;
  const MEMORY_GROWTH_LIMIT = 150 * 1024 * 1024;
  let dir = '';
  const file = (name: string) => path.join(dir, name);

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-hostile-'));
    writeFileSync(file('alias-bomb.yaml'), billionLaughs());
    writeFileSync(file('huge.yaml'), scenarioWith(`  # ${'x'.repeat(5 * 1024 * 1024)}\n`));
    writeFileSync(file('deep-flow.yaml'), `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    writeFileSync(file('deep-map.yaml'), `${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
    writeFileSync(
      file('deep-after-apostrophe.yaml'),
      `description: it is Bob's '\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    );
    writeFileSync(file('deep-dash.yaml'), `${'- '.repeat(100_000)}x\n`);
    writeFileSync(
      file('deep-indent.yaml'),
      Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + '\n',
    );
    writeFileSync(
      file('bomb-policy.yaml'),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bomb\n  namespace: shop\n  annotations:\n${billionLaughs('    ')}spec: {podSelector: {}}\n`,
    );
    writeFileSync(file('policy-alias-bomb.yaml'), scenarioWith('  policies:\n    - file: bomb-policy.yaml\n'));
    writeFileSync(
      file('deep-policy.yaml'),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deep, namespace: shop}\nspec: {podSelector: {matchLabels: ${'['.repeat(100_000)}${']'.repeat(100_000)}}}\n`,
    );
    writeFileSync(file('policy-deep.yaml'), scenarioWith('  policies:\n    - file: deep-policy.yaml\n'));
    writeFileSync(
      file('many-workloads.yaml'),
      scenarioWith('').replace(
        '  workloads:\n',
        `  workloads:\n${Array.from({ length: 1_500 }, (_, i) => `    - {name: w${i}, namespace: shop, ports: [{port: 80}]}\n`).join('')}`,
      ),
    );
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases: ReadonlyArray<{
    name: string;
    scenario: string;
    at?: string;
    line: number;
    col?: number;
    message: RegExp;
  }> = [
    {
      name: 'a billion-laughs alias bomb',
      scenario: 'alias-bomb.yaml',
      line: 1,
      col: 1,
      message: /aliases expand to too many nodes .*"billion laughs"/,
    },
    {
      name: 'a 5 MiB file, before reading it',
      scenario: 'huge.yaml',
      line: 1,
      col: 1,
      message: /cannot read scenario: larger than \d+ MiB/,
    },
    {
      name: '100k-deep flow sequences [[[[...]]]]',
      scenario: 'deep-flow.yaml',
      line: 1,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: '100k-deep flow maps {a: {a: ...}}',
      scenario: 'deep-map.yaml',
      line: 1,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: 'deep nesting after a stray apostrophe (not a quote)',
      scenario: 'deep-after-apostrophe.yaml',
      line: 2,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: '100k-deep compact sequences - - - ...',
      scenario: 'deep-dash.yaml',
      line: 1,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: '1000 levels of indentation',
      scenario: 'deep-indent.yaml',
      line: 101,
      col: 1,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: 'an alias bomb in a referenced policy file',
      scenario: 'policy-alias-bomb.yaml',
      at: 'bomb-policy.yaml',
      line: 1,
      col: 1,
      message: /aliases expand to too many nodes/,
    },
    {
      name: 'deep nesting in a referenced policy file',
      scenario: 'policy-deep.yaml',
      at: 'deep-policy.yaml',
      line: 4,
      message: /document is nested more than \d+ levels deep/,
    },
    {
      name: 'a matrix too large to predict (1500 workloads)',
      scenario: 'many-workloads.yaml',
      line: 7,
      col: 3,
      message:
        /asks for 2,256,004 cells \(1 step\(s\) x 1502 workloads x 1502 served ports and paths\); at most [\d,]+ are allowed/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const rssBefore = process.memoryUsage().rss;
      const result = await run('validate', file(c.scenario));
      expectRefusedAt(
        result,
        { file: file(c.at ?? c.scenario), line: c.line, ...(c.col === undefined ? {} : { col: c.col }) },
        c.message,
      );
      expect(errorLines(result)).to.have.length(1);
      expect(result.ms, 'milliseconds').to.be.below(LIMIT_MS);
      expect(process.memoryUsage().rss - rssBefore, 'RSS growth in bytes').to.be.below(MEMORY_GROWTH_LIMIT);
    });
  }
});

describe('validate accepts every example', () => {
  const dirs = [path.join(REPO, 'scenarios'), path.join(REPO, 'test', 'fixtures', 'upstream')];
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(d, f)),
  );

  it('finds the examples', () => {
    expect(files.length).to.be.above(50);
  });

  for (const file of files) {
    it(`${path.relative(REPO, file)} validates with exit 0`, async () => {
      const result = await run('validate', file);
      expect(result.code, result.err.join('\n')).to.equal(0);
      expect(errorLines(result)).to.deep.equal([]);
      expectNoStackTrace(result);
    });
  }
});

describe('predict and explain refuse bad flags and files with exit 3', () => {
  const scenario = path.join(REPO, 'scenarios', '05-frontend-to-backend-one-port.yaml');
  const cell = ['--from', 'shop/frontend', '--to', 'shop/backend', '--port', '8080'];
  const usage: ReadonlyArray<{ name: string; argv: string[]; message: string }> = [
    {
      name: 'predict with an unknown --output',
      argv: ['predict', scenario, '--output', 'xml'],
      message: "argument 'xml' is invalid. Allowed choices are table, json",
    },
    { name: 'predict without a file', argv: ['predict'], message: "missing required argument 'file'" },
    {
      name: 'explain with an unknown --from',
      argv: ['explain', scenario, ...cell.slice(2), '--from', 'shop/nobody'],
      message: '--from shop/nobody is not a workload of frontend-to-backend-one-port',
    },
    {
      name: 'explain with an unknown --to',
      argv: ['explain', scenario, '--from', 'shop/frontend', '--to', 'external:nope', '--port', '8080'],
      message: '--to external:nope is not a workload or external',
    },
    {
      name: 'explain without --to',
      argv: ['explain', scenario, '--from', 'shop/frontend', '--port', '8080'],
      message: "required option '--to <peer>' not specified",
    },
    {
      name: 'explain with a port the destination does not serve',
      argv: ['explain', scenario, ...cell.slice(0, 4), '--port', '99999'],
      message: 'shop/backend serves no port 99999; it serves 8080/TCP, 8081/TCP',
    },
    {
      name: 'explain with an unknown --step',
      argv: ['explain', scenario, ...cell, '--step', '7'],
      message: '--step 7: no such step; steps are 0=default',
    },
    {
      name: 'explain with an unknown --output',
      argv: ['explain', scenario, ...cell, '--output', 'yaml'],
      message: "argument 'yaml' is invalid. Allowed choices are text, json",
    },
    { name: 'an unknown command', argv: ['predcit', scenario], message: "unknown command 'predcit'" },
  ];

  for (const u of usage) {
    it(`refuses ${u.name}`, async () => {
      const result = await run(...u.argv);
      expect(result.code, result.err.join('\n')).to.equal(INVALID_INPUT);
      expect(result.err.join('\n')).to.include(u.message);
      expectNoStackTrace(result);
    });
  }

  it('predict refuses a missing scenario file at file:1:1', async () => {
    const missing = path.join(INVALID, 'no-such-scenario.yaml');
    expectRefusedAt(
      await run('predict', missing, '--output', 'json'),
      { file: missing, line: 1, col: 1 },
      'cannot read scenario: no such file',
    );
  });

  it('explain refuses a missing scenario file at file:1:1', async () => {
    const missing = path.join(INVALID, 'no-such-scenario.yaml');
    expectRefusedAt(
      await run('explain', missing, ...cell),
      { file: missing, line: 1, col: 1 },
      'cannot read scenario: no such file',
    );
  });

  it('predict refuses an invalid scenario with the same diagnostics as validate', async () => {
    const file = path.join(INVALID, 'selector-in-without-values.yaml');
    expectRefusedAt(
      await run('predict', file, '--output', 'json'),
      { file, line: 18, col: 77 },
      'operator In needs a non-empty values list',
    );
  });

  it('explain refuses an invalid scenario with the same diagnostics as validate', async () => {
    const file = path.join(INVALID, 'end-port-below-port.yaml');
    expectRefusedAt(
      await run('explain', file, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '9000'),
      { file, line: 19, col: 45 },
      'endPort 8000 is below port 9000',
    );
  });
});
