import type { ClusterPolicy } from '../model/admin-policy.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { DNS_KEY, type Endpoint, type ServedPort, type World } from '../model/world.js';
import { Bitset } from './bitset.js';
import { connectionOutcome, directionOutcome, EQUAL_PRIORITY, tierDecision, type TierOutcome } from './admin-tiers.js';
import { compilePolicies, type CompiledWorld } from './compile.js';
import { compiledQuestions, compileTiers, type CompiledTiers } from './compile-tiers.js';
import type { Direction } from './policy.js';
import { portsMatch } from './ports.js';

export interface PredictedDns {
  readonly from: string;
  readonly name: string;
  readonly resolves: boolean;
}

/**
 * The engine's answer for one world: for each endpoint, direction and served-port shape, the set
 * of peers allowed, computed once and then read per cell with a bit test.
 */
export class Prediction {
  private readonly compiled: CompiledWorld;
  private readonly tiers: CompiledTiers;
  private readonly cache: Array<Map<string, Bitset | 'all'>>;

  constructor(
    readonly world: World,
    policies: readonly NetworkPolicy[],
    clusterPolicies: readonly ClusterPolicy[] = [],
  ) {
    this.compiled = compilePolicies(world, policies);
    this.tiers = compileTiers(world, clusterPolicies);
    this.cache = world.endpoints.map(() => new Map());
  }

  /** Is traffic from endpoint `from` to `to` on `port` allowed by both ends' policies (and certainly so)? */
  allowed(from: number, to: number, port: ServedPort): boolean {
    return this.outcome(from, to, port) === 'allowed';
  }

  /** A cell's prediction, walked once: allowed (and certainly so), and why the API leaves it open, when it does. */
  cell(from: number, to: number, port: ServedPort): { readonly allowed: boolean; readonly unspecified?: string } {
    const outcome = this.outcome(from, to, port);
    return outcome === 'unspecified'
      ? { allowed: false, unspecified: EQUAL_PRIORITY }
      : { allowed: outcome === 'allowed' };
  }

  /** Egress from `from`, then ingress to `to`, each through the admin tier, NetworkPolicy and the baseline. */
  outcome(from: number, to: number, port: ServedPort): TierOutcome {
    const targetIsPod = this.world.endpoints[to]!.kind !== 'external';
    const direction = (d: Direction, subject: number, peer: number): TierOutcome => {
      const np = this.compiled.rules[d][subject] !== undefined;
      const npAllows = () => this.peersAllowed(subject, d, port, targetIsPod).has(peer);
      if (this.tiers.empty) return npAllows() ? 'allowed' : 'blocked';
      const q = compiledQuestions(this.tiers, subject, peer, port, targetIsPod);
      return directionOutcome(
        tierDecision(this.tiers.tiers.admin, d, q),
        { isolated: np, allowed: np && npAllows() },
        () => tierDecision(this.tiers.tiers.baseline, d, q),
      );
    };
    const egress = direction('egress', from, to);
    if (egress === 'blocked') return 'blocked';
    return connectionOutcome(egress, direction('ingress', to, from));
  }

  /** DNS works when the source may reach cluster DNS on 53/UDP (nslookup's transport). */
  dnsReachable(from: number): boolean {
    const lookup = dnsLookupTarget(this.world);
    return lookup !== undefined && this.allowed(from, lookup.index, lookup.port);
  }

  dns(names: readonly string[]): PredictedDns[] {
    return this.world.endpoints.flatMap((e, i) =>
      e.kind === 'workload' ? names.map((name) => ({ from: e.key, name, resolves: this.dnsReachable(i) })) : [],
    );
  }

  private peersAllowed(
    subject: number,
    direction: Direction,
    port: ServedPort,
    targetIsPod: boolean,
  ): Bitset | AllPeers {
    const rules = this.compiled.rules[direction][subject];
    if (!rules) return ALL;
    const key = `${direction}|${port.protocol}|${port.port}|${targetIsPod ? (port.name ?? '') : ''}|${targetIsPod}`;
    const cached = this.cache[subject]!.get(key);
    if (cached) return cached === 'all' ? ALL : cached;
    let result: Bitset | 'all' = new Bitset(this.compiled.size);
    for (const rule of rules) {
      if (!portsMatch(rule.ports, port, targetIsPod)) continue;
      if (rule.peers === 'all') {
        result = 'all';
        break;
      }
      result.orWith(rule.peers);
    }
    this.cache[subject]!.set(key, result);
    return result === 'all' ? ALL : result;
  }
}

interface AllPeers {
  has(i: number): true;
}
const ALL: AllPeers = { has: () => true };

/** Where a lookup goes: cluster DNS (its endpoint and index in the world) on 53/UDP, nslookup's transport. */
export function dnsLookupTarget(world: World): { index: number; endpoint: Endpoint; port: ServedPort } | undefined {
  const index = world.endpoints.findIndex((e) => e.key === DNS_KEY);
  const endpoint = world.endpoints[index];
  const port = endpoint?.ports.find((p) => p.port === 53 && p.protocol === 'UDP');
  return endpoint && port ? { index, endpoint, port } : undefined;
}
