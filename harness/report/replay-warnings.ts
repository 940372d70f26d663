/**
 * A scenario written by `snapshot` records the cluster it was captured from (metadata.environment).
 * A replay prints it first, as warnings: what differs between that cluster and the kind cluster the
 * replay runs on is the first place to look when their matrices differ.
 */
import type { Scenario } from '../model/scenario.js';

export function replayWarnings(scenario: Scenario): string[] {
  const env = scenario.environment;
  if (!env) return [];
  const from = [
    env.kubernetesVersion ? `Kubernetes ${env.kubernetesVersion}` : undefined,
    env.cni?.length ? `CNI ${env.cni.join(', ')}` : undefined,
  ].filter(Boolean);
  const lines = [
    `warning: ${scenario.file} was captured from context ${env.context ?? '(unknown)'}` +
      `${from.length ? ` (${from.join(', ')})` : ''}${env.capturedAt ? ` at ${env.capturedAt}` : ''}; ` +
      'where this replay differs from it, look here first:',
  ];
  if (env.settings?.length) lines.push(`warning:   its CNI settings: ${env.settings.join('; ')}`);
  if (env.otherPolicies?.length)
    lines.push(`warning:   policies of other kinds there, not replayed: ${env.otherPolicies.join('; ')}`);
  if (env.notCarried?.length)
    lines.push(
      `warning:   ${env.notCarried.length} thing(s) the scenario could not carry ` +
        '(metadata.environment.notCarried lists them)',
    );
  return lines;
}
