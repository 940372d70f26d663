import { expect } from 'chai';
import { judge, judgeDns } from '../../../harness/model/verdict.js';
import type { KnownDeviation } from '../../../harness/model/scenario.js';

const deviation = (observed: KnownDeviation['observed']): KnownDeviation => ({
  cni: 'cilium',
  from: 'x/a',
  to: 'x/b',
  port: '*',
  protocol: '*',
  via: '*',
  observed,
  reason: 'cilium/cilium#9209',
  origin: { file: 'f', line: 1, col: 1 },
});

describe('verdicts: expected vs predicted vs observed', () => {
  it('observed as expected passes, whichever way the block happened', () => {
    expect(judge('allow', true, 'allowed').verdict).to.equal('pass');
    expect(judge('deny', false, 'refused').verdict).to.equal('pass');
    expect(judge('deny', false, 'dropped').verdict).to.equal('pass');
  });
  it('the cluster disagreeing with the spec is a cluster fault', () => {
    const j = judge('deny', false, 'allowed');
    expect(j).to.include({ verdict: 'fail', diagnosis: 'cluster', clusterDeviatesFromSpec: true });
  });
  it('the cluster doing what the spec says against the author is a policy fault', () => {
    const j = judge('allow', false, 'dropped');
    expect(j).to.include({ verdict: 'fail', diagnosis: 'policy', clusterDeviatesFromSpec: false });
  });
  it('a broken probe is inconclusive, never blocked', () => {
    expect(judge('deny', false, 'error').verdict).to.equal('inconclusive');
    expect(judge('deny', false, 'unsupported').verdict).to.equal('inconclusive');
  });
  it('cells the scenario does not assert are reported, not judged', () => {
    expect(judge('unasserted', true, 'dropped')).to.include({ verdict: 'not-asserted', clusterDeviatesFromSpec: true });
  });
  it('a known deviation covers DNS cells too (to: dns:<name> or dns:*), and only the outcome it names', () => {
    const dns = { ...deviation('allowed'), to: 'dns:*' };
    expect(judgeDns(false, false, 'allowed', dns)).to.include({
      verdict: 'deviation-accepted',
      clusterDeviatesFromSpec: true,
    });
    expect(judgeDns(false, false, 'allowed')).to.include({ verdict: 'fail', diagnosis: 'cluster' });
    expect(judgeDns(true, true, 'dropped', dns).verdict).to.equal('fail');
    expect(judgeDns(true, true, 'allowed', dns).verdict).to.equal('pass');
  });
  it('a known deviation accepts only the outcome it names', () => {
    expect(judge('allow', true, 'dropped', deviation('blocked')).verdict).to.equal('deviation-accepted');
    expect(judge('allow', true, 'dropped', deviation('refused')).verdict).to.equal('fail');
    expect(judge('deny', false, 'allowed', deviation('allowed')).verdict).to.equal('deviation-accepted');
  });
  it('a pass where the author wrote in what the cluster does still records the spec deviation', () => {
    expect(judge('allow', false, 'allowed')).to.include({ verdict: 'pass', clusterDeviatesFromSpec: true });
  });
});

describe('DNS verdicts', () => {
  it('defaults to the prediction when the scenario writes no DNS expectation', () => {
    expect(judgeDns(undefined, true, 'allowed').verdict).to.equal('pass');
    expect(judgeDns(undefined, false, 'dropped').verdict).to.equal('pass');
  });
  it('a negative answer (NXDOMAIN) cannot confirm that DNS is blocked', () => {
    expect(judgeDns(false, false, 'dns-error').verdict).to.equal('inconclusive');
    expect(judgeDns(true, true, 'dns-error').verdict).to.equal('fail');
  });
  it('a resolver that times out when DNS should work is a cluster fault', () => {
    expect(judgeDns(true, true, 'dropped')).to.include({ verdict: 'fail', diagnosis: 'cluster' });
  });
});
