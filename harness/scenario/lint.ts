/**
 * Warnings at the cause: in a policy, the part that does nothing (ignored rules, selectors that
 * select nobody, named ports nobody serves); in an expect block, rules that decide no cell and a
 * `default` that contradicts the engine. They run on a scenario that has no errors.
 */
import { idlePolicyParts, ignoredRules, LintWorld, type PolicyFinding } from '../engine/lint-policy.js';
import { policyRef } from '../engine/policy.js';
import { predictStep, stepPolicies } from '../engine/predict-step.js';
import type { Expected } from '../model/expectations.js';
import { defaultContradiction } from '../model/intent-check.js';
import type { LabelSelector } from '../model/network-policy.js';
import type { SourcePosition } from '../model/position.js';
import type { PolicySource, Scenario, Step } from '../model/scenario.js';
import { shadowedRules, type ExpectEntry } from '../model/shadowing.js';
import { logicalBindings, stepWorld, syntheticPodIPs } from '../model/step-world.js';
import { DNS_NAMESPACE, NAMESPACE_NAME_LABEL } from '../model/world.js';
import type { DiagnosticSink } from './reporter.js';

export interface LintSites {
  /** Where each policy of each step was written. */
  readonly policies: ReadonlyMap<PolicySource, DiagnosticSink>;
  /** Per step, in order: its `expect` block. */
  readonly expects: readonly DiagnosticSink[];
}

export function lintScenario(scenario: Scenario, sites: LintSites): void {
  lintPolicies(scenario, sites.policies);
  const ips = syntheticPodIPs(scenario);
  scenario.steps.forEach((step, i) => lintExpect(scenario, step, sites.expects[i], ips));
}

function positionKey(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.col}`;
}

interface Seen {
  readonly finding: PolicyFinding;
  readonly policy: string;
  readonly steps: Set<number>;
  /** Each copy of the policy the finding holds in (a file read per step, or a manifest repeated per step). */
  readonly sites: Map<string, DiagnosticSink>;
  readonly perStep: boolean;
}

/**
 * A policy is known by namespace/name across steps, whether a file is reused or a manifest is
 * repeated: a finding is reported only when it holds in every step that policy is in force (a
 * selector may be meant to match only after a relabel), at each copy, once.
 */
function lintPolicies(scenario: Scenario, located: ReadonlyMap<PolicySource, DiagnosticSink>): void {
  const ips = syntheticPodIPs(scenario);
  const bindings = logicalBindings(scenario, ips);
  const declared = new Set(scenario.namespaces.map((n) => n.name));
  const inForce = new Map<string, Set<number>>();
  const seen = new Map<string, Seen>();
  for (const step of scenario.steps) {
    const world = new LintWorld(stepWorld(scenario, step, ips));
    const policies = stepPolicies(step, bindings);
    step.policies.forEach((source, k) => {
      const at = located.get(source);
      if (!at) return;
      const policy = policyRef(policies[k]!);
      const steps = inForce.get(policy) ?? new Set<number>();
      inForce.set(policy, steps.add(step.index));
      const findings = [
        ...ignoredRules(policies[k]!).map((finding) => ({ finding, perStep: false })),
        ...idlePolicyParts(world, policies[k]!)
          .filter((f) => !namesUndeclaredNamespace(source.manifest, f, declared))
          .map((finding) => ({ finding, perStep: true })),
      ];
      for (const { finding, perStep } of findings) {
        const key = `${policy}|${JSON.stringify(finding.path)}`;
        const entry = seen.get(key) ?? { finding, policy, steps: new Set<number>(), sites: new Map(), perStep };
        seen.set(key, entry);
        entry.steps.add(step.index);
        entry.sites.set(positionKey(source.origin), at);
      }
    });
  }
  for (const entry of seen.values()) {
    const steps = inForce.get(entry.policy)!;
    if (entry.steps.size < steps.size) continue;
    const where = entry.perStep ? stepsSuffix(scenario, steps) : '';
    for (const at of entry.sites.values())
      at.warning(entry.finding.path, `${entry.finding.message}${where}`, { key: entry.finding.key ?? false });
  }
}

function stepsSuffix(scenario: Scenario, steps: ReadonlySet<number>): string {
  if (scenario.steps.length < 2) return '';
  if (steps.size === scenario.steps.length) return ' (in every step)';
  const names = scenario.steps.filter((s) => steps.has(s.index)).map((s) => `"${s.name}"`);
  return ` (in step${names.length > 1 ? 's' : ''} ${names.join(', ')}, where this policy is in force)`;
}

/** A namespaceSelector naming an undeclared namespace already has its own warning, at the name. */
function namesUndeclaredNamespace(
  manifest: Record<string, unknown>,
  finding: PolicyFinding,
  declared: ReadonlySet<string>,
): boolean {
  if (finding.path[finding.path.length - 1] !== 'namespaceSelector') return false;
  let node: unknown = manifest;
  for (const segment of finding.path) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  const selector = node as LabelSelector | undefined;
  const names = [
    selector?.matchLabels?.[NAMESPACE_NAME_LABEL],
    ...(selector?.matchExpressions ?? []).flatMap((r) => (r.key === NAMESPACE_NAME_LABEL ? (r.values ?? []) : [])),
  ];
  return names.some((n) => n !== undefined && !declared.has(n) && n !== DNS_NAMESPACE && !n.includes('${'));
}

const MAX_NAMED = 3;

/** "a", "a and b", "a, b and c". */
function joinAnd(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function lintExpect(
  scenario: Scenario,
  step: Step,
  at: DiagnosticSink | undefined,
  ips: ReturnType<typeof syntheticPodIPs>,
): void {
  const { expect } = step;
  const mayShadow = expect.rules.length > 0 && expect.rules.length + expect.matrices.length > 1;
  if (!at || (expect.default === 'predicted' && !mayShadow)) return;
  const { cells } = predictStep(scenario, step, ips);
  const entryName = (e: ExpectEntry) =>
    e.kind === 'rule'
      ? `rules[${e.index}] at line ${expect.rules[e.index]!.origin.line}`
      : `matrix[${e.index}] at line ${expect.matrices[e.index]!.origin.line}`;
  const says = (e: Expected) => (e === 'allow' ? 'allowed' : e === 'deny' ? 'blocked' : 'not asserted');
  for (const shadowed of shadowedRules(expect, cells)) {
    const named = shadowed.by.slice(0, MAX_NAMED).map(entryName);
    if (shadowed.by.length > MAX_NAMED) named.push(`${shadowed.by.length - MAX_NAMED} more`);
    const { cell, by, expected } = shadowed.example;
    const mine: Expected = shadowed.rule.allowed ? 'allow' : 'deny';
    const decider = `${by.kind === 'rule' ? 'rules' : 'matrix'}[${by.index}]`;
    const what = `${cell.from.key} -> ${cell.to.key} ${cell.port.port}/${cell.port.protocol}`;
    const advice =
      shadowed.how === 'rules'
        ? `${decider} is at least as broad, so ${what} is expected ${says(expected)}, not ${says(mine)}: ` +
          `move the rule after ${decider}, or remove it`
        : `${decider} expects ${what} ${says(expected)} where this rule expects it ${says(mine)}: ` +
          'fix whichever is wrong, or remove the rule';
    at.warning(
      ['rules', shadowed.index],
      `rules[${shadowed.index}] decides no cell: every cell it matches is set again later (the last match wins), ` +
        `by ${joinAnd(named)}; ${advice}`,
    );
  }
  const contradiction = defaultContradiction(expect, cells, MAX_NAMED);
  if (contradiction) {
    const more = contradiction.count - contradiction.examples.length;
    const examples = joinAnd([...contradiction.examples, ...(more ? [`${more} more`] : [])]);
    at.warning(
      ['default'],
      `default: ${expect.default} contradicts the engine on ${contradiction.count} cell(s) ` +
        `that no rule or matrix sets: the policies ${expect.default === 'allow' ? 'block' : 'allow'} ${examples}; ` +
        'a live run fails them (add rules for them, or use default: predicted)',
    );
  }
}
