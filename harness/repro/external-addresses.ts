/**
 * One address to stand for an ipBlock in a replay on kind: inside its `cidr` and outside every
 * `except` (the address the rule lets through), and one inside each `except` (the address it
 * holds back). On kind each becomes a container of ours on an internal network, so no probe ever
 * reaches a real address. Documentation addresses (RFC 5737) are preferred where the block holds
 * them; never an address kind uses itself or one with a special meaning.
 */
import { bitsOf, cidrContains, formatIp, parseCidr, type Cidr, type IpAddress } from '../model/cidr.js';
import {
  ALWAYS_RESERVED,
  DOCKER_DEFAULT_POOLS,
  KIND_CLUSTER_BLOCKS,
  type ReservedBlock,
} from '../model/reserved-blocks.js';

/** RFC 5737 documentation addresses: they route nowhere, so a reader sees at once they are stand-ins. */
const DOCUMENTATION = ['192.0.2.10', '198.51.100.10', '203.0.113.10'];

export type Representative = { readonly ip: string } | { readonly none: string };

/** An address inside `cidr` and outside every `except`, or why there is none a replay can use. */
export function allowedRepresentative(cidr: string, except: readonly string[] = []): Representative {
  const block = parseCidr(cidr);
  if (!block) return { none: `"${cidr}" is not a CIDR` };
  if (block.family !== 4) return { none: `${cidr} is IPv6: a replay on kind has IPv4 externals only` };
  const holes = except.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const candidates = [
    ...DOCUMENTATION.map(ipv4),
    at(block, 10n),
    at(block, 1n),
    ...holes.flatMap((h) => [at(h, size(h) + 10n), at(h, -10n)]),
    at(block, size(block) / 2n + 10n),
    at(block, size(block) - 11n),
    at(block, 0n),
  ];
  return pick(candidates, (ip) => cidrContains(block, ip) && !holes.some((h) => cidrContains(h, ip)), cidr);
}

/** An address inside an `except` block (and so inside its cidr), or why there is none. */
export function exceptRepresentative(except: string): Representative {
  const block = parseCidr(except);
  if (!block) return { none: `"${except}" is not a CIDR` };
  if (block.family !== 4) return { none: `${except} is IPv6: a replay on kind has IPv4 externals only` };
  const candidates = [
    ...DOCUMENTATION.map(ipv4),
    at(block, 10n),
    at(block, 1n),
    at(block, size(block) / 2n + 10n),
    at(block, 0n),
  ];
  return pick(candidates, (ip) => cidrContains(block, ip), except);
}

function pick(candidates: readonly IpAddress[], fits: (ip: IpAddress) => boolean, what: string): Representative {
  const usable = candidates.filter((ip) => fits(ip) && !within(HARD, ip) && !edgeOfSlash24(ip));
  const best = usable.find((ip) => !within(SOFT, ip)) ?? usable[0];
  if (best) return { ip: formatIp(best) };
  const reserved = [...ALWAYS_RESERVED, ...KIND_CLUSTER_BLOCKS].find((r) => {
    const block = parseCidr(r.cidr)!;
    const inner = parseCidr(what)!;
    return cidrContains(block, { family: 4, value: inner.network });
  });
  return {
    none: reserved
      ? `${what} lies in ${reserved.what} (${reserved.cidr}), which no external can take on kind`
      : `no address of ${what} can stand for it on kind`,
  };
}

const blocksOf = (list: readonly ReservedBlock[]): Cidr[] => list.map((r) => parseCidr(r.cidr)!);
const HARD = blocksOf([...ALWAYS_RESERVED, ...KIND_CLUSTER_BLOCKS]);
const SOFT = blocksOf(DOCKER_DEFAULT_POOLS);

const within = (blocks: readonly Cidr[], ip: IpAddress) => blocks.some((b) => cidrContains(b, ip));
/** The run gives each /24 of externals its own network: its .0 and .255 are not hosts. */
const edgeOfSlash24 = (ip: IpAddress) => (ip.value & 0xffn) === 0n || (ip.value & 0xffn) === 255n;
const size = (c: Cidr) => 1n << BigInt(bitsOf(c.family) - c.prefix);
const ipv4 = (text: string): IpAddress => {
  const [a, b, c, d] = text.split('.').map(BigInt) as [bigint, bigint, bigint, bigint];
  return { family: 4, value: (a << 24n) | (b << 16n) | (c << 8n) | d };
};
/** The address `offset` from the block's network address, clamped to IPv4 (may fall outside the block). */
function at(block: Cidr, offset: bigint): IpAddress {
  const value = block.network + offset;
  return { family: 4, value: value < 0n ? 0n : value > 0xffffffffn ? 0xffffffffn : value };
}
