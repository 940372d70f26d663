import { expect } from 'chai';
import { formatOwner, ownerState, parseOwner } from '../../../harness/model/run-owner.js';

describe("a run's owner tells an orphan from a run still going", () => {
  const here = { host: 'builder', isAlive: (pid: number) => pid === 100 };
  it('round-trips host:pid, host names with colons included', () => {
    expect(parseOwner(formatOwner({ host: 'builder', pid: 42 }))).to.deep.equal({ host: 'builder', pid: 42 });
    expect(parseOwner('fe80::1:7')).to.deep.equal({ host: 'fe80::1', pid: 7 });
    expect(parseOwner('no-pid')).to.equal(undefined);
    expect(parseOwner(undefined)).to.equal(undefined);
  });
  it('orphaned: made on this host by a process that is gone', () => {
    expect(ownerState({ host: 'builder', pid: 101 }, here)).to.equal('orphaned');
  });
  it('running: its process is alive here', () => {
    expect(ownerState({ host: 'builder', pid: 100 }, here)).to.equal('running');
  });
  it('elsewhere: another host may still be running it, so it is never removed by default', () => {
    expect(ownerState({ host: 'ci-7', pid: 101 }, here)).to.equal('elsewhere');
  });
  it('unknown: no owner recorded', () => {
    expect(ownerState(undefined, here)).to.equal('unknown');
  });
});
