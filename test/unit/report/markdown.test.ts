import { expect } from 'chai';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import { sampleReport } from '../../support/sample-report.js';
import { expectGolden } from './golden.js';

/** Table rows of the section under `heading`, split into cells (escaped pipes kept inside cells). */
function tableUnder(md: string, heading: string): string[][] {
  const start = md.indexOf(`${heading}\n`);
  expect(start, heading).to.be.greaterThan(-1);
  const lines = md.slice(start).split('\n').slice(1);
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows = lines.slice(first);
  const end = rows.findIndex((l) => !l.startsWith('|'));
  return rows.slice(0, end === -1 ? undefined : end).map((l) => l.slice(2, -2).split(/ (?<!\\)\| /));
}

describe('Markdown reporter', () => {
  it('matches the golden file', () => {
    expectGolden('summary.md', renderMarkdown(sampleReport()));
  });

  it('opens with the verdict and the summary line', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.split('\n')[0]).to.equal('## netpol-harness: FAILED');
    expect(md).to.include('**3 targets, 4 scenario runs (1 errored), 88 cells;');
  });

  it('a summary table per target, one row per scenario x step, and a row for the scenario that could not run', () => {
    const md = renderMarkdown(sampleReport());
    const calico = tableUnder(md, '### Target calico');
    expect(calico[0]).to.deep.equal([
      'scenario',
      'step',
      'status',
      'pass',
      'fail',
      'deviation accepted',
      'inconclusive',
      'not asserted',
      'convergence',
    ]);
    expect(calico.slice(2).map((r) => r.slice(0, 5))).to.deep.equal([
      ['frontend-isolation', 'open', '✅ pass', '15', '0'],
      ['frontend-isolation', 'isolate-backend', '❌ fail', '13', '1'],
      ['ipblock-pod-cidr', '_(could not run)_', '💥 error', '', ''],
    ]);
    expect(md).to.include(
      '### Target kindnet\n\nkind cluster, CNI kindnet, Kubernetes v1.31.2: policy NOT enforced: default-deny in place',
    );
  });

  it('failing cells as a table with diagnosis, evidence and the reproduce command', () => {
    const rows = tableUnder(renderMarkdown(sampleReport()), '### Failing cells');
    expect(rows).to.have.length(2 + 3);
    expect(rows.every((r) => r.length === 10)).to.equal(true);
    const udp = rows.find((r) => r[3]!.includes('81/UDP'))!;
    expect(udp.slice(0, 8)).to.deep.equal([
      'cilium',
      'frontend-isolation',
      'isolate-backend',
      'other/client -&gt; shop/backend 81/UDP',
      'deny',
      'deny',
      'allowed',
      '**cluster**: the cluster does not do what the spec says',
    ]);
    expect(udp[9]).to.equal(
      '`kubectl --context kind-netpol-cilium exec -n other-7f3a client -- /agnhost connect --protocol=udp --timeout=1s 10.244.1.12:81`',
    );
  });

  it('matrices of failing ports in fenced blocks', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).to.include(
      '**frontend-isolation** on **cilium**, step **isolate-backend**, port 81/UDP\n\n```text\nfrom\\to       shop/frontend shop/backend other/client\n',
    );
    expect(md).to.include('other/client  .             .!           .\n```');
    expect(md.match(/```text/g)).to.have.length(3);
  });

  it('divergences with one column per target', () => {
    const rows = tableUnder(renderMarkdown(sampleReport()), '### Divergences across targets');
    expect(rows[0]).to.deep.equal(['scenario', 'step', 'from', 'to', 'port', 'predicted', 'calico', 'cilium']);
    expect(rows[2]).to.deep.equal([
      'frontend-isolation',
      'isolate-backend',
      'other/client',
      'shop/backend',
      '81/UDP',
      'deny',
      '🔴 dropped',
      '🟢 allowed',
    ]);
  });

  it('escapes pipes, newlines and HTML in cells so the tables hold', () => {
    const r = sampleReport();
    const run = r.runs.find((x) => x.target === 'cilium' && x.scenario === 'frontend-isolation')!;
    const step = run.steps[1]!;
    const cells = step.cells.map((c) => (c.verdict === 'fail' ? { ...c, detail: 'a | b\nc <script>' } : c));
    const md = renderMarkdown({
      ...r,
      runs: r.runs.map((x) => (x === run ? { ...run, steps: [run.steps[0]!, { ...step, cells }] } : x)),
    });
    const rows = tableUnder(md, '### Failing cells');
    expect(rows.every((row) => row.length === 10)).to.equal(true);
    expect(md).to.include('a \\| b c &lt;script&gt;');
  });
});
