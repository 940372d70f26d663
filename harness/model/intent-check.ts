import { expectedDns, resolveExpectations } from './expectations.js';
import type { SourcePosition } from './position.js';
import type { CellRef } from './expectations.js';
import type { Expectations } from './scenario.js';
import type { Endpoint } from './world.js';

export interface IntentMismatch {
  readonly origin?: SourcePosition;
  readonly description: string;
}

/**
 * Cells where what the author wrote disagrees with what the policies imply: the "your policy does
 * not do what you expect" half of the diagnosis, found before any cluster is involved.
 */
export function intentMismatches(
  expect: Expectations,
  cells: readonly CellRef[],
  dns: ReadonlyArray<{ from: string; name: string; resolves: boolean }>,
  endpoints: readonly Endpoint[],
): IntentMismatch[] {
  const out: IntentMismatch[] = [];
  resolveExpectations(expect, cells).forEach((e, i) => {
    const cell = cells[i]!;
    if (e.source === 'default' || e.expected === 'unasserted' || (e.expected === 'allow') === cell.predicted) return;
    out.push({
      ...(e.origin ? { origin: e.origin } : {}),
      description:
        `expects ${cell.from.key} -> ${cell.to.key} ${cell.port.port}/${cell.port.protocol} ` +
        `${e.expected === 'allow' ? 'allowed' : 'blocked'}, but the policies ${cell.predicted ? 'allow' : 'block'} it`,
    });
  });
  for (const d of dns) {
    const from = endpoints.find((e) => e.key === d.from);
    const expected = from && expectedDns(expect, from, d.name);
    if (expected && expected.resolves !== d.resolves) {
      out.push({
        origin: expected.origin,
        description:
          `expects DNS ${d.name} from ${d.from} to ${expected.resolves ? 'resolve' : 'fail'}, ` +
          `but the policies ${d.resolves ? 'allow' : 'block'} DNS (53/UDP to kube-system/kube-dns)`,
      });
    }
  }
  return out;
}

export interface DefaultContradiction {
  /** Cells that only `default` asserts, where it says the opposite of the engine. */
  readonly count: number;
  readonly examples: readonly string[];
}

/**
 * `default: allow|deny` decides every cell no rule or matrix mentions; where the policies say
 * otherwise, a live run fails those cells. Undefined when `default` is `predicted` or agrees.
 */
export function defaultContradiction(
  expect: Expectations,
  cells: readonly CellRef[],
  maxExamples = 3,
): DefaultContradiction | undefined {
  if (expect.default === 'predicted') return undefined;
  const wrong = resolveExpectations(expect, cells).flatMap((e, i) => {
    const cell = cells[i]!;
    if (e.source !== 'default' || (e.expected === 'allow') === cell.predicted) return [];
    return [`${cell.from.key} -> ${cell.to.key} ${cell.port.port}/${cell.port.protocol}`];
  });
  return wrong.length ? { count: wrong.length, examples: wrong.slice(0, maxExamples) } : undefined;
}
