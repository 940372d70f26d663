import { expect } from 'chai';
import { predictStep, type StepPrediction } from '../../../harness/engine/predict-step.js';
import { ConvergenceTracker } from '../../../harness/model/convergence.js';
import type { CellResult } from '../../../harness/model/run-report.js';
import type { Outcome } from '../../../harness/model/observation.js';
import type { Converged } from '../../../harness/run/converge.js';
import { judgeStep, type JudgeOptions } from '../../../harness/run/judge-step.js';
import { loadScenario } from '../../../harness/scenario/load.js';

/**
 * A default-deny in shop, probed in rounds at 0, 3, 5, 7 and 7.2 s after the change. Every cell shows
 * what the spec says from the first round on, except the few a test gives a history of its own.
 */
const ROUND_TIMES = [0, 3000, 5000, 7000, 7200];

function prediction(): StepPrediction {
  const { scenario } = loadScenario('scenarios/01-default-deny-ingress.yaml');
  return predictStep(scenario!, scenario!.steps[0]!);
}

function converged(p: StepPrediction, histories: Record<string, Outcome[]>): Converged {
  const rounds = ROUND_TIMES.map((_, r) => [
    ...p.cells.map((c) => histories[`${c.from.key}>${c.to.key}`]?.[r] ?? (c.predicted ? 'allowed' : 'dropped')),
    ...p.dns.map((): Outcome => 'allowed'),
  ]);
  const tracker = new ConvergenceTracker(rounds[0]!.length, 2);
  rounds.forEach((round, r) => tracker.addRound(round, ROUND_TIMES[r]!));
  const last = rounds.at(-1)!.map((outcome) => ({ outcome, detail: outcome }));
  return {
    cells: last.slice(0, p.cells.length),
    dns: last.slice(p.cells.length),
    summary: tracker.summary(),
    timedOut: false,
  };
}

function judged(
  histories: Record<string, Outcome[]>,
  options: JudgeOptions = { slowAfterMs: 5000 },
): (from: string, to: string) => CellResult {
  const p = prediction();
  const step = judgeStep(
    p,
    { sources: [], skipped: [] },
    converged(p, histories),
    { context: 'kind-test' },
    8000,
    undefined,
    options,
  );
  return (from, to) => step.cells.find((c) => c.from === from && c.to === to)!;
}

const BLOCKED_AT_7S: Outcome[] = ['allowed', 'allowed', 'allowed', 'dropped', 'dropped'];
const BLOCKED_AT_5S: Outcome[] = ['allowed', 'allowed', 'dropped', 'dropped', 'dropped'];
const ALLOWED_AT_7S: Outcome[] = ['dropped', 'dropped', 'dropped', 'allowed', 'allowed'];
const FLAPPED: Outcome[] = ['dropped', 'allowed', 'allowed', 'dropped', 'dropped'];
const CLOSED_A_WHILE: Outcome[] = ['allowed', 'dropped', 'allowed', 'allowed', 'allowed'];

describe('judging a step: correct but slow cells', () => {
  it('a cell denied as expected, but only 7 s after the change, is pass and slow with a 5 s threshold', () => {
    const cell = judged({ 'shop/frontend>shop/api': BLOCKED_AT_7S }, { slowAfterMs: 5000 })(
      'shop/frontend',
      'shop/api',
    );
    expect(cell).to.include({ verdict: 'pass', settledAfterMs: 7000, slow: true });
  });

  it('a cell that settled exactly at the threshold (5 s) is not slow', () => {
    const cell = judged({ 'shop/frontend>shop/api': BLOCKED_AT_5S }, { slowAfterMs: 5000 })(
      'shop/frontend',
      'shop/api',
    );
    expect(cell).to.include({ verdict: 'pass', settledAfterMs: 5000, slow: false });
  });

  it('a cell that ended wrong after 7 s is a fail, not slow', () => {
    const cell = judged({ 'shop/redis>shop/api': ALLOWED_AT_7S }, { slowAfterMs: 5000 })('shop/redis', 'shop/api');
    expect(cell).to.include({ verdict: 'fail', settledAfterMs: 7000, slow: false });
  });

  it('a cell that flapped before it settled late is inconclusive, not slow', () => {
    const cell = judged({ 'shop/api>shop/redis': FLAPPED }, { slowAfterMs: 5000 })('shop/api', 'shop/redis');
    expect(cell).to.include({ verdict: 'inconclusive', flapping: true, slow: false });
    expect(cell.detail).to.match(
      /^flapping \(blocked at 0 ms, allowed at 3\.0 s, blocked at 7\.0 s \(5 rounds\)\); last seen: dropped$/,
    );
  });

  it('a cell that flapped and then answered round after round is judged on the answers, its transient shown', () => {
    // shop/api -> payments/payment-api: payments has no policy, so allowed.
    const cell = judged({ 'shop/api>payments/payment-api': CLOSED_A_WHILE })('shop/api', 'payments/payment-api');
    expect(cell).to.include({ verdict: 'pass', flapping: true, settledAfterMs: 5000, slow: false });
    expect(cell.detail).to.equal(
      'allowed (held open after a transient: allowed at 0 ms, blocked at 3.0 s, allowed at 5.0 s (5 rounds))',
    );
  });

  it('cells right from the first round are never slow', () => {
    const cell = judged({ 'shop/frontend>shop/api': BLOCKED_AT_7S }, { slowAfterMs: 5000 })(
      'shop/api',
      'shop/frontend',
    );
    expect(cell).to.include({ verdict: 'pass', settledAfterMs: 0, slow: false });
  });

  it('the threshold is 5 s when the caller gives none, and a higher one lets the same cell through', () => {
    const histories = { 'shop/frontend>shop/api': BLOCKED_AT_7S };
    expect(judged(histories)('shop/frontend', 'shop/api').slow).to.equal(true);
    expect(judged(histories, { slowAfterMs: 8000 })('shop/frontend', 'shop/api')).to.include({
      verdict: 'pass',
      slow: false,
    });
  });
});

describe('judging a step: known deviations on DNS cells', () => {
  // Scenario 02 denies all egress in shop, DNS included: the engine predicts no lookup from shop resolves. A CNI that
  // lets them through anyway (a DNS cell behind an ipBlock on Cilium, cilium/cilium#9209) is a
  // known deviation when the scenario records one for that CNI and source.
  function dnsVerdicts(cni: string, to: string, from = 'shop/*'): string[] {
    const { scenario } = loadScenario('scenarios/02-default-deny-all.yaml');
    const step = scenario!.steps[0]!;
    const deviation = {
      cni: 'cilium',
      from,
      to,
      port: '*',
      protocol: '*',
      via: '*',
      observed: 'allowed',
      reason: 'cilium/cilium#9209',
      origin: { file: 'f', line: 1, col: 1 },
    } as const;
    const withDeviation = { ...step, expect: { ...step.expect, knownDeviations: [deviation] } };
    const p = predictStep(scenario!, withDeviation);
    expect(p.dns.filter((d) => d.from.startsWith('shop/')).every((d) => !d.resolves)).to.equal(true);
    const observed: Converged = {
      cells: p.cells.map(() => ({ outcome: 'dropped', detail: '' })),
      dns: p.dns.map(() => ({ outcome: 'allowed', detail: 'resolved' })),
      summary: new ConvergenceTracker(0, 2).summary(),
      timedOut: false,
    };
    const result = judgeStep(p, { sources: [], skipped: [] }, observed, { cni, context: 'kind-x' }, 1, undefined, {
      slowAfterMs: 5000,
    });
    const shop = result.dns.filter((d) => d.from.startsWith('shop/'));
    return [...new Set(shop.map((d) => `${d.verdict}${d.deviationReason ? ` (${d.deviationReason})` : ''}`))];
  }
  it('to: dns:* accepts the lookups that resolve where the spec says they fail, on that CNI', () => {
    expect(dnsVerdicts('cilium', 'dns:*')).to.deep.equal(['deviation-accepted (cilium/cilium#9209)']);
  });
  it('on another CNI the same cells fail', () => {
    expect(dnsVerdicts('calico', 'dns:*')).to.deep.equal(['fail']);
  });
  it('dns:<name> covers only that name, and the source pattern still has to match', () => {
    expect(dnsVerdicts('cilium', 'dns:example.invalid')).to.deep.equal(['fail']);
    expect(dnsVerdicts('cilium', 'dns:kubernetes.default.svc.cluster.local')).to.deep.equal([
      'deviation-accepted (cilium/cilium#9209)',
    ]);
    expect(dnsVerdicts('cilium', 'dns:*', 'payments/*')).to.deep.equal(['fail']);
  });
});

describe('judging a step: a known deviation limited to CNI versions', () => {
  // Scenario 01 isolates shop/api: the spec blocks shop/frontend -> shop/api on 8080. A CNI version
  // that lets it through deviates; a deviation with `versions` accepts that only on those versions.
  function verdict(versions: string | undefined, cniVersion: string | undefined): string {
    const { scenario } = loadScenario('scenarios/01-default-deny-ingress.yaml');
    const step = scenario!.steps[0]!;
    const deviation = {
      cni: 'cilium',
      ...(versions !== undefined ? { versions } : {}),
      from: '*',
      to: '*',
      port: '*',
      protocol: '*',
      via: '*',
      observed: 'allowed',
      reason: 'planted',
      origin: { file: 'f', line: 1, col: 1 },
    } as const;
    const p = predictStep(scenario!, { ...step, expect: { ...step.expect, knownDeviations: [deviation] } });
    const observed: Converged = {
      cells: p.cells.map(() => ({ outcome: 'allowed', detail: '' })),
      dns: p.dns.map(() => ({ outcome: 'allowed', detail: 'resolved' })),
      summary: new ConvergenceTracker(0, 2).summary(),
      timedOut: false,
    };
    const target = { cni: 'cilium', ...(cniVersion ? { cniVersion } : {}), context: 'kind-x' };
    const result = judgeStep(p, { sources: [], skipped: [] }, observed, target, 1, undefined, { slowAfterMs: 5000 });
    const cells = result.cells.filter((c) => !c.predicted && c.from !== c.to);
    expect(cells.length).to.be.greaterThan(0);
    return [...new Set(cells.map((c) => c.verdict))].join(',');
  }
  it('applies inside its range, read from an image tag', () => {
    expect(verdict('<1.19', 'v1.18.3')).to.equal('deviation-accepted');
    expect(verdict('>=1.18.0 <1.18.4', 'v1.18.3-cee.1')).to.equal('deviation-accepted');
  });
  it('outside its range the cell is judged by the spec, so a deviation that persists after an upgrade fails', () => {
    expect(verdict('<1.19', 'v1.19.0')).to.equal('fail');
  });
  it('does not apply where the CNI version is unknown, and applies to every version when it names none', () => {
    expect(verdict('<1.19', undefined)).to.equal('fail');
    expect(verdict(undefined, undefined)).to.equal('deviation-accepted');
  });
});
