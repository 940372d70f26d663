import { expect } from 'chai';
import { fileReporters } from '../../../harness/report/file-reporters.js';
import { ReporterMultiplexer, type Reporter } from '../../../harness/report/reporter.js';
import { sampleReport } from '../../support/sample-report.js';

const START = { runId: 'r1', startedAt: '2026-11-21T23:06:09.000Z', targets: ['calico'], scenarios: ['s'] };

function recorder(name: string, log: string[]): Reporter {
  return {
    name,
    onRunStart: (info) => void log.push(`${name} start ${info.runId}`),
    onTargetReady: (t) => void log.push(`${name} target ${t.name}`),
    onStepDone: (run, step) => void log.push(`${name} step ${run.scenario}/${step.name}`),
    onRunEnd: (report) => void log.push(`${name} end ${report.runId}`),
  };
}

describe('reporter multiplexer', () => {
  it('fans every event out to every reporter, in order', async () => {
    const log: string[] = [];
    const report = sampleReport();
    const mux = new ReporterMultiplexer([recorder('a', log), recorder('b', log)]);
    await mux.onRunStart(START);
    await mux.onTargetReady(report.targets[0]!);
    await mux.onStepDone(report.runs[0]!, report.runs[0]!.steps[0]!);
    await mux.onRunEnd(report);
    expect(log).to.deep.equal([
      'a start r1',
      'b start r1',
      'a target calico',
      'b target calico',
      'a step frontend-isolation/open',
      'b step frontend-isolation/open',
      `a end ${report.runId}`,
      `b end ${report.runId}`,
    ]);
    expect(mux.failures).to.deep.equal([]);
  });

  it('a reporter that implements no hooks is fine', async () => {
    const mux = new ReporterMultiplexer([{ name: 'silent' }]);
    await mux.onRunStart(START);
    await mux.onRunEnd(sampleReport());
    expect(mux.describeFailures()).to.deep.equal([]);
  });

  it('isolates a reporter that throws: the others still get the event, and the error is reported at the end', async () => {
    const log: string[] = [];
    const broken: Reporter = {
      name: 'broken',
      onRunStart: () => {
        throw new Error('boom');
      },
    };
    const mux = new ReporterMultiplexer([broken, recorder('ok', log)]);
    await mux.onRunStart(START);
    await mux.onRunEnd(sampleReport());
    expect(log).to.deep.equal(['ok start r1', 'ok end run-20261121-2306-7f3a']);
    expect(mux.failures).to.have.length(1);
    expect(mux.failures[0]).to.include({ reporter: 'broken', hook: 'onRunStart' });
    expect(mux.describeFailures()).to.deep.equal(['reporter broken failed in onRunStart: boom']);
  });

  it('isolates a reporter whose hook rejects, and one that throws a non-Error', async () => {
    const log: string[] = [];
    const rejecting: Reporter = { name: 'rejecting', onRunEnd: async () => Promise.reject(new Error('disk full')) };
    const weird: Reporter = {
      name: 'weird',
      onTargetReady: () => {
        throw 'not an error';
      },
    };
    const mux = new ReporterMultiplexer([rejecting, weird, recorder('ok', log)]);
    await mux.onTargetReady(sampleReport().targets[1]!);
    await mux.onRunEnd(sampleReport());
    expect(log).to.deep.equal(['ok target cilium', 'ok end run-20261121-2306-7f3a']);
    expect(mux.describeFailures()).to.deep.equal([
      'reporter weird failed in onTargetReady: not an error',
      'reporter rejecting failed in onRunEnd: disk full',
    ]);
  });
});

describe('file reporters', () => {
  it('render each requested format at the end of the run and hand it to the injected write', async () => {
    const written = new Map<string, string>();
    const reporters = fileReporters(
      { json: 'out/report.json', junit: 'out/junit.xml', markdown: 'out/summary.md', html: 'out/report.html' },
      (path, content) => void written.set(path, content),
    );
    await new ReporterMultiplexer(reporters).onRunEnd(sampleReport());
    expect([...written.keys()]).to.deep.equal([
      'out/report.json',
      'out/junit.xml',
      'out/summary.md',
      'out/report.html',
    ]);
    expect(JSON.parse(written.get('out/report.json')!)).to.deep.equal(sampleReport());
    expect(written.get('out/junit.xml')).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!--/);
    expect(written.get('out/summary.md')).to.match(/^## netpol-harness: FAILED/);
    expect(written.get('out/report.html')).to.match(/^<!DOCTYPE html>/);
  });

  it('only the formats asked for', () => {
    expect(fileReporters({ junit: 'j.xml' }, () => undefined).map((r) => r.name)).to.deep.equal(['junit (j.xml)']);
  });

  it('a write that fails is recorded, and the other files are still written', async () => {
    const written: string[] = [];
    const write = async (path: string) => {
      if (path.endsWith('.xml')) throw new Error(`EACCES: permission denied, open '${path}'`);
      written.push(path);
    };
    const mux = new ReporterMultiplexer(fileReporters({ junit: 'ro/junit.xml', html: 'report.html' }, write));
    await mux.onRunEnd(sampleReport());
    expect(written).to.deep.equal(['report.html']);
    expect(mux.describeFailures()).to.deep.equal([
      "reporter junit (ro/junit.xml) failed in onRunEnd: EACCES: permission denied, open 'ro/junit.xml'",
    ]);
  });
});
