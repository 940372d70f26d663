import { expect } from 'chai';
import type { RunReport } from '../../../harness/model/run-report.js';
import { renderJunit } from '../../../harness/report/junit.js';
import { sampleReport } from '../../support/sample-report.js';
import { expectGolden } from './golden.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

const NASTY = `<&>"'`;

function suite(xml: string, name: string): XmlElement {
  return findAll(parseXml(xml), 'testsuite').find((s) => s.attrs['name'] === name)!;
}

function outcomeOf(testcase: XmlElement): string {
  return testcase.children.find((c) => c.name !== 'system-out')?.name ?? 'passed';
}

/** The sample with hostile characters in names and details, to check escaping end to end. */
function hostile(): RunReport {
  const r = sampleReport();
  const runs = r.runs.map((run) => ({
    ...run,
    scenario: `${run.scenario} ${NASTY}`,
    steps: run.steps.map((s) => ({
      ...s,
      name: `${s.name} ${NASTY}`,
      cells: s.cells.map((c) => ({ ...c, detail: `${c.detail} ${NASTY} ]]> \x1b[0m` })),
    })),
  }));
  return {
    ...r,
    targets: r.targets.map((t) => ({ ...t, name: `${t.name}${NASTY}` })),
    runs: runs.map((run) => ({ ...run, target: `${run.target}${NASTY}` })),
  };
}

describe('JUnit reporter', () => {
  it('matches the golden file', () => {
    expectGolden('junit.xml', renderJunit(sampleReport()));
  });

  it('is well-formed XML with one testsuite per target', () => {
    const root = parseXml(renderJunit(sampleReport()));
    expect(root.name).to.equal('testsuites');
    expect(findAll(root, 'testsuite').map((s) => s.attrs['name'])).to.deep.equal(['calico', 'cilium', 'kindnet']);
  });

  it('one testcase per scenario x target x step, named as the spec says, plus the canary and the scenario that could not run', () => {
    const calico = suite(renderJunit(sampleReport()), 'calico');
    const cases = findAll(calico, 'testcase').map(
      (c) => `${c.attrs['classname']} | ${c.attrs['name']} | ${outcomeOf(c)}`,
    );
    expect(cases).to.deep.equal([
      'canary | policy enforcement canary on calico | passed',
      'frontend-isolation | step open on calico | passed',
      'frontend-isolation | step isolate-backend on calico | failure',
      'ipblock-pod-cidr | scenario ipblock-pod-cidr on calico | error',
    ]);
  });

  it('counts in the attributes match the testcases, per suite and in total', () => {
    const root = parseXml(renderJunit(sampleReport()));
    const count = (el: XmlElement, kind: string) => findAll(el, 'testcase').filter((c) => outcomeOf(c) === kind).length;
    for (const el of [root, ...findAll(root, 'testsuite')]) {
      expect(el.attrs['tests'], el.attrs['name']).to.equal(String(findAll(el, 'testcase').length));
      expect(el.attrs['failures'], el.attrs['name']).to.equal(String(count(el, 'failure')));
      expect(el.attrs['errors'], el.attrs['name']).to.equal(String(count(el, 'error')));
      expect(el.attrs['skipped'], el.attrs['name']).to.equal(String(count(el, 'skipped')));
    }
    expect(root.attrs).to.include({ tests: '9', failures: '3', errors: '1', skipped: '0' });
  });

  it('a failure lists every failing cell with expected / predicted / observed, diagnosis, evidence and reproduce line', () => {
    const cilium = suite(renderJunit(sampleReport()), 'cilium');
    const step = findAll(cilium, 'testcase').find((c) => c.attrs['name'] === 'step isolate-backend on cilium')!;
    const failure = step.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs['message']).to.equal('2 failing cells: 1 policy fault(s), 1 cluster fault(s)');
    expect(failure.text).to.include(
      'other/client -> shop/backend 80/TCP (http): expected allow, predicted deny, observed dropped\n  policy fault: your policy does not do what you expect',
    );
    expect(failure.text).to.include(
      'other/client -> shop/backend 81/UDP: expected deny, predicted deny, observed allowed\n  cluster fault: the cluster does not do what the spec says',
    );
    expect(failure.text).to.include(
      "reproduce: kubectl --context kind-netpol-cilium exec -n other-7f3a client -- curl -sS --noproxy '*'",
    );
  });

  it('the canary fails the target that does not enforce policy, with its evidence', () => {
    const kindnet = suite(renderJunit(sampleReport()), 'kindnet');
    const failure = findAll(kindnet, 'failure')[0]!;
    expect(failure.attrs).to.include({
      type: 'canary',
      message: 'policy is not enforced: a default-deny did not block',
    });
    expect(failure.text).to.include('kindnet fails open without NFT_QUEUE');
  });

  it('skips the steps of a target whose canary failed, and inconclusive-only steps', () => {
    const r = sampleReport();
    const onKindnet = { ...r.runs[0]!, target: 'kindnet' };
    const step = r.runs[0]!.steps[0]!;
    const blind = {
      ...step,
      name: 'blind',
      cells: step.cells.map((c) => ({
        ...c,
        verdict: c.verdict === 'pass' ? ('inconclusive' as const) : c.verdict,
        observed: 'error' as const,
      })),
      dns: [],
    };
    const report: RunReport = { ...r, runs: [...r.runs, onKindnet, { ...r.runs[0]!, steps: [blind] }] };
    const root = parseXml(renderJunit(report));
    const kindnetCases = findAll(suite(renderJunit(report), 'kindnet'), 'testcase');
    expect(kindnetCases.map(outcomeOf)).to.deep.equal(['failure', 'skipped', 'skipped']);
    expect(kindnetCases[1]!.children[0]!.attrs['message']).to.equal(
      'policy is not enforced on kindnet (canary): results would be false',
    );
    const blindCase = findAll(root, 'testcase').find((c) => c.attrs['name'] === 'step blind on calico')!;
    expect(outcomeOf(blindCase)).to.equal('skipped');
    expect(blindCase.children[0]!.attrs['message']).to.match(/^all 12 asserted cells were inconclusive/);
    expect(root.attrs['skipped']).to.equal('3');
  });

  it('escapes < & > " \' and control characters in names, attributes and details', () => {
    const xml = renderJunit(hostile());
    const root = parseXml(xml);
    expect(findAll(root, 'testsuite').map((s) => s.attrs['name'])).to.deep.equal([
      `calico${NASTY}`,
      `cilium${NASTY}`,
      `kindnet${NASTY}`,
    ]);
    const names = findAll(root, 'testcase').map((c) => c.attrs['name']);
    expect(names).to.include(`step isolate-backend ${NASTY} on cilium${NASTY}`);
    expect(findAll(root, 'testcase').map((c) => c.attrs['classname'])).to.include(`frontend-isolation ${NASTY}`);
    const failure = findAll(root, 'failure').find((f) => f.text.includes('81/UDP'))!;
    expect(failure.text).to.include(`reply from shop/backend ${NASTY} ]]> \\x1b[0m`);
    const forbidden = [...xml].filter((ch) => ch.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(ch));
    expect(forbidden).to.deep.equal([]);
  });

  it('the well-formedness check itself rejects what JUnit consumers choke on', () => {
    expect(() => parseXml('<a><b></a></b>')).to.throw('</a> closes <b>');
    expect(() => parseXml('<a>x & y</a>')).to.throw('bare &');
    expect(() => parseXml('<a n="<"/>')).to.throw();
    expect(() => parseXml('<a>&nbsp;</a>')).to.throw('unknown entity');
    expect(() => parseXml('<a>')).to.throw('unclosed <a>');
  });
});
