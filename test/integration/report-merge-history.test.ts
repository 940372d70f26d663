/**
 * The nightly workflow's offline half through the CLI: per-cell reports merged into one night
 * (report, compatibility page, history append), then `history diff` between nights. Exit 1 on a
 * regression only; bad input is exit 3 with the file named and no stack trace.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../harness/cli.js';
import type { RunReport } from '../../harness/model/run-report.js';
import { night, type NightSpec } from '../unit/history/night-builder.js';

const CALICO = 'calico@v3.31.0/k8s@v1.34.4';
const CILIUM = 'cilium@v1.18.3/k8s@v1.34.4';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('report merge and history diff', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'nph-night-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** One CI job per cell: each writes its own report.json. */
  function cellReports(startedAt: string, runId: string, cells: NightSpec['cells']): string[] {
    const whole = night({ startedAt, runId, cells });
    return whole.targets.map((t, i) => {
      const cellDir = path.join(dir, runId, `cell-${i}`);
      mkdirSync(cellDir, { recursive: true });
      const report: RunReport = { ...whole, targets: [t], runs: whole.runs.filter((r) => r.target === t.name) };
      writeFileSync(path.join(cellDir, 'report.json'), JSON.stringify(report));
      return path.join(cellDir, 'report.json');
    });
  }

  const good = {
    [CALICO]: { probes: [{ to: 'x/b', verdict: 'pass' as const }] },
    [CILIUM]: { probes: [{ to: 'x/b', verdict: 'deviation-accepted' as const, deviation: 'cilium/cilium#9209' }] },
  };

  it('two unchanged nights are green; a planted regression is red and named', async () => {
    const history = path.join(dir, 'history');
    const first = await cli(
      'report',
      'merge',
      ...cellReports('2026-11-28T02:00:00Z', 'n1', good),
      '--report-dir',
      path.join(dir, 'out1'),
      '--history',
      history,
    );
    expect(first.code, first.err).to.equal(0);
    expect(first.err).to.include('history: the history holds one night');
    for (const f of ['report.json', 'report.html', 'report.md', 'compat.html', 'compat.md'])
      expect(existsSync(path.join(dir, 'out1', f)), f).to.equal(true);

    const second = await cli(
      'report',
      'merge',
      ...cellReports('2026-11-29T02:00:00Z', 'n2', good),
      '--report-dir',
      path.join(dir, 'out2'),
      '--history',
      history,
    );
    expect([second.code, second.out]).to.deep.equal([0, 'nothing changed since 2026-11-28T02:00:00.000Z (n1)']);
    expect((await cli('history', 'diff', '--history', history)).code).to.equal(0);

    // The deviation is removed from the scenario: the cell that was accepted now fails.
    const planted = { ...good, [CILIUM]: { probes: [{ to: 'x/b', verdict: 'fail' as const }] } };
    const third = await cli(
      'report',
      'merge',
      ...cellReports('2026-11-30T02:00:00Z', 'n3', planted),
      '--report-dir',
      path.join(dir, 'out3'),
      '--history',
      history,
    );
    expect(third.code).to.equal(1);
    const diff = await cli('history', 'diff', '--history', history);
    expect(diff.code).to.equal(1);
    expect(diff.out).to.equal(
      [
        '1 regression(s) since 2026-11-29T02:00:00.000Z (n2)',
        '',
        'Regressions (1):',
        `  ${CILIUM}: upstream-case / initial / x/a -> x/b 80/TCP: deviation-accepted (allowed) -> fail (dropped)`,
      ].join('\n'),
    );
    const since = await cli('history', 'diff', '--history', history, '--since', '2026-11-28', '-o', 'json');
    expect(JSON.parse(since.out)).to.have.nested.property('before.run', 'n1');
    expect(readdirSync(history)).to.have.length(3);
    expect(readFileSync(path.join(dir, 'out3', 'compat.md'), 'utf8')).to.include('❌ 1 regression(s)');
  });

  it('the merged report lists every cell and links each cell report from the page', async () => {
    const files = cellReports('2026-11-28T02:00:00Z', 'n1', good);
    const r = await cli('report', 'merge', ...files, '--report-dir', path.join(dir, 'out'));
    expect(r.code, r.err).to.equal(0);
    const merged = JSON.parse(readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as RunReport;
    expect(merged.targets.map((t) => t.name)).to.deep.equal([CALICO, CILIUM]);
    expect(readFileSync(path.join(dir, 'out', 'compat.html'), 'utf8')).to.include('href="../n1/cell-0/report.html"');
  });

  it('refuses a report that is not one, the same cell twice, and an unreadable --since, with exit 3', async () => {
    const bogus = path.join(dir, 'bogus.json');
    writeFileSync(bogus, JSON.stringify({ schemaVersion: 1, runs: [] }));
    const [a] = cellReports('2026-11-28T02:00:00Z', 'n1', good);
    for (const argv of [
      ['report', 'merge', bogus],
      ['report', 'merge', a!, a!],
      ['report', 'merge', path.join(dir, 'missing.json')],
      ['history', 'diff', '--history', dir, '--since', 'yesterday'],
      ['history', 'diff', '--history', path.join(dir, 'nowhere')],
    ]) {
      const r = await cli(...argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).to.equal(3);
      expect(r.err).to.match(/^error: /);
      expect(r.err).not.to.include('    at ');
    }
  });
});
