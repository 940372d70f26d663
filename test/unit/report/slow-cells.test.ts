import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import type { CellResult, RunReport } from '../../../harness/model/run-report.js';
import { renderConsole } from '../../../harness/report/console.js';
import { renderHtml } from '../../../harness/report/html.js';
import { RUN_REPORT_SCHEMA_URL, renderJson } from '../../../harness/report/json.js';
import { renderJunit } from '../../../harness/report/junit.js';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import { slowCells } from '../../../harness/report/slow-cells.js';
import { sampleReport } from '../../support/sample-report.js';
import { findAll, parseXml } from './xml-check.js';

const plain = { color: false, quiet: false };

/** The sample plus `n` more slow cells on cilium's `open` step, settled 5.5 s, 5.6 s, ... after the change. */
function withSlowCells(n: number): RunReport {
  const r = sampleReport();
  const slowIn = (cells: readonly CellResult[]) => {
    const passing = cells.filter((c) => c.verdict === 'pass');
    return cells.map((c) => {
      const i = passing.indexOf(c);
      return i >= 0 && i < n ? { ...c, slow: true, settledAfterMs: 5500 + i * 100 } : c;
    });
  };
  const runs = r.runs.map((run) =>
    run.target === 'cilium' && run.scenario === 'frontend-isolation'
      ? { ...run, steps: run.steps.map((s, i) => (i === 0 ? { ...s, cells: slowIn(s.cells) } : s)) }
      : run,
  );
  return { ...r, runs };
}

describe('correct but slow cells in the reports', () => {
  it('are selected slowest first, across targets, scenarios and steps', () => {
    const { shown, more } = slowCells(withSlowCells(3));
    expect(shown.map((s) => `${s.run.target} ${s.cell.settledAfterMs}`)).to.deep.equal([
      'calico 7200',
      'calico 6100',
      'cilium 5700',
      'cilium 5600',
      'cilium 5500',
    ]);
    expect(more).to.equal(0);
  });

  it('show the 10 slowest, and say how many more there are', () => {
    const { shown, more } = slowCells(withSlowCells(12));
    expect(shown).to.have.length(10);
    expect(more).to.equal(4);
    const text = renderConsole(withSlowCells(12), plain);
    expect(text).to.include('Correct but slow: 14 cell(s)').and.include('  and 4 more\n');
  });

  it('stay passes: counted in pass, never in fail, and the summary counts them apart', () => {
    const r = sampleReport();
    const slow = r.runs.flatMap((run) => run.steps.flatMap((s) => s.cells)).filter((c) => c.slow);
    expect(slow.map((c) => c.verdict)).to.deep.equal(['pass', 'pass']);
    expect(renderConsole(r, plain)).to.match(
      /57 pass, 3 fail, .*; 2 correct but slow \(settled more than 5s after the change\);/,
    );
  });

  it('console: the step shows how many were slow, and a section lists scenario, target, step, cell and when it settled', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.match(/frontend-isolation +calico +isolate-backend .*settled after 7\.2s \(8 rounds\), 2 slow/);
    expect(text).to.match(/Correct but slow: 2 cell\(s\)\n.*more than 5s after their step's change/);
    expect(text).to.match(
      /frontend-isolation +calico +isolate-backend +shop\/frontend -> shop\/backend 81\/UDP +7\.2s\n +frontend-isolation +calico +isolate-backend +other\/client -> shop\/backend 81\/UDP +6\.1s/,
    );
  });

  it('console: no section, and no summary part, when nothing was slow; quiet leaves the section out', () => {
    const r = sampleReport();
    const none = {
      ...r,
      runs: r.runs.map((run) => ({
        ...run,
        steps: run.steps.map((s) => ({ ...s, cells: s.cells.map((c) => ({ ...c, slow: false })) })),
      })),
    };
    expect(renderConsole(none, plain)).to.not.include('slow');
    expect(renderConsole(r, { color: false, quiet: true })).to.not.include('Correct but slow:');
  });

  it('JUnit: slow cells go to the passing side, in system-out, never into <failure>', () => {
    const xml = renderJunit(sampleReport());
    const calico = findAll(parseXml(xml), 'testcase').find(
      (t) => t.attrs['name'] === 'step isolate-backend on calico',
    )!;
    const failure = calico.children.find((c) => c.name === 'failure')!;
    const out = calico.children.find((c) => c.name === 'system-out')!;
    expect(JSON.stringify(failure)).to.not.include('slow');
    expect(JSON.stringify(out)).to.include('correct but slow: shop/frontend -> shop/backend 81/UDP settled after 7.2s');
    expect(parseXml(xml).attrs['failures']).to.equal('3');
  });

  it('Markdown: a "Correct but slow" table', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).to.include('### Correct but slow\n');
    expect(md).to.include(
      '| frontend-isolation | calico | isolate-backend | shop/frontend -&gt; shop/backend 81/UDP | 7.2s |',
    );
    expect(renderMarkdown(withSlowCells(12))).to.include('_and 4 more._');
  });

  it('HTML: a "Correct but slow" section, and the cell tooltip says so', () => {
    const html = renderHtml(sampleReport());
    expect(html).to.include('<h2 id="slow">Correct but slow (2)</h2>');
    expect(html).to.include('correct but slow: settled after 6.1s');
  });

  it('JSON: every cell says whether it was slow, the report gives the threshold, and both validate', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(
      JSON.parse(readFileSync(RUN_REPORT_SCHEMA_URL, 'utf8')) as object,
    );
    const json = JSON.parse(renderJson(sampleReport())) as {
      slowAfterMs: number;
      runs: Array<{ steps: Array<{ cells: Array<Record<string, unknown>> }> }>;
    };
    expect(json.slowAfterMs).to.equal(5000);
    expect(json.runs[0]!.steps[1]!.cells.filter((c) => c['slow'] === true)).to.have.length(2);
    expect(validate(json), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('JSON: a report written before slow existed still validates (schema version 1 unchanged)', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(
      JSON.parse(readFileSync(RUN_REPORT_SCHEMA_URL, 'utf8')) as object,
    );
    const json = JSON.parse(renderJson(sampleReport())) as {
      schemaVersion: number;
      slowAfterMs?: number;
      runs: Array<{ steps: Array<{ cells: Array<Record<string, unknown>> }> }>;
    };
    delete json.slowAfterMs;
    for (const run of json.runs) for (const step of run.steps) for (const cell of step.cells) delete cell['slow'];
    expect(json.schemaVersion).to.equal(1);
    expect(validate(json), JSON.stringify(validate.errors)).to.equal(true);
  });
});
