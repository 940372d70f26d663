import { expect } from 'chai';
import { cidrContains, cidrWithin, formatIp, parseCidr, parseIp } from '../../../harness/model/cidr.js';
import { ipBlockContains } from '../../../harness/engine/peers.js';

describe('IP addresses and CIDR blocks', () => {
  it('parses IPv4 and refuses out-of-range or padded octets', () => {
    expect(parseIp('10.0.0.1')?.value).to.equal(0x0a000001n);
    expect(parseIp('256.0.0.1')).to.equal(undefined);
    expect(parseIp('10.0.0.01')).to.equal(undefined);
    expect(parseIp('10.0.0')).to.equal(undefined);
  });
  it('parses IPv6 in full, compressed and IPv4-embedded forms', () => {
    expect(parseIp('fd00::1')?.value).to.equal((0xfd00n << 112n) | 1n);
    expect(parseIp('::')?.value).to.equal(0n);
    expect(parseIp('::ffff:10.0.0.1')?.value).to.equal((0xffffn << 32n) | 0x0a000001n);
    expect(parseIp('1:2:3:4:5:6:7:8')?.family).to.equal(6);
    expect(parseIp('1::2::3')).to.equal(undefined);
    expect(parseIp('fd00::g')).to.equal(undefined);
  });
  it('masks host bits and says it did', () => {
    const cidr = parseCidr('10.1.2.3/16')!;
    expect(formatIp({ family: 4, value: cidr.network })).to.equal('10.1.0.0');
    expect(cidr.hostBitsSet).to.equal(true);
    expect(parseCidr('10.1.0.0/16')!.hostBitsSet).to.equal(false);
  });
  it('refuses prefixes beyond the family width and missing prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).to.equal(undefined);
    expect(parseCidr('fd00::/129')).to.equal(undefined);
    expect(parseCidr('10.0.0.0')).to.equal(undefined);
  });
  it('/0 contains everything of its family and nothing of the other', () => {
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('203.0.113.9')!)).to.equal(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('fd00::1')!)).to.equal(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('fd00::1')!)).to.equal(true);
  });
  it('knows when one block lies inside another', () => {
    expect(cidrWithin(parseCidr('10.1.0.0/24')!, parseCidr('10.0.0.0/8')!)).to.equal(true);
    expect(cidrWithin(parseCidr('11.0.0.0/24')!, parseCidr('10.0.0.0/8')!)).to.equal(false);
    expect(cidrWithin(parseCidr('10.0.0.0/7')!, parseCidr('10.0.0.0/8')!)).to.equal(false);
  });
  it('formats IPv6 with the longest zero run compressed', () => {
    expect(formatIp(parseIp('fd00:0:0:0:0:0:0:1')!)).to.equal('fd00::1');
    expect(formatIp(parseIp('1:0:0:2:0:0:0:3')!)).to.equal('1:0:0:2::3');
  });
});

describe('ipBlock', () => {
  const block = { cidr: '10.0.0.0/16', except: ['10.0.5.0/24', '10.0.9.7/32'] };
  it('matches addresses in cidr that no except block covers', () => {
    expect(ipBlockContains(block, '10.0.4.1')).to.equal(true);
    expect(ipBlockContains(block, '10.0.5.1')).to.equal(false);
    expect(ipBlockContains(block, '10.0.9.7')).to.equal(false);
    expect(ipBlockContains(block, '10.0.9.8')).to.equal(true);
    expect(ipBlockContains(block, '10.1.0.1')).to.equal(false);
  });
  it('works for IPv6 and never matches across families', () => {
    expect(ipBlockContains({ cidr: 'fd00::/64', except: ['fd00::/120'] }, 'fd00::1')).to.equal(false);
    expect(ipBlockContains({ cidr: 'fd00::/64' }, 'fd00::1:0:0:1')).to.equal(true);
    expect(ipBlockContains({ cidr: 'fd00::/64' }, '10.0.0.1')).to.equal(false);
  });
});
