import { expect } from 'chai';
import type { RunReport } from '../../../harness/model/run-report.js';
import { renderHtml } from '../../../harness/report/html.js';
import { colourClass } from '../../../harness/report/html-matrix.js';
import { sampleReport } from '../../support/sample-report.js';
import { expectGolden } from './golden.js';

/** The opening tags of matrix cells, with their classes and tooltips. */
function matrixCells(html: string): Array<{ cls: string; title: string; mark: string }> {
  return [...html.matchAll(/<td class="([^"]*)" title="([^"]*)">([^<]*)<\/td>/g)].map((m) => ({
    cls: m[1]!,
    title: m[2]!,
    mark: m[3]!,
  }));
}

describe('HTML reporter', () => {
  it('matches the golden file', () => {
    expectGolden('report.html', renderHtml(sampleReport()));
  });

  it('is one self-contained file: inline CSS, no scripts, no external assets', () => {
    const html = renderHtml(sampleReport());
    expect(html).to.match(/^<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">/);
    expect(html).to.include('<style>').and.not.include('<link').and.not.include('<script').and.not.include('@import');
    expect(html).to.not.match(/\b(src|href)=|url\(/);
  });

  it('a header with run id, time and targets, and a card per target with its canary verdict', () => {
    const html = renderHtml(sampleReport());
    expect(html).to.include(
      'Run <code>run-20261121-2306-7f3a</code> · started 2026-11-21T23:06:09.000Z · took 2m 31s · targets: calico, cilium, kindnet',
    );
    expect(html).to.include(
      '<div class="card bad"><div class="name">kindnet <span class="badge bad">policy NOT enforced</span></div>',
    );
  });

  it('colours cells: green allowed, red blocked, grey not asserted, amber inconclusive', () => {
    expect(colourClass('pass', 'allowed')).to.equal('allowed');
    expect(colourClass('fail', 'dropped')).to.equal('blocked');
    expect(colourClass('pass', 'refused')).to.equal('blocked');
    expect(colourClass('not-asserted', 'allowed')).to.equal('unasserted');
    expect(colourClass('inconclusive', 'error')).to.equal('inconclusive');
    const cells = matrixCells(renderHtml(sampleReport()));
    expect(cells.filter((c) => c.cls.startsWith('unasserted'))).to.have.length(26);
  });

  it('outlines failing cells and gives them a tooltip with expected / predicted / observed and the evidence', () => {
    const failing = matrixCells(renderHtml(sampleReport())).filter((c) => c.cls.endsWith(' fail'));
    expect(failing.map((c) => `${c.cls} ${c.mark}`)).to.deep.equal([
      'blocked fail ✕!',
      'blocked fail ✕!',
      'allowed fail ✓!',
    ]);
    expect(failing[2]!.title).to.equal(
      'other/client -&gt; shop/backend 81/UDP\n' +
        'expected deny / predicted deny / observed allowed\nverdict: fail\ncluster fault: the cluster does not do what the spec says (by the spec this is denied, yet it was allowed)\ndetail: reply from shop/backend',
    );
  });

  it('marks an accepted known deviation with its reason', () => {
    const dev = matrixCells(renderHtml(sampleReport())).filter((c) => c.cls.endsWith(' deviation'));
    expect(dev).to.have.length(1);
    expect(dev[0]!.title).to.include('known deviation: ipBlock except does not exclude pod IPs (cilium/cilium#9209)');
  });

  it('a divergence view: rows are cells, columns are the targets that ran', () => {
    const html = renderHtml(sampleReport());
    const section = html.slice(html.indexOf('<h2 id="divergences">'), html.indexOf('<section class="target"'));
    expect(section).to.include(
      '<tr><th>scenario / step</th><th>cell</th><th>predicted</th><th>calico</th><th>cilium</th></tr>',
    );
    expect(section).to.include(
      'other/client -&gt; shop/backend 81/UDP</td><td>deny</td><td class="out blocked">dropped</td><td class="out allowed">allowed</td></tr>',
    );
  });

  it('lists failing cells with whose fault it is and the reproduce command', () => {
    const html = renderHtml(sampleReport());
    expect(html).to.include('<h2 id="failing">Failing cells (3)</h2>');
    expect(html).to.include('<span class="fault cluster">the cluster does not do what the spec says</span>');
    expect(html).to.include(
      '<code class="repro">kubectl --context kind-netpol-cilium exec -n other-7f3a client -- curl -sS --noproxy &apos;*&apos;',
    );
  });

  it('shows the scenario that could not run, and opens only runs with something to look at', () => {
    const html = renderHtml(sampleReport());
    expect(html).to.include(
      '<div class="error"><b>Could not run:</b> pods not Ready after 120s: net/b ImagePullBackOff',
    );
    expect(html.match(/<details class="run" open>/g)).to.have.length(4);
  });

  it('escapes every piece of text from the report', () => {
    const r = sampleReport();
    const evil = '<img onerror=alert(1)>&"\'';
    const report: RunReport = {
      ...r,
      runId: evil,
      targets: r.targets.map((t, i) => (i === 0 ? { ...t, error: evil } : t)),
      runs: r.runs.map((run) => ({ ...run, scenario: evil })),
    };
    const html = renderHtml(report);
    expect(html).to.not.include('<img');
    expect(html).to.include('&lt;img onerror=alert(1)&gt;&amp;&quot;&apos;');
  });
});
