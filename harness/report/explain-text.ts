/** `explain`'s text: the verdict, then each direction with its isolating policies and every rule checked. */
import type { TierDecision, TierMatch } from '../engine/admin-tiers.js';
import type { DirectionExplanation, Explanation, TierWalk } from '../engine/explain.js';
import type { PathExplanation } from '../engine/service-paths.js';
import type { ReadingsExplanation } from '../engine/node-sources.js';
import { directionRules, policyRef } from '../engine/policy.js';
import { formatPolicyPort } from '../engine/ports.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import type { Style } from './console-style.js';

/** What was asked: a cell of the matrix, or a DNS lookup (the engine's 53/UDP path to cluster DNS). */
export type ExplainedCell = { readonly kind: 'cell' } | { readonly kind: 'dns'; readonly name: string };

export function verdict(allowed: boolean, style: Style): string {
  return allowed ? style.green('ALLOWED') : style.red('BLOCKED');
}

export function renderExplanation(
  e: Explanation,
  step: string,
  policies: readonly NetworkPolicy[],
  style: Style,
  asked: ExplainedCell = { kind: 'cell' },
): string {
  const port = `${e.port.port}/${e.port.protocol}${e.port.name ? ` (${e.port.name})` : ''}`;
  const lines =
    asked.kind === 'dns'
      ? [
          `${e.from} -> DNS ${asked.name}, step ${step}: ` +
            `${verdict(e.allowed, style)} (${e.allowed ? 'resolves' : 'does not resolve'})`,
          `  a lookup resolves when ${e.from} may reach cluster DNS, ${e.to}, on ${port}`,
        ]
      : [`${e.from} -> ${e.to} ${port}, step ${step}: ${answerOf(e, style)}`];
  if (e.unspecified) lines.push(`  unspecified: ${e.unspecified} (not asserted unless a rule says so)`);
  const path = 'path' in e ? pathLines(e as PathExplanation, port, policies) : [];
  if (path.length) lines[0] = `${e.from} -> ${e.to} ${path[0]!}, step ${step}: ${answerOf(e, style)}`;
  return [...lines, ...path.slice(1), renderDirection(e.egress, policies), renderDirection(e.ingress, policies)].join(
    '\n',
  );
}

/** Through a Service: the title's path, the translation, and by name the lookup that comes first. */
function pathLines(e: PathExplanation, port: string, policies: readonly NetworkPolicy[]): string[] {
  const { via, service, servicePort, lookup, unspecified } = e.path;
  const sp = `${servicePort.port}/${servicePort.protocol}`;
  const lines = [
    `via ${via === 'dns' ? 'the DNS name of ' : ''}Service ${service} port ${sp}`,
    `  Service ${service} ${sp} forwards to targetPort ${servicePort.targetPort}: ${port} on ${e.to}; ` +
      'NetworkPolicy applies there, to the pod and that port, not to the Service',
  ];
  if (unspecified) lines.push(`  unspecified by the spec: ${unspecified} (not asserted unless a rule says so)`);
  if (lookup)
    lines.push(
      `  first the lookup: ${lookup.allowed ? 'resolves' : 'does not resolve, so nothing connects'} ` +
        `(${e.from} -> ${lookup.to} ${lookup.port.port}/${lookup.port.protocol})`,
      ...renderDirection(lookup.egress, policies)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  return lines;
}

function answerOf(e: Explanation, style: Style): string {
  return e.unspecified ? style.yellow('UNSPECIFIED') : verdict(e.allowed, style);
}

/** With cluster-scoped policies: the admin tier, then NetworkPolicy (as without them), then the baseline. */
function renderDirection(d: DirectionExplanation, policies: readonly NetworkPolicy[]): string {
  if (!d.tiers) return renderNetworkPolicy(d, policies, d.allowed ? 'allowed' : 'blocked');
  const t = d.tiers;
  const lines = [`  ${d.direction} ${d.direction === 'egress' ? 'from' : 'to'} ${d.subject}: ${t.outcome}`];
  lines.push(`    admin tier: ${adminLine(t, d.direction)}`);
  if (t.decidedBy === 'admin') {
    lines.push('    (NetworkPolicy and the baseline are not consulted)');
    return lines.join('\n');
  }
  const np = renderNetworkPolicy(d, policies, d.allowed ? 'allowed' : 'blocked')
    .split('\n')
    .map((l, i) => (i === 0 ? `    NetworkPolicy:${l.slice(l.indexOf(':') + 1)}` : `  ${l}`));
  lines.push(...np);
  if (t.decidedBy === 'network-policy') {
    lines.push('    (the baseline is not consulted: NetworkPolicy isolates the pod)');
    return lines.join('\n');
  }
  lines.push(
    `    baseline: ${decisionLine(t.baseline === 'no-match' ? undefined : t.baseline, d.direction, 'allowed')}`,
  );
  return lines.join('\n');
}

function adminLine(t: TierWalk, direction: string): string {
  return decisionLine(t.admin, direction, 'on to NetworkPolicy');
}

/** A tier's answer: the rule that decided, the rules that disagree at one priority, or none. */
function decisionLine(d: TierDecision | undefined, direction: string, otherwise: string): string {
  if (!d) return `no rule matches -> ${otherwise}`;
  if (d.action === 'unspecified')
    return `${d.by.map((m) => matchText(m, direction)).join(' and ')}: same priority, different actions`;
  const outcome = d.action === 'Allow' ? 'ALLOWS' : d.action === 'Deny' ? 'DENIES' : `passes -> ${otherwise}`;
  return `${matchText(d.by, direction)} -> ${outcome}`;
}

function matchText(m: TierMatch, direction: string): string {
  const priority = m.priority !== undefined ? ` (priority ${m.priority})` : '';
  const name = m.ruleName !== undefined ? ` "${m.ruleName}"` : '';
  return `${m.policy}${priority} ${direction}[${m.rule}]${name}: ${m.action}`;
}

function renderNetworkPolicy(d: DirectionExplanation, policies: readonly NetworkPolicy[], state: string): string {
  const title = `  ${d.direction} ${d.direction === 'egress' ? 'from' : 'to'} ${d.subject}: ` + state;
  if (d.openBecause === 'external')
    return `${title} (externals are outside the cluster: no NetworkPolicy applies to them)`;
  if (d.openBecause === 'not-isolated')
    return (
      `${title} (no policy selects ${d.subject} ` +
      `with policyType ${d.direction === 'egress' ? 'Egress' : 'Ingress'}: not isolated)`
    );
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

/** A node or NodePort cell: the spec's rule, or the destination's ingress under each reading of the source. */
export function renderReadings(
  e: ReadingsExplanation,
  step: string,
  policies: readonly NetworkPolicy[],
  style: Style,
): string {
  const port = `${e.port.port}/${e.port.protocol}${e.port.name ? ` (${e.port.name})` : ''}`;
  const answer = e.unspecified ? style.yellow('UNSPECIFIED') : verdict(e.allowed, style);
  const lines = [`${e.from} -> ${e.to} ${port}${e.path ? ` ${e.path}` : ''}, step ${step}: ${answer}`];
  if (e.rule) return [...lines, `  ${e.rule}`].join('\n');
  if (e.unspecified) lines.push(`  ${e.unspecified} (not asserted unless a rule says so)`);
  for (const r of e.readings)
    lines.push(
      `  read ${r.what}:`,
      ...renderDirection(r.ingress, policies)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  return lines.join('\n');
}
