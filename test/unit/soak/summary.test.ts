import { expect } from 'chai';
import { countVerdicts, type RunReport } from '../../../harness/model/run-report.js';
import { renderSoak, summarizeSoak } from '../../../scripts/soak/summary.js';
import { sampleReport } from '../../support/sample-report.js';

/** Every asserted cell of a report, as countVerdicts sees them. */
function counts(report: RunReport) {
  return countVerdicts(report.runs.flatMap((r) => r.steps.flatMap((s) => [...s.cells, ...s.dns])));
}

describe('the soak summary: how often a correct cluster gets a wrong verdict', () => {
  const report = { ...sampleReport(), machine: { cpus: 2, loadAverage: { start: 3.5, end: 7.25 } } };
  const c = counts(report);
  // The sample has a target that does not enforce and a scenario whose pods never came up: drop both.
  const healthy = {
    ...report,
    targets: report.targets.filter((t) => !t.error && t.enforcement?.enforced),
    runs: report.runs.filter((r) => !r.error),
  };

  it('counts cells judged over all runs, not-asserted cells left out', () => {
    const s = summarizeSoak([
      { report, exitCode: 1, durationMs: 1000 },
      { report, exitCode: 1, durationMs: 3000 },
    ]);
    expect(s.judged).to.equal(2 * (c.pass + c.fail + c['deviation-accepted'] + c.inconclusive));
    expect([s.passed, s.deviationsAccepted, s.inconclusive]).to.deep.equal([
      2 * c.pass,
      2 * c['deviation-accepted'],
      2 * c.inconclusive,
    ]);
  });
  it('lists every failing cell as a false verdict, with the run, scenario, step and evidence', () => {
    const s = summarizeSoak([{ report, exitCode: 1, durationMs: 1000 }]);
    expect(s.falseFails).to.have.length(c.fail);
    expect(s.falseFails[0]).to.match(/^run 1 [^/]+\/\S+: \S+ -> \S+ .* observed \w+ \(.*\)$/);
  });
  it('groups inconclusive cells by cause, and names the slowest step and the load range', () => {
    const s = summarizeSoak([{ report, exitCode: 0, durationMs: 1000 }]);
    expect(s.inconclusiveCauses.reduce((n, x) => n + x.count, 0)).to.equal(c.inconclusive);
    expect(s.slowestStep).to.match(/^run 1 /);
    expect(s.loadAverage).to.deep.equal({ min: 3.5, max: 7.25 });
  });
  it('counts the cells judged though they flapped (they then answered), apart from the inconclusive ones', () => {
    const flapped = (verdict: 'pass' | 'inconclusive') => ({
      ...healthy,
      runs: healthy.runs.map((r) => ({
        ...r,
        steps: r.steps.map((st) => ({ ...st, cells: st.cells.map((cell) => ({ ...cell, flapping: true, verdict })) })),
      })),
    });
    const cells = healthy.runs.flatMap((r) => r.steps.flatMap((st) => st.cells)).length;
    expect(summarizeSoak([{ report: flapped('pass'), exitCode: 0, durationMs: 5 }]).judgedAfterTransient).to.equal(
      cells,
    );
    expect(
      summarizeSoak([{ report: flapped('inconclusive'), exitCode: 2, durationMs: 5 }]).judgedAfterTransient,
    ).to.equal(0);
    expect(renderSoak(summarizeSoak([{ report: healthy, exitCode: 0, durationMs: 5 }]))).to.contain(
      '0 judged after a transient (flapped, then answered)',
    );
  });
  it('a run that wrote no report, or whose target or scenario could not run, is broken; inconclusive cells alone are not', () => {
    const s = summarizeSoak([
      { exitCode: undefined, durationMs: 5 },
      { report: healthy, exitCode: 2, durationMs: 5 },
    ]);
    expect(s.brokenRuns).to.deep.equal(['run 1: exit killed, no report']);
    expect(renderSoak(s)).to.contain('BROKEN run 1: exit killed, no report');
    const errored = { ...healthy, runs: [{ ...healthy.runs[0]!, error: 'pods never Ready' }] };
    expect(summarizeSoak([{ report: errored, exitCode: 2, durationMs: 5 }]).brokenRuns[0]).to.match(
      /^run 1: exit 2: .*: pods never Ready$/,
    );
  });
});
