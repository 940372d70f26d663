import { expect } from 'chai';
import { allowedRepresentative, exceptRepresentative } from '../../../harness/repro/external-addresses.js';

describe('an address to stand for each side of an ipBlock in a replay', () => {
  const cases: Array<[string, string[], string]> = [
    ['203.0.113.0/24', [], '203.0.113.10'],
    ['203.0.113.0/24', ['203.0.113.0/28'], '203.0.113.26'],
    ['0.0.0.0/0', ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'], '192.0.2.10'],
    ['52.94.0.0/16', [], '52.94.0.10'],
    ['52.94.76.5/32', [], '52.94.76.5'],
    ['10.0.0.0/8', [], '10.0.0.10'],
  ];
  for (const [cidr, except, ip] of cases)
    it(`${cidr}${except.length ? ` except ${except.join(', ')}` : ''}: ${ip}`, () => {
      expect(allowedRepresentative(cidr, except)).to.deep.equal({ ip });
    });

  it('prefers an address outside docker pools, but takes one there when the block is all it has', () => {
    expect(allowedRepresentative('192.168.10.0/24')).to.deep.equal({ ip: '192.168.10.10' });
  });

  it('never an address kind uses itself: its pod network, its service network, loopback', () => {
    expect(allowedRepresentative('10.244.0.0/16')).to.deep.include({
      none: '10.244.0.0/16 lies in the pod network (10.244.0.0/16), which no external can take on kind',
    });
    expect(allowedRepresentative('10.96.0.0/16')).to.have.property('none');
    expect(allowedRepresentative('127.0.0.0/8')).to.have.property('none');
  });

  it('a block wholly inside its except has no allowed address', () => {
    expect(allowedRepresentative('203.0.113.0/24', ['203.0.113.0/24'])).to.have.property('none');
  });

  it('IPv6 is said: a replay on kind has IPv4 externals only', () => {
    expect(allowedRepresentative('2001:db8::/32')).to.deep.equal({
      none: '2001:db8::/32 is IPv6: a replay on kind has IPv4 externals only',
    });
  });

  it('inside an except: the except stands for what the rule holds back', () => {
    expect(exceptRepresentative('203.0.113.128/25')).to.deep.equal({ ip: '203.0.113.138' });
    expect(exceptRepresentative('10.0.0.0/8')).to.deep.equal({ ip: '10.0.0.10' });
    expect(exceptRepresentative('169.254.169.254/32')).to.have.property('none');
  });

  it('never .0 or .255 of a /24 (the run gives each /24 its own network)', () => {
    expect(allowedRepresentative('198.51.100.255/32')).to.have.property('none');
  });
});
