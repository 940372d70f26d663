import { expect } from 'chai';
import { checkCell } from '../../support/check-cell.js';
import type { CheckContextReport, CheckReport, CheckReportCell } from '../../../harness/model/check-report.js';
import { compareContexts } from '../../../harness/inventory/parity.js';
import { checkReportFormat, CHECK_RENDERERS } from '../../../harness/report/check-files.js';
import { renderCheckHtml } from '../../../harness/report/check-html.js';
import { renderCheckMarkdown } from '../../../harness/report/check-markdown.js';
import { main } from '../../../harness/cli.js';

const cell = (over: Partial<CheckReportCell>): CheckReportCell => checkCell({ detail: 'OK connected', ...over });

const ctx = (name: string, cells: CheckReportCell[], cni = 'calico v3.31.0'): CheckContextReport => ({
  context: name,
  namespaces: ['shop'],
  classes: [],
  cells,
  environment: [
    { attribute: 'cni', value: cni },
    { attribute: 'kubernetes version', value: 'v1.34.4' },
  ],
  notProbed: [{ source: 'monitoring/node-exporter', reason: 'host-network pods send from their node', failed: false }],
  notes: [],
  cleanupErrors: [],
  stable: true,
});

const single: CheckReport = {
  schemaVersion: 1,
  runId: 'k3x9q2',
  startedAt: '2026-11-30T15:00:00.000Z',
  finishedAt: '2026-11-30T15:01:10.000Z',
  dryRun: false,
  contexts: [
    ctx('production', [
      cell({}),
      cell({ from: 'shop/redis', predicted: 'blocked', evidence: 'allowed', verdict: 'fail', detail: 'a|b <tag>' }),
    ]),
  ],
  machine: { cpus: 2, loadAverage: { start: 1.5, end: 2.25 } },
};

const staging = ctx('staging', [
  cell({ evidence: 'blocked', outcome: 'dropped', predicted: 'allowed', verdict: 'fail' }),
]);
const production = ctx('production', [cell({})], 'cilium 1.18.3');
const parity: CheckReport = {
  ...single,
  contexts: [staging, production],
  parity: compareContexts([staging, production]),
};

describe('check report files: the extension names the format', () => {
  it('.json, .md and .html (and their long forms); anything else is no format', () => {
    expect(['r.json', 'r.md', 'r.markdown', 'out/r.HTML', 'r.htm'].map(checkReportFormat)).to.deep.equal([
      'json',
      'markdown',
      'markdown',
      'html',
      'html',
    ]);
    expect(checkReportFormat('report.txt')).to.equal(undefined);
    expect(checkReportFormat('dir.json/report')).to.equal(undefined);
  });
  it('JSON is the report as the schema describes it', () => {
    expect(JSON.parse(CHECK_RENDERERS.json(single))).to.deep.equal(single);
  });
  it('--report with an extension no renderer writes is exit 3 before anything starts, naming the choices', async () => {
    const err: string[] = [];
    const code = await main(['check', '--context', 'x', '-n', 'shop', '--report', 'out.txt'], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).to.equal(3);
    expect(err.join('\n')).to.include('.json, .md, .markdown, .html, .htm');
  });
});

describe('check report as Markdown', () => {
  const md = renderCheckMarkdown(single);
  it('says the status and the run, with the load the machine had', () => {
    expect(md).to.match(/^## netpol-harness check: FAILED/);
    expect(md).to.include('2 CPUs, load average 1.5 at the start, 2.25 at the end');
  });
  it('one matrix per port in the console notation, in a code block', () => {
    expect(md).to.include(
      'port 8080/TCP\n\n```text\nfrom\\to       shop/backend\nshop/frontend .\nshop/redis    .!\n```',
    );
  });
  it('the cells that did not pass as a table, their evidence escaped for a table cell', () => {
    expect(md).to.include(
      '| shop/redis | shop/backend (backend-1) | 8080/TCP |  | blocked | allowed | **fail** | a\\|b &lt;tag&gt; |',
    );
    expect(md).to.include('- monitoring/node-exporter: host-network pods send from their node');
  });
  it('parity: each divergent cell with what each context saw and predicted, and its causes; differing rows first', () => {
    const text = renderCheckMarkdown(parity);
    expect(text).to.include('### parity: staging vs production');
    expect(text).to.include(
      '| shop/frontend | shop/backend | 8080/TCP | blocked (allowed) | allowed (allowed) | ' +
        'the engine predicts the same: the clusters enforce differently<br>cni: calico v3.31.0 in staging, ' +
        'cilium 1.18.3 in production |',
    );
    expect(text).to.include('#### Environment: 1 of 2 rows differ');
    expect(text).to.include(
      '| ≠ | cni | calico v3.31.0 | cilium 1.18.3 |\n|  | kubernetes version | v1.34.4 | v1.34.4 |',
    );
  });
});

describe('check report as HTML', () => {
  const html = renderCheckHtml(parity);
  it('one self-contained page: no script, nothing fetched', () => {
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.not.match(/<script|<link|src=|https?:\/\//);
  });
  it('a colour matrix per port: a failing cell outlined, its evidence in the tooltip', () => {
    expect(html).to.include(
      '<td class="blocked fail" title="shop/frontend -&gt; shop/backend (backend-1 10.0.0.2) 8080/TCP http: ' +
        'predicted allowed, observed blocked [fail]: OK connected">✕!</td>',
    );
  });
  it('text from the cluster is escaped', () => {
    expect(renderCheckHtml(single)).to.include('a|b &lt;tag&gt;').and.not.include('<tag>');
  });
  it('parity: the divergent cell with its causes, and the environment rows that differ marked', () => {
    expect(html).to.include('<h2>parity: staging vs production</h2>');
    expect(html).to.include('<div>cni: calico v3.31.0 in staging, cilium 1.18.3 in production</div>');
    expect(html).to.include('≠ cni</td><td>calico v3.31.0</td><td>cilium 1.18.3</td>');
  });
});
