/**
 * The compatibility page: a column per matrix cell, a row per feature with the worst square of its
 * scenarios, the reasons of accepted deviations on hover, a red column for a cell whose cluster did
 * not come up, and what changed since last night on top.
 */
import { expect } from 'chai';
import { compatPage } from '../../../harness/history/compat.js';
import { diffNights } from '../../../harness/history/diff.js';
import { recordsFromReport } from '../../../harness/history/records.js';
import { renderCompatHtml } from '../../../harness/report/compat-html.js';
import { renderCompatMarkdown } from '../../../harness/report/compat-markdown.js';
import { night } from './night-builder.js';

const CALICO = 'calico@v3.31.0/k8s@v1.34.4';
const CILIUM_OLD = 'cilium@v1.17.9/k8s@v1.34.4';
const CILIUM = 'cilium@v1.18.3/k8s@v1.34.4';
const CILIUM_135 = 'cilium@v1.18.3/k8s@v1.35.4';

const report = night({
  startedAt: '2026-11-30T02:00:00Z',
  cells: {
    [CILIUM_135]: { error: 'kind create cluster: node image not built' },
    [CILIUM]: {
      settledAfterMs: 4000,
      probes: [
        { to: 'x/b', verdict: 'pass' },
        { to: 'x/c', verdict: 'deviation-accepted', deviation: 'cilium/cilium#9209' },
      ],
    },
    [CALICO]: { probes: [{ to: 'x/b', verdict: 'pass' }] },
    [CILIUM_OLD]: { probes: [{ to: 'x/b', verdict: 'fail' }] },
  },
});

describe('the compatibility page', () => {
  const page = compatPage(report, { reportLinks: new Map([[CALICO, 'cells/calico/report.html']]) });

  it('orders columns by CNI, then CNI version, then Kubernetes version', () => {
    expect(page.columns.map((c) => c.id)).to.deep.equal([CALICO, CILIUM_OLD, CILIUM, CILIUM_135]);
  });

  it('files each scenario under its tags, each square the worst of its cells', () => {
    expect(page.groups.map((g) => g.feature)).to.deep.equal(['ingress']);
    const [row] = page.groups[0]!.rows;
    expect(row!.squares.map((s) => s.status)).to.deep.equal(['pass', 'fail', 'deviation', 'down']);
    expect(row!.squares[2]!.reasons).to.deep.equal(['cilium/cilium#9209']);
    expect(row!.squares[3]!.reasons).to.deep.equal(['kind create cluster: node image not built']);
  });

  it('gives the time to converge per cell', () => {
    expect(page.columns[2]!.convergence).to.include({ steps: 1, medianMs: 4000, maxMs: 4000, unstable: 0 });
    expect(page.columns[3]!.convergence.steps).to.equal(0);
  });

  it('renders as one self-contained HTML file, with reasons on hover and links to cell reports', () => {
    const html = renderCompatHtml(page);
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).not.to.match(/<script|<link |src="http/);
    expect(html).to.include('title="accepted deviation\n1 pass, 1 deviation\ncilium/cilium#9209"');
    expect(html).to.include('href="cells/calico/report.html"');
    expect(html).to.include('Cells that did not come up');
  });

  it('puts what changed since last night on top, red when something regressed', () => {
    const lastNight = night({
      startedAt: '2026-11-29T02:00:00Z',
      cells: { [CILIUM_OLD]: { probes: [{ to: 'x/b', verdict: 'pass' }] } },
    });
    const diff = diffNights(recordsFromReport(lastNight), recordsFromReport(report));
    const md = renderCompatMarkdown(compatPage(report, { diff }));
    expect(md).to.include('### ❌ 1 regression(s) since 2026-11-29T02:00:00Z');
    expect(md).to.include('<details open><summary>Regressions (1)</summary>');
    expect(md).to.include(
      `${CILIUM_OLD}: upstream-case / initial / x/a -&gt; x/b 80/TCP: pass (allowed) -&gt; fail (dropped)`,
    );
    expect(md.indexOf('Regressions')).to.be.lessThan(md.indexOf('| feature |'));
    expect(md).to.include('| `ingress` (1) | ✅ | ❌ 1 | 🟨 1 | ⛔ |');
  });
});
