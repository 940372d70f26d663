/**
 * `validate` warns at the cause: in the policy (file or inline manifest) at the YAML node that does
 * nothing, and in the expect block at the rule or `default` whose intent is lost. Each fixture under
 * test/fixtures/warnings/ holds one such problem; none is an error, so the scenario still loads.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../harness/cli.js';
import { formatDiagnostic } from '../../harness/scenario/diagnostic.js';
import { loadScenario } from '../../harness/scenario/load.js';

const WARNINGS = fileURLToPath(new URL('../fixtures/warnings/', import.meta.url));

/** How diagnostics name a file: relative to the working directory, as the loader prints it. */
function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function diagnosticLines(fixture: string): string[] {
  const { scenario, diagnostics } = loadScenario(path.join(WARNINGS, fixture));
  expect(scenario, diagnostics.map(formatDiagnostic).join('\n')).to.not.equal(undefined);
  return diagnostics.map(formatDiagnostic);
}

interface Case {
  readonly fixture: string;
  /** The file the warning is in, when it is a policy file the scenario refers to. */
  readonly at?: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

const CASES: ReadonlyArray<{ rule: string; cases: readonly Case[] }> = [
  {
    rule: 'rules of a direction that explicit policyTypes leave out are ignored',
    cases: [
      {
        fixture: 'ignored-egress-rules.yaml',
        line: 22,
        col: 11,
        message:
          'this egress rule is ignored: policyTypes is [Ingress] and lacks Egress, so this policy does not isolate egress (add Egress to policyTypes, or remove it)',
      },
      {
        fixture: 'ignored-ingress-rules.yaml',
        at: 'policies/ignored-ingress-rules.yaml',
        line: 17,
        col: 3,
        message:
          'this ingress rule is ignored: policyTypes is [Egress] and lacks Ingress, so this policy does not isolate ingress (add Ingress to policyTypes, or remove it)',
      },
    ],
  },
  {
    rule: 'a selector that matches no declared workload or namespace selects nobody',
    cases: [
      {
        fixture: 'policy-selects-nothing.yaml',
        line: 18,
        col: 11,
        message: 'podSelector matches no workload in namespace shop: this policy selects no pod and does nothing',
      },
      {
        fixture: 'peer-pod-selector-selects-nothing.yaml',
        line: 21,
        col: 19,
        message: 'podSelector (app=fronted) matches no workload in namespace shop: this peer selects nobody',
      },
      {
        fixture: 'peer-pod-selector-selects-nothing.yaml',
        line: 23,
        col: 19,
        message:
          'podSelector (app=frontend) matches no workload in the namespaces its namespaceSelector selects (payments): this peer selects nobody',
      },
      {
        fixture: 'peer-namespace-selector-selects-nothing.yaml',
        line: 21,
        col: 19,
        message:
          "namespaceSelector matches no namespace (team in (payment,billing); the scenario's: shop, payments, kube-system): this peer selects nobody",
      },
      {
        fixture: 'selector-selects-nothing-in-steps.yaml',
        line: 32,
        col: 25,
        message:
          'podSelector (app=backend, tier=api) matches no workload in namespace shop: this peer selects nobody (in step "tighten", where this policy is in force)',
      },
    ],
  },
  {
    rule: 'a named port that no pod the rule applies to serves opens nothing',
    cases: [
      {
        fixture: 'named-port-ingress-unserved.yaml',
        line: 21,
        col: 44,
        message:
          'named port "metrics" (TCP) is not served by any pod this policy selects (shop/frontend): it opens nothing',
      },
      {
        fixture: 'named-port-egress-unserved.yaml',
        line: 22,
        col: 30,
        message:
          'named port "https" (TCP) is not served by any pod this rule\'s peers select (shop/backend): it opens nothing',
      },
      {
        fixture: 'named-port-egress-unserved.yaml',
        line: 23,
        col: 30,
        message: 'named port "grpc" (TCP) is not served by any pod (the rule is open to all peers): it opens nothing',
      },
      {
        fixture: 'named-port-to-ipblock.yaml',
        line: 21,
        col: 30,
        message:
          'named port "https" matches only a pod\'s container port, and this rule\'s ipBlock peers contain no pod: it opens nothing (use the port number)',
      },
      {
        fixture: 'named-port-egress-protocol.yaml',
        line: 26,
        col: 30,
        message:
          'named port "dns" (TCP) is not served by any pod this rule\'s peers select (they serve it as UDP only, and this rule\'s protocol is TCP): it opens nothing',
      },
    ],
  },
  {
    rule: 'an expectation rule that later rules or matrices fully override, one of them differently, decides nothing',
    cases: [
      {
        fixture: 'shadowed-by-rule.yaml',
        line: 25,
        col: 9,
        message:
          'rules[0] decides no cell: every cell it matches is set again later (the last match wins), by rules[1] at line 26; rules[1] is at least as broad, so shop/frontend -> shop/backend 9000/TCP is expected blocked, not allowed: move the rule after rules[1], or remove it',
      },
      {
        fixture: 'shadowed-by-matrix.yaml',
        line: 26,
        col: 9,
        message:
          'rules[2] decides no cell: every cell it matches is set again later (the last match wins), by matrix[0] at line 28; matrix[0] expects payments/gateway -> shop/backend 9000/TCP blocked where this rule expects it allowed: fix whichever is wrong, or remove the rule',
      },
    ],
  },
  {
    rule: '`default: allow|deny` that contradicts the engine fails those cells in a live run',
    cases: [
      {
        fixture: 'default-contradicts-engine.yaml',
        line: 22,
        col: 14,
        message:
          'default: deny contradicts the engine on 4 cell(s) that no rule or matrix sets: the policies allow shop/frontend -> payments/gateway 8443/TCP, shop/backend -> shop/frontend 8080/TCP, shop/backend -> payments/gateway 8443/TCP and 1 more; a live run fails them (add rules for them, or use default: predicted)',
      },
    ],
  },
];

function lineOf(c: Case): string {
  return `${shown(path.join(WARNINGS, c.at ?? c.fixture))}:${c.line}:${c.col}: warning: ${c.message}`;
}

describe('validate warns at the cause', () => {
  const all = CASES.flatMap((group) => group.cases);

  it('has a case for every fixture, and a fixture for every case', () => {
    const fixtures = readdirSync(WARNINGS)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect([...new Set(all.map((c) => c.fixture))].sort()).to.deep.equal(fixtures);
  });

  for (const group of CASES) {
    describe(group.rule, () => {
      for (const c of group.cases) {
        it(`${c.fixture}:${c.line}:${c.col}`, () => {
          const expected = all.filter((o) => o.fixture === c.fixture).map(lineOf);
          // Every diagnostic of the fixture is one of its cases: one problem, no noise.
          expect(diagnosticLines(c.fixture)).to.deep.equal(expected);
        });
      }
    });
  }

  it('prints them from the CLI and exits 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const c = CASES[0]!.cases[1]!;
    const code = await main(['validate', path.join(WARNINGS, c.fixture)], {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    expect(code, err.join('\n')).to.equal(0);
    expect(err).to.include(lineOf(c));
  });

  it('checks a policy file that several steps use once, and says nothing of a selector that matches after a relabel', () => {
    const lines = diagnosticLines('selector-selects-nothing-in-steps.yaml');
    expect(lines.join('\n')).not.to.include('backend-clients');
    expect(lines).to.have.length(1);
  });
});
