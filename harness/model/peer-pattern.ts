import type { Endpoint } from './world.js';

/**
 * `*`, `ns/*`, `*\/workload`, `ns/workload`, `external:<name>`, or a node source (`node:local`,
 * `node:remote`, `node:*`), as used in expectations.
 */
export type PeerPattern =
  | { readonly kind: 'any' }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'external'; readonly name: string }
  | { readonly kind: 'node'; readonly name: 'local' | 'remote' | '*' };

export const EXTERNAL_PREFIX = 'external:';
export const NODE_PREFIX = 'node:';
/** `to: dns:<name>` or `to: dns:*` in a known deviation: the DNS cells of that name (or of every name). */
export const DNS_PREFIX = 'dns:';

/** The DNS name a known deviation's `to` covers (`*` for every name), or undefined for a peer. */
export function dnsDeviationName(to: string): string | undefined {
  return to.startsWith(DNS_PREFIX) ? to.slice(DNS_PREFIX.length) : undefined;
}

export function parsePeerPattern(text: string): PeerPattern | { error: string } {
  if (text === '*') return { kind: 'any' };
  if (text.startsWith(EXTERNAL_PREFIX)) {
    const name = text.slice(EXTERNAL_PREFIX.length);
    return name ? { kind: 'external', name } : { error: `"${text}" names no external` };
  }
  if (text.startsWith(NODE_PREFIX)) {
    const name = text.slice(NODE_PREFIX.length);
    return name === 'local' || name === 'remote' || name === '*'
      ? { kind: 'node', name }
      : { error: `"${text}" is not a node source: use node:local, node:remote or node:*` };
  }
  const parts = text.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    return {
      error: `"${text}" is not a peer: use ns/workload, ns/*, */workload, *, external:<name> or node:local|remote|*`,
    };
  }
  return { kind: 'pod', namespace: parts[0], name: parts[1] };
}

export function peerMatches(pattern: PeerPattern, endpoint: Endpoint): boolean {
  switch (pattern.kind) {
    case 'any':
      return true;
    case 'external':
      return endpoint.kind === 'external' && endpoint.name === pattern.name;
    case 'node':
      return endpoint.kind === 'node' && (pattern.name === '*' || pattern.name === endpoint.name);
    case 'pod':
      return (
        endpoint.kind === 'workload' &&
        (pattern.namespace === '*' || pattern.namespace === endpoint.namespace) &&
        (pattern.name === '*' || pattern.name === endpoint.name)
      );
  }
}

export function workloadKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
