import { explainCell, type DirectionExplanation, type Explanation } from '../engine/explain.js';
import { predictStep } from '../engine/predict-step.js';
import { formatPolicyPort } from '../engine/ports.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import type { Scenario, Step } from '../model/scenario.js';
import { didYouMean } from '../util/suggest.js';
import type { CommandIO } from './io.js';
import { loadValidScenario } from './load-or-fail.js';
import { directionRules, policyRef } from '../engine/policy.js';

export interface ExplainOptions {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly protocol?: string;
  readonly step?: string;
  readonly output?: 'text' | 'json';
  readonly podCidr?: string;
}

/** Why the engine allows or blocks one cell: isolation on each side and the rule that lets it through, if any. */
export function explainCommand(file: string, options: ExplainOptions, io: CommandIO): ExitCode {
  const scenario = loadValidScenario(file, options.podCidr);
  const step = pickStep(scenario, options.step);
  const { world, policies } = predictStep(scenario, step);
  const keys = world.endpoints.filter((e) => e.kind !== 'dns').map((e) => e.key);
  const from = world.endpoints.find((e) => e.key === options.from && e.kind === 'workload');
  if (!from)
    throw new UsageError(
      `--from ${options.from} is not a workload of ${scenario.name}${didYouMean(options.from, keys)}`,
    );
  const to = world.endpoints.find((e) => e.key === options.to && e.kind !== 'dns');
  if (!to)
    throw new UsageError(
      `--to ${options.to} is not a workload or external of ${scenario.name}${didYouMean(options.to, keys)}`,
    );
  const ports = to.ports.filter(
    (p) =>
      (String(p.port) === options.port || p.name === options.port) &&
      (!options.protocol || p.protocol === options.protocol.toUpperCase()),
  );
  if (!ports.length)
    throw new UsageError(
      `${to.key} serves no port ${options.port}${options.protocol ? `/${options.protocol}` : ''}; it serves ${to.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}`,
    );
  const explanations = ports.map((port) => explainCell(world, policies, from, to, port));
  if (options.output === 'json')
    io.out(JSON.stringify({ scenario: scenario.name, step: step.name, explanations }, null, 2));
  else io.out(explanations.map((e) => renderExplanation(e, step, policies)).join('\n\n'));
  return EXIT.ok;
}

function pickStep(scenario: Scenario, wanted: string | undefined): Step {
  if (wanted === undefined) {
    if (scenario.steps.length > 1)
      throw new UsageError(
        `${scenario.name} has ${scenario.steps.length} steps; choose one with --step (${scenario.steps.map((s, i) => `${i}=${s.name}`).join(', ')})`,
      );
    return scenario.steps[0]!;
  }
  const step = /^\d+$/.test(wanted) ? scenario.steps[Number(wanted)] : scenario.steps.find((s) => s.name === wanted);
  if (!step)
    throw new UsageError(
      `--step ${wanted}: no such step; steps are ${scenario.steps.map((s, i) => `${i}=${s.name}`).join(', ')}`,
    );
  return step;
}

export function renderExplanation(e: Explanation, step: Step, policies: readonly NetworkPolicy[]): string {
  const head = `${e.from} -> ${e.to} ${e.port.port}/${e.port.protocol}${e.port.name ? ` (${e.port.name})` : ''}, step ${step.name}: ${e.allowed ? 'ALLOWED' : 'BLOCKED'}`;
  return [head, renderDirection(e.egress, policies), renderDirection(e.ingress, policies)].join('\n');
}

function renderDirection(d: DirectionExplanation, policies: readonly NetworkPolicy[]): string {
  const title = `  ${d.direction} ${d.direction === 'egress' ? 'from' : 'to'} ${d.subject}: ${d.allowed ? 'allowed' : 'blocked'}`;
  if (d.openBecause === 'external')
    return `${title} (externals are outside the cluster: no NetworkPolicy applies to them)`;
  if (d.openBecause === 'not-isolated')
    return `${title} (no policy selects ${d.subject} with policyType ${d.direction === 'egress' ? 'Egress' : 'Ingress'}: not isolated)`;
  const lines = [title];
  for (const p of d.isolatedBy) {
    const policy = policies.find((x) => policyRef(x) === p.policy);
    const rules = policy ? (directionRules(policy, d.direction) ?? []) : [];
    if (p.rules.length === 0) {
      lines.push(`    isolated by ${p.policy}: no ${d.direction} rules (allows nothing)`);
      continue;
    }
    lines.push(`    isolated by ${p.policy}:`);
    for (const r of p.rules) {
      const ports = rules[r.rule]?.ports;
      const portText = ports === 'all' || ports === undefined ? 'all ports' : ports.map(formatPolicyPort).join(', ');
      const peer = r.peerMatches ? 'peer matches' : 'peer does not match';
      const port = r.portMatches ? `port in [${portText}]` : `port not in [${portText}]`;
      lines.push(
        `      ${d.direction}[${r.rule}]: ${peer}, ${port}${r.peerMatches && r.portMatches ? ' -> ALLOWS' : ''}`,
      );
    }
  }
  if (!d.allowed) lines.push(`    no ${d.direction} rule of the isolating policies allows it`);
  return lines.join('\n');
}
