import type { NetworkPolicyPort } from '../model/network-policy.js';
import type { ServedPort } from '../model/world.js';

/**
 * Does a NetworkPolicyPort admit traffic to `target`? Protocol defaults to TCP; a numeric port
 * may open a range with endPort; a named port matches only a pod container port of that name
 * and protocol, so it can mean different numbers on different destination pods.
 */
export function policyPortMatches(rule: NetworkPolicyPort, target: ServedPort, targetIsPod: boolean): boolean {
  if ((rule.protocol ?? 'TCP') !== target.protocol) return false;
  if (rule.port === undefined || rule.port === null) return true;
  if (typeof rule.port === 'number') {
    return target.port >= rule.port && target.port <= (rule.endPort ?? rule.port);
  }
  return targetIsPod && target.name === rule.port;
}

export function portsMatch(
  ports: readonly NetworkPolicyPort[] | 'all',
  target: ServedPort,
  targetIsPod: boolean,
): boolean {
  return ports === 'all' || ports.some((p) => policyPortMatches(p, target, targetIsPod));
}

export function formatPolicyPort(p: NetworkPolicyPort): string {
  const port = p.port === undefined ? 'any port' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : String(p.port);
  return `${port}/${p.protocol ?? 'TCP'}`;
}
