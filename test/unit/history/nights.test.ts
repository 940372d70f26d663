import { expect } from 'chai';
import { nightFileName, nightFiles, parseSince, pickNights } from '../../../harness/history/nights.js';

describe('history nights', () => {
  const files = nightFiles([
    nightFileName('2026-11-30T02:00:07.412Z', 'k3x9'),
    'README.md',
    nightFileName('2026-11-28T02:00:00Z', 'a1'),
    nightFileName('2026-11-29T02:00:00Z', 'b2'),
  ]);

  it('names files so they sort by time and carry no colon', () => {
    expect(nightFileName('2026-11-30T02:00:07.412Z', 'k3x9')).to.equal('2026-11-30T02-00-07Z_k3x9.jsonl.gz');
    expect(files.map((f) => f.run)).to.deep.equal(['a1', 'b2', 'k3x9']);
    expect(files[2]!.startedAt).to.equal('2026-11-30T02:00:07Z');
  });

  it('--since last compares the latest night with the one before it', () => {
    const pair = pickNights(files, parseSince('last')!);
    expect('error' in pair ? pair.error : [pair.before.run, pair.after.run]).to.deep.equal(['b2', 'k3x9']);
  });

  it('--since DATE compares it with the last night started on or before that day', () => {
    const pair = pickNights(files, parseSince('2026-11-28')!);
    expect('error' in pair ? pair.error : pair.before.run).to.equal('a1');
  });

  it('says why when there is nothing to compare, and refuses an unreadable date', () => {
    expect(pickNights(files.slice(0, 1), parseSince('last')!))
      .to.have.property('error')
      .that.includes('one night');
    expect(pickNights(files, parseSince('2026-01-01')!))
      .to.have.property('error')
      .that.includes('no night');
    expect(parseSince('yesterday')).to.equal(undefined);
  });
});
