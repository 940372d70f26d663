import { addressAt, cidrContains, formatIp, parseCidr, parseIp, type Cidr } from '../model/cidr.js';
import type { ServedPort } from '../model/world.js';
import { ALWAYS_RESERVED, type ReservedBlock } from '../model/reserved-blocks.js';

export type { ReservedBlock } from '../model/reserved-blocks.js';

/**
 * Externals on kind: each external address of a run becomes a container with exactly that
 * address, on an internal docker network (one per /24) that every node joins. The host then routes
 * the block to that bridge, so a probe to an external can never leave the machine. Pure: which
 * networks, which servers, and which externals cannot be made (with why).
 */
export interface ExternalServer {
  readonly ip: string;
  readonly tcp: readonly number[];
  readonly udp: readonly number[];
  /** What the server answers with; a probe that reaches something else is an error, not "allowed". */
  readonly identity: string;
}

export interface ExternalNetwork {
  readonly subnet: string;
  readonly gateway: string;
  readonly servers: readonly ExternalServer[];
}

export interface ExternalsPlan {
  readonly networks: readonly ExternalNetwork[];
  /** External address -> why it gets no server (its cells are reported unsupported with this). */
  readonly refused: ReadonlyMap<string, string>;
}

export const externalIdentity = (ip: string): string => `external@${ip}`;

function refusal(ip: string, reserved: ReadonlyArray<{ block: Cidr; what: string }>): string | undefined {
  const addr = parseIp(ip);
  if (!addr) return `${ip} is not an IP address`;
  if (addr.family !== 4) return 'IPv6 externals are not provisioned on kind yet';
  const hit = reserved.find((r) => cidrContains(r.block, addr));
  if (hit) return `${ip} lies in ${hit.what}: no container can take it without breaking the cluster`;
  const last = Number(addr.value & 0xffn);
  if (last === 0 || last === 255) return `${ip} is the network or broadcast address of its /24`;
  return undefined;
}

/** Group the run's externals by address (ports merged) and by /24, and pick a free gateway in each. */
export function planExternals(
  externals: ReadonlyArray<{ ip: string; ports: readonly ServedPort[] }>,
  reserved: readonly ReservedBlock[],
): ExternalsPlan {
  const blocks = [...ALWAYS_RESERVED, ...reserved].flatMap((r) => {
    const block = parseCidr(r.cidr);
    return block ? [{ block, what: r.what }] : [];
  });
  const refused = new Map<string, string>();
  const ports = new Map<string, { tcp: Set<number>; udp: Set<number> }>();
  for (const e of externals) {
    const why = refusal(e.ip, blocks);
    if (why) {
      refused.set(e.ip, why);
      continue;
    }
    const entry = ports.get(e.ip) ?? { tcp: new Set(), udp: new Set() };
    for (const p of e.ports)
      if (p.protocol === 'TCP') entry.tcp.add(p.port);
      else if (p.protocol === 'UDP') entry.udp.add(p.port);
    ports.set(e.ip, entry);
  }
  const bySubnet = new Map<string, ExternalServer[]>();
  for (const [ip, p] of ports) {
    const subnet = formatIp({ family: 4, value: parseCidr(`${ip}/24`)!.network }) + '/24';
    const list = bySubnet.get(subnet) ?? [];
    list.push({
      ip,
      tcp: [...p.tcp].sort((a, b) => a - b),
      udp: [...p.udp].sort((a, b) => a - b),
      identity: externalIdentity(ip),
    });
    bySubnet.set(subnet, list);
  }
  const networks = [...bySubnet].map(([subnet, servers]): ExternalNetwork => {
    const taken = new Set(servers.map((s) => s.ip));
    let offset = 254;
    while (taken.has(formatIp(addressAt(parseCidr(subnet)!, offset)!))) offset--;
    return {
      subnet,
      gateway: formatIp(addressAt(parseCidr(subnet)!, offset)!),
      servers: servers.sort((a, b) => (parseIp(a.ip)!.value < parseIp(b.ip)!.value ? -1 : 1)),
    };
  });
  return { networks, refused };
}
