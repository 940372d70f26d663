/**
 * IPv4 and IPv6 addresses and CIDR blocks as bigints, for ipBlock matching.
 * Host bits in a CIDR (10.0.0.1/24) are masked, as the API server and CNIs treat them.
 */
export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
  /** True when the written address had bits set below the prefix. */
  readonly hostBitsSet: boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIp(text: string): IpAddress | undefined {
  return IPV4.test(text) ? parseIpv4(text) : parseIpv6(text);
}

function parseIpv4(text: string): IpAddress | undefined {
  const v4 = IPV4.exec(text);
  if (!v4) return undefined;
  const octets = v4.slice(1).map(Number);
  if (octets.some((o) => o > 255) || v4.slice(1).some((o) => o.length > 1 && o.startsWith('0'))) return undefined;
  return { family: 4, value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
}

function parseIpv6(text: string): IpAddress | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  let groups: string[];
  const [head = '', tail] = text.split('::');
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  let headGroups = split(head);
  let tailGroups = tail === undefined ? [] : split(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = (tail === undefined ? headGroups : tailGroups).at(-1);
  if (last?.includes('.')) {
    const v4 = parseIpv4(last);
    if (!v4) return undefined;
    const pair = [(v4.value >> 16n).toString(16), (v4.value & 0xffffn).toString(16)];
    if (tail === undefined) headGroups = [...headGroups.slice(0, -1), ...pair];
    else tailGroups = [...tailGroups.slice(0, -1), ...pair];
  }
  if (tail === undefined) {
    if (headGroups.length !== 8) return undefined;
    groups = headGroups;
  } else {
    const missing = 8 - headGroups.length - tailGroups.length;
    if (missing < 1) return undefined;
    groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  }
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = bitsOf(ip.family);
  if (prefix > bits) return undefined;
  const network = ip.value & maskOf(bits, prefix);
  return { family: ip.family, network, prefix, hostBitsSet: network !== ip.value };
}

function maskOf(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  return (ip.value & maskOf(bitsOf(ip.family), cidr.prefix)) === cidr.network;
}

/** True when `inner` lies entirely inside `outer` (equal blocks count). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix >= outer.prefix &&
    cidrContains(outer, { family: inner.family, value: inner.network })
  );
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((ip.value >> s) & 0xffffn).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = { start: -1, len: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}

/** The `offset`-th address of a block (offset 0 is the network address). */
export function addressAt(cidr: Cidr, offset: number): IpAddress | undefined {
  const size = 1n << BigInt(bitsOf(cidr.family) - cidr.prefix);
  if (BigInt(offset) >= size) return undefined;
  return { family: cidr.family, value: cidr.network + BigInt(offset) };
}
