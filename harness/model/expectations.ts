import type { SourcePosition } from './position.js';
import { parsePeerPattern, peerMatches, type PeerPattern } from './peer-pattern.js';
import type { Expectations, PortPattern, ProtocolPattern } from './scenario.js';
import type { Endpoint, ServedPort } from './world.js';
import { viaPatternMatches, type Via } from './service.js';

export type Expected = 'allow' | 'deny' | 'unasserted';
/** Where a cell's expectation came from: the last thing that matched it wins. */
export type ExpectationSource = 'default' | 'rule' | 'matrix' | 'self';

export interface CellRef {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** The port the destination pod serves it on: what policy matches (for a Service, the resolved targetPort). */
  readonly port: ServedPort;
  readonly predicted: boolean;
  /** The path probed; absent: the pod's own IP. */
  readonly via?: Exclude<Via, 'pod'>;
  /** For `service` and `dns` cells: the Service and the Service port probed. */
  readonly service?: { readonly name: string; readonly port: number };
  /**
   * Set when the spec leaves the outcome to the implementation (a pod reaching itself through its
   * own Service, say), with why: not asserted by default, and never counted as a deviation.
   */
  readonly unspecified?: string;
}

export const viaOf = (cell: Pick<CellRef, 'via'>): Via => cell.via ?? 'pod';

export interface ExpectedCell {
  readonly expected: Expected;
  readonly source: ExpectationSource;
  readonly origin?: SourcePosition;
}

export function portPatternMatches(pattern: PortPattern, port: ServedPort): boolean {
  return pattern === '*' || (typeof pattern === 'number' ? pattern === port.port : pattern === port.name);
}

export function protocolPatternMatches(pattern: ProtocolPattern, port: ServedPort): boolean {
  return pattern === '*' || pattern === port.protocol;
}

function compiled(text: string): PeerPattern {
  const pattern = parsePeerPattern(text);
  if ('error' in pattern) throw new Error(`unvalidated peer pattern: ${pattern.error}`);
  return pattern;
}

/**
 * The user's expectation for every cell: `default` first, then rules in order, then matrix
 * tables, each overriding what came before; self cells are not asserted when ignoreSelf is set.
 */
export function resolveExpectations(expect: Expectations, cells: readonly CellRef[]): ExpectedCell[] {
  const fromDefault = (cell: CellRef): ExpectedCell => ({
    expected: cell.unspecified
      ? 'unasserted'
      : expect.default === 'predicted'
        ? cell.predicted
          ? 'allow'
          : 'deny'
        : expect.default,
    source: 'default',
  });
  const out = cells.map(fromDefault);
  for (const rule of expect.rules) {
    const from = compiled(rule.from);
    const to = compiled(rule.to);
    cells.forEach((cell, i) => {
      if (
        peerMatches(from, cell.from) &&
        peerMatches(to, cell.to) &&
        portPatternMatches(rule.port, cell.port) &&
        protocolPatternMatches(rule.protocol, cell.port) &&
        viaPatternMatches(rule.via, viaOf(cell))
      ) {
        out[i] = { expected: rule.allowed ? 'allow' : 'deny', source: 'rule', origin: rule.origin };
      }
    });
  }
  if (expect.matrices.length) {
    const byPair = new Map<string, number[]>();
    cells.forEach((cell, i) => {
      const key = `${cell.from.key}|${cell.to.key}`;
      byPair.set(key, [...(byPair.get(key) ?? []), i]);
    });
    for (const matrix of expect.matrices) {
      matrix.sources.forEach((source, r) => {
        matrix.destinations.forEach((destination, c) => {
          const mark = matrix.marks[r]![c]!;
          for (const i of byPair.get(`${source}|${destination}`) ?? []) {
            const cell = cells[i]!;
            if (
              !portPatternMatches(matrix.port, cell.port) ||
              !protocolPatternMatches(matrix.protocol, cell.port) ||
              !viaPatternMatches(matrix.via, viaOf(cell))
            )
              continue;
            out[i] = {
              expected: mark === '.' ? 'allow' : mark === 'X' ? 'deny' : 'unasserted',
              source: 'matrix',
              origin: matrix.markOrigins[r]![c]!,
            };
          }
        });
      });
    }
  }
  if (expect.ignoreSelf)
    cells.forEach((cell, i) => {
      if (cell.from.key === cell.to.key) out[i] = { expected: 'unasserted', source: 'self' };
    });
  return out;
}

/** DNS names probed in a step: those the expectations name, else the API server's own name. */
export function dnsNames(expect: Expectations, fallback: string): string[] {
  const names = [...new Set(expect.dns.map((d) => d.name))];
  return names.length ? names : [fallback];
}

/** The user's DNS expectation for a source and name; undefined when none is written (the last match wins). */
export function expectedDns(
  expect: Expectations,
  from: Endpoint,
  name: string,
): { resolves: boolean; origin: SourcePosition } | undefined {
  let found: { resolves: boolean; origin: SourcePosition } | undefined;
  for (const d of expect.dns)
    if (d.name === name && peerMatches(compiled(d.from), from)) found = { resolves: d.resolves, origin: d.origin };
  return found;
}
