/**
 * The externals of a snapshot: for every egress ipBlock of the captured policies, one address the
 * rule lets through and one inside each `except`, served on the rule's numeric ports. (Ingress
 * ipBlocks name sources, which a scenario does not send from: repro-scenario.ts says so.)
 */
import type { NetworkPolicy, NetworkPolicyPort } from '../model/network-policy.js';
import type { Protocol } from '../model/protocol.js';
import type { ServedPort } from '../model/world.js';
import { allowedRepresentative, exceptRepresentative } from './external-addresses.js';

export interface ReproExternal {
  readonly name: string;
  readonly ip: string;
  readonly ports: readonly ServedPort[];
  /** What it stands for, one line per ipBlock side: `203.0.113.0/24 (except ...) of shop/api-egress`. */
  readonly standsFor: readonly string[];
}

/** A rule with no numeric port lets every port through: the replay probes this one. */
export const ANY_PORT: ServedPort = { port: 443, protocol: 'TCP' };

export function reproExternals(policies: readonly NetworkPolicy[]): {
  externals: ReproExternal[];
  notes: string[];
} {
  const byIp = new Map<string, { ports: Map<string, ServedPort>; standsFor: string[] }>();
  const notes: string[] = [];
  const add = (ip: string, ports: readonly ServedPort[], standsFor: string) => {
    const entry = byIp.get(ip) ?? { ports: new Map<string, ServedPort>(), standsFor: [] as string[] };
    for (const p of ports) entry.ports.set(`${p.port}/${p.protocol}`, p);
    if (!entry.standsFor.includes(standsFor)) entry.standsFor.push(standsFor);
    byIp.set(ip, entry);
  };
  for (const policy of policies) {
    const id = `${policy.metadata.namespace}/${policy.metadata.name}`;
    for (const rule of policy.spec.egress ?? []) {
      const ports = numericPorts(rule.ports);
      for (const peer of rule.to ?? []) {
        if (!peer.ipBlock) continue;
        const { cidr, except = [] } = peer.ipBlock;
        const text = `${cidr}${except.length ? ` except ${except.join(', ')}` : ''}`;
        const allowed = allowedRepresentative(cidr, except);
        if ('ip' in allowed) add(allowed.ip, ports, `inside ${text} of ${id}`);
        else notes.push(`ipBlock ${text} of ${id} has no external in the replay: ${allowed.none}`);
        for (const hole of except) {
          const held = exceptRepresentative(hole);
          if ('ip' in held) add(held.ip, ports, `inside except ${hole} of ${id}`);
          else notes.push(`except ${hole} of ${id} has no external in the replay: ${held.none}`);
        }
      }
    }
  }
  const externals = [...byIp].map(([ip, e]) => ({
    name: `ip-${ip.replaceAll('.', '-')}`,
    ip,
    ports: [...e.ports.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)),
    standsFor: e.standsFor,
  }));
  return { externals, notes: [...new Set(notes)] };
}

/** The numeric ports of a rule (a range stands for its first port); none or only names: ANY_PORT. */
function numericPorts(ports: readonly NetworkPolicyPort[] | undefined): ServedPort[] {
  const numeric = (ports ?? []).flatMap((p): ServedPort[] =>
    typeof p.port === 'number' ? [{ port: p.port, protocol: (p.protocol ?? 'TCP') as Protocol }] : [],
  );
  return numeric.length ? numeric : [ANY_PORT];
}
