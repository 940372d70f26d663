import { versionInRange } from '../model/cni-version.js';
import type { StepPrediction } from '../engine/predict-step.js';
import {
  expectedDns,
  portPatternMatches,
  protocolPatternMatches,
  resolveExpectations,
  type ExpectedCell,
} from '../model/expectations.js';
import { dnsDeviationName, parsePeerPattern, peerMatches } from '../model/peer-pattern.js';
import type { Endpoint } from '../model/world.js';
import type { CellResult, DnsResult, StepResult } from '../model/run-report.js';
import type { KnownDeviation } from '../model/scenario.js';
import { isCorrectButSlow } from '../model/slow.js';
import { judge, judgeDns } from '../model/verdict.js';
import { viaOf, type CellRef } from '../model/expectations.js';
import { viaPatternMatches } from '../model/service.js';
import { reproduceCommand } from '../probe/commands.js';
import type { ProbePlan } from '../probe/plan.js';
import type { Converged } from './converge.js';

/** The CNI a cell was observed on: a deviation applies to its name and, when it says so, a version range. */
interface CniOf {
  readonly cni?: string;
  readonly cniVersion?: string;
}

const appliesTo = (d: KnownDeviation, target: CniOf): boolean =>
  d.cni === target.cni && (d.versions === undefined || versionInRange(target.cniVersion, d.versions));

/** The known deviation of this CNI that covers a cell, if any (the last one written wins). */
function deviationFor(deviations: readonly KnownDeviation[], target: CniOf, cell: CellRef): KnownDeviation | undefined {
  let found: KnownDeviation | undefined;
  for (const d of deviations) {
    if (!appliesTo(d, target) || dnsDeviationName(d.to) !== undefined) continue;
    const from = parsePeerPattern(d.from);
    const to = parsePeerPattern(d.to);
    if ('error' in from || 'error' in to) continue;
    if (
      peerMatches(from, cell.from) &&
      peerMatches(to, cell.to) &&
      portPatternMatches(d.port, cell.port) &&
      protocolPatternMatches(d.protocol, cell.port) &&
      viaPatternMatches(d.via, viaOf(cell))
    )
      found = d;
  }
  return found;
}

/** The known deviation of this CNI that covers a DNS cell (`to: dns:<name>` or `dns:*`), if any. */
function dnsDeviationFor(
  deviations: readonly KnownDeviation[],
  target: CniOf,
  from: Endpoint,
  name: string,
): KnownDeviation | undefined {
  let found: KnownDeviation | undefined;
  for (const d of deviations) {
    const covers = dnsDeviationName(d.to);
    const source = parsePeerPattern(d.from);
    if (!appliesTo(d, target) || covers === undefined || 'error' in source) continue;
    if (peerMatches(source, from) && (covers === '*' || covers === name)) found = d;
  }
  return found;
}

export interface JudgeOptions {
  /** A correct cell that settled later than this after the change is marked slow (default 5000). */
  readonly slowAfterMs: number;
}

/** Expected, predicted and observed side by side for every cell of a step, with verdicts. */
export function judgeStep(
  prediction: StepPrediction,
  plan: ProbePlan,
  observed: Converged,
  target: CniOf & { readonly context: string },
  durationMs: number,
  expected: readonly ExpectedCell[] = resolveExpectations(prediction.step.expect, prediction.cells),
  options: JudgeOptions,
): StepResult {
  const slowAfterMs = options.slowAfterMs;
  const reproduce = new Map<string, string>();
  for (const source of plan.sources)
    for (const p of source.probes)
      reproduce.set(
        `${p.subject.kind}:${p.subject.index}`,
        reproduceCommand(source.namespace, source.pod, p.argv, target.context),
      );
  const settled = observed.summary.cellSettledAfterMs;
  const flapping = new Set(observed.summary.flapping);
  // A cell that never held still, or flapped and ended silent, is reported as such, never as a plain
  // pass or fail; one that flapped and then answered round after round is judged, its transient shown.
  const unsettled = new Set(observed.summary.unsettled);
  const unsettledJudgement = (i: number, j: ReturnType<typeof judge>): ReturnType<typeof judge> =>
    unsettled.has(i) && (j.verdict === 'fail' || j.verdict === 'pass')
      ? { verdict: 'inconclusive', clusterDeviatesFromSpec: j.clusterDeviatesFromSpec }
      : j;
  const cells = prediction.cells.map((cell, i): CellResult => {
    const o = observed.cells[i]!;
    const e = expected[i]!;
    const deviation = deviationFor(prediction.step.expect.knownDeviations, target, cell);
    const judged = judge(e.expected, cell.predicted, o.outcome, deviation, cell.via === 'dns');
    // Where the spec is silent there is nothing to deviate from: what the CNI did is data, not a deviation.
    const j = unsettledJudgement(i, cell.unspecified ? { ...judged, clusterDeviatesFromSpec: false } : judged);
    const settledAfterMs = settled[i] ?? 0;
    return {
      from: cell.from.key,
      to: cell.to.key,
      port: cell.port.port,
      protocol: cell.port.protocol,
      ...(cell.port.name ? { portName: cell.port.name } : {}),
      ...(cell.via ? { via: cell.via } : {}),
      ...(cell.service ? { service: `${cell.service.name}:${cell.service.port}` } : {}),
      ...(cell.unspecified ? { unspecified: cell.unspecified } : {}),
      expected: e.expected,
      expectationSource: e.source,
      predicted: cell.predicted,
      observed: o.outcome,
      detail: unsettled.has(i)
        ? `${flapping.has(i) ? 'flapping' : 'still changing when probing stopped'} ` +
          `(${observed.summary.transitions.get(i) ?? ''}); last seen: ${o.detail}`
        : flapping.has(i)
          ? `${o.detail} (held open after a transient: ${observed.summary.transitions.get(i) ?? ''})`
          : o.detail,
      verdict: j.verdict,
      ...(j.diagnosis ? { diagnosis: j.diagnosis } : {}),
      clusterDeviatesFromSpec: j.clusterDeviatesFromSpec,
      ...(j.deviation ? { deviationReason: j.deviation.reason } : {}),
      settledAfterMs,
      flapping: flapping.has(i),
      slow: isCorrectButSlow({ verdict: j.verdict, settledAfterMs, settled: !unsettled.has(i) }, slowAfterMs),
      reproduce: reproduce.get(`cell:${i}`) ?? '',
    };
  });
  const dns = prediction.dns.map((d, i): DnsResult => {
    const o = observed.dns[i]!;
    const from = prediction.world.endpoints.find((e) => e.key === d.from)!;
    const want = expectedDns(prediction.step.expect, from, d.name)?.resolves;
    const deviation = dnsDeviationFor(prediction.step.expect.knownDeviations, target, from, d.name);
    const j = judgeDns(want, d.resolves, o.outcome, deviation);
    return {
      from: d.from,
      name: d.name,
      ...(want !== undefined ? { expected: want } : {}),
      predicted: d.resolves,
      observed: o.outcome,
      detail: o.detail,
      verdict: j.verdict,
      ...(j.diagnosis ? { diagnosis: j.diagnosis } : {}),
      ...(j.deviation ? { deviationReason: j.deviation.reason } : {}),
      reproduce: reproduce.get(`dns:${i}`) ?? '',
    };
  });
  return {
    name: prediction.step.name,
    cells,
    dns,
    convergence: {
      rounds: observed.summary.rounds,
      settledAfterMs: observed.summary.settledAfterMs,
      stable: observed.summary.stable,
    },
    durationMs,
  };
}
