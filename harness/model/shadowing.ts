import { parsePeerPattern, peerMatches, type PeerPattern } from './peer-pattern.js';
import { portPatternMatches, protocolPatternMatches, viaOf, type CellRef, type Expected } from './expectations.js';
import { viaPatternMatches } from './service.js';
import type { Expectations, ExpectRule } from './scenario.js';

/** A rule or a matrix table of one `expect` block, in the order they apply. */
export type ExpectEntry =
  { readonly kind: 'rule'; readonly index: number } | { readonly kind: 'matrix'; readonly index: number };

export interface ShadowedRule {
  readonly rule: ExpectRule;
  readonly index: number;
  /** `rules`: a later, at least as broad rule overrides it; `matrix`: matrices re-set its cells. */
  readonly how: 'rules' | 'matrix';
  /** The later entries that decide the cells it matches. */
  readonly by: readonly ExpectEntry[];
  /** One cell where what decides it says otherwise than this rule. */
  readonly example: { readonly cell: CellRef; readonly by: ExpectEntry; readonly expected: Expected };
}

/** Does peer pattern `a` match everything `b` matches, whatever the scenario declares? */
function peerCovers(a: PeerPattern, b: PeerPattern): boolean {
  if (a.kind === 'any') return true;
  if (a.kind === 'node') return b.kind === 'node' && (a.name === '*' || a.name === b.name);
  if (a.kind === 'external' || b.kind !== 'pod') return b.kind === a.kind && b.name === a.name;
  return (a.namespace === '*' || a.namespace === b.namespace) && (a.name === '*' || a.name === b.name);
}

/** A rule at least as broad as another, written so (not just in this scenario's small world). */
function ruleCovers(a: ExpectRule, b: ExpectRule): boolean {
  return (
    peerCovers(compiled(a.from), compiled(b.from)) &&
    peerCovers(compiled(a.to), compiled(b.to)) &&
    (a.port === '*' || a.port === b.port) &&
    (a.protocol === '*' || a.protocol === b.protocol) &&
    (a.via === '*' || a.via === b.via)
  );
}

function compiled(text: string): PeerPattern {
  const pattern = parsePeerPattern(text);
  if ('error' in pattern) throw new Error(`unvalidated peer pattern: ${pattern.error}`);
  return pattern;
}

type Matcher = (cell: CellRef) => Expected | undefined;

function matchers(expect: Expectations): { entries: ExpectEntry[]; match: Matcher[] } {
  const rules = expect.rules.map((rule): Matcher => {
    const from = compiled(rule.from);
    const to = compiled(rule.to);
    const verdict: Expected = rule.allowed ? 'allow' : 'deny';
    return (cell) =>
      peerMatches(from, cell.from) &&
      peerMatches(to, cell.to) &&
      portPatternMatches(rule.port, cell.port) &&
      protocolPatternMatches(rule.protocol, cell.port) &&
      viaPatternMatches(rule.via, viaOf(cell))
        ? verdict
        : undefined;
  });
  const tables = expect.matrices.map((matrix): Matcher => {
    const marks = new Map<string, Expected>();
    matrix.sources.forEach((s, r) =>
      matrix.destinations.forEach((d, c) => {
        const mark = matrix.marks[r]![c]!;
        marks.set(`${s}|${d}`, mark === '.' ? 'allow' : mark === 'X' ? 'deny' : 'unasserted');
      }),
    );
    return (cell) =>
      portPatternMatches(matrix.port, cell.port) &&
      protocolPatternMatches(matrix.protocol, cell.port) &&
      viaPatternMatches(matrix.via, viaOf(cell))
        ? marks.get(`${cell.from.key}|${cell.to.key}`)
        : undefined;
  });
  return {
    entries: [
      ...expect.rules.map((_, index) => ({ kind: 'rule' as const, index })),
      ...expect.matrices.map((_, index) => ({ kind: 'matrix' as const, index })),
    ],
    match: [...rules, ...tables],
  };
}

/**
 * Rules whose intent is lost: they decide no cell (every cell they match is matched again later;
 * the last match wins), and somewhere what decides says otherwise. Two ways to get there:
 * - later rules alone cover the rule, and one that disagrees is written at least as broad (a
 *   specific rule before a broader one, as if the first match won). A broad rule whose exceptions
 *   happen to cover every workload of a small scenario is the deny-then-allow idiom, not a mistake;
 * - the rule still decides cells among the rules, but matrices set all of them, one differently.
 * A rule restated by a matrix that agrees with it is the examples' idiom (rules say the intent, the
 * table spells it out), and is not reported. Self cells under `ignoreSelf` count for nobody.
 */
export function shadowedRules(expect: Expectations, cells: readonly CellRef[]): ShadowedRule[] {
  if (expect.rules.length === 0 || expect.rules.length + expect.matrices.length < 2) return [];
  const counted = cells.filter((c) => !(expect.ignoreSelf && c.from.key === c.to.key));
  const { entries, match } = matchers(expect);
  const ruleCount = expect.rules.length;
  // Per counted cell: every entry's verdict, the last rule and the last entry that match it.
  const verdicts = counted.map((cell) => match.map((m) => m(cell)));
  const lastOf = (v: Array<Expected | undefined>, end: number) => {
    for (let e = end - 1; e >= 0; e--) if (v[e] !== undefined) return e;
    return -1;
  };
  const lastRule = verdicts.map((v) => lastOf(v, ruleCount));
  const lastAny = verdicts.map((v) => lastOf(v, entries.length));
  return expect.rules.flatMap((rule, index): ShadowedRule[] => {
    const own = counted.flatMap((_, c) => (verdicts[c]![index] !== undefined ? [c] : []));
    if (own.length === 0 || own.some((c) => lastAny[c] === index)) return [];
    const mine = verdicts[own[0]!]![index]!;
    const byRules = own.every((c) => lastRule[c]! > index);
    // Covered by later rules: any of them may disagree. Else only the cells it decides among rules count.
    const judged = byRules ? own : own.filter((c) => lastRule[c] === index);
    const decider = (c: number) => (byRules ? lastRule[c]! : lastAny[c]!);
    const differing = judged.find(
      (c) => verdicts[c]![decider(c)] !== mine && (!byRules || ruleCovers(expect.rules[decider(c)]!, rule)),
    );
    if (differing === undefined) return [];
    const by = [...new Set(own.map(decider))].sort((a, b) => a - b).map((e) => entries[e]!);
    return [
      {
        rule,
        index,
        how: byRules ? 'rules' : 'matrix',
        by,
        example: {
          cell: counted[differing]!,
          by: entries[decider(differing)]!,
          expected: verdicts[differing]![decider(differing)]!,
        },
      },
    ];
  });
}
