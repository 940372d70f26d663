import type { Expected } from './expectations.js';
import type { KnownDeviation } from './scenario.js';
import { isBlocked, isConclusive, type Outcome } from './observation.js';

/**
 * pass / fail as asserted; deviation-accepted when a known deviation for this CNI covers what was seen;
 * inconclusive when the probe could not tell; not-asserted for cells the scenario does not assert.
 */
export type Verdict = 'pass' | 'fail' | 'deviation-accepted' | 'inconclusive' | 'not-asserted';

/** On a failing cell: whose fault. `policy`: the policies do not do what the author expects (the
 *  cluster did what the spec says). `cluster`: the cluster does not do what the spec says. */
export type Diagnosis = 'policy' | 'cluster';

export interface Judgement {
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
  /** The cluster disagrees with the spec, whatever the verdict (e.g. the author wrote the deviation in). */
  readonly clusterDeviatesFromSpec: boolean;
  readonly deviation?: KnownDeviation;
}

export function deviationCovers(deviation: KnownDeviation, outcome: Outcome): boolean {
  switch (deviation.observed) {
    case 'allowed':
      return outcome === 'allowed';
    case 'blocked':
      return isBlocked(outcome);
    default:
      return deviation.observed === outcome;
  }
}

/**
 * One cell. A `dns-error` says nothing about a connection to an IP (inconclusive), but on a cell
 * probed by name (`nameLookup`, via: dns) it is what the application sees: the name did not resolve,
 * so nothing connected, and it counts as not allowed.
 */
export function judge(
  expected: Expected,
  predicted: boolean,
  outcome: Outcome,
  deviation?: KnownDeviation,
  nameLookup = false,
): Judgement {
  const conclusive = isConclusive(outcome) && (outcome !== 'dns-error' || nameLookup);
  const observedAllowed = outcome === 'allowed';
  const clusterDeviatesFromSpec = conclusive && observedAllowed !== predicted;
  if (!conclusive) return { verdict: 'inconclusive', clusterDeviatesFromSpec: false };
  if (expected === 'unasserted') return { verdict: 'not-asserted', clusterDeviatesFromSpec };
  if ((expected === 'allow') === observedAllowed) return { verdict: 'pass', clusterDeviatesFromSpec };
  if (deviation && deviationCovers(deviation, outcome))
    return { verdict: 'deviation-accepted', clusterDeviatesFromSpec, deviation };
  return {
    verdict: 'fail',
    diagnosis: (expected === 'allow') !== predicted ? 'policy' : 'cluster',
    clusterDeviatesFromSpec,
  };
}

/**
 * DNS cells: resolving is "allowed", an unreachable resolver is blocked. A negative answer (NXDOMAIN)
 * means the resolver was reachable, so it cannot confirm that DNS is blocked: inconclusive there.
 */
export function judgeDns(
  expected: boolean | undefined,
  predicted: boolean,
  outcome: Outcome,
  deviation?: KnownDeviation,
): Judgement {
  if (!isConclusive(outcome)) return { verdict: 'inconclusive', clusterDeviatesFromSpec: false };
  const resolved = outcome === 'allowed';
  const clusterDeviatesFromSpec = outcome !== 'dns-error' && resolved !== predicted;
  const want = expected ?? predicted;
  if (outcome === 'dns-error' && !want) return { verdict: 'inconclusive', clusterDeviatesFromSpec };
  if (want === resolved) return { verdict: 'pass', clusterDeviatesFromSpec };
  if (deviation && deviationCovers(deviation, outcome))
    return { verdict: 'deviation-accepted', clusterDeviatesFromSpec, deviation };
  return { verdict: 'fail', diagnosis: want !== predicted ? 'policy' : 'cluster', clusterDeviatesFromSpec };
}
