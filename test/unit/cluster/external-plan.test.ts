import { expect } from 'chai';
import { externalIdentity, planExternals } from '../../../harness/cluster/external-plan.js';

const tcp = (port: number) => ({ port, protocol: 'TCP' as const });
const udp = (port: number) => ({ port, protocol: 'UDP' as const });
const KIND = [
  { cidr: '172.18.0.0/16', what: 'the kind docker network' },
  { cidr: '10.244.0.0/16', what: 'the pod network' },
];

describe('externals on kind: one server per address, one internal network per /24', () => {
  it('puts externals of the same /24 on one network, each server with its own address and identity', () => {
    const plan = planExternals(
      [
        { ip: '203.0.113.10', ports: [tcp(443)] },
        { ip: '203.0.113.200', ports: [tcp(443)] },
        { ip: '198.51.100.20', ports: [tcp(443)] },
      ],
      KIND,
    );
    expect(plan.networks.map((n) => n.subnet)).to.deep.equal(['203.0.113.0/24', '198.51.100.0/24']);
    expect(plan.networks[0]!.servers.map((s) => s.ip)).to.deep.equal(['203.0.113.10', '203.0.113.200']);
    expect(plan.networks[0]!.servers[0]!.identity).to.equal(externalIdentity('203.0.113.10'));
    expect(plan.refused.size).to.equal(0);
  });

  it('merges the ports of an address that several scenarios declare, per protocol', () => {
    const plan = planExternals(
      [
        { ip: '203.0.113.10', ports: [tcp(443), udp(53)] },
        { ip: '203.0.113.10', ports: [tcp(80), tcp(443)] },
      ],
      KIND,
    );
    expect(plan.networks[0]!.servers).to.deep.equal([
      { ip: '203.0.113.10', tcp: [80, 443], udp: [53], identity: 'external@203.0.113.10' },
    ]);
  });

  it('gives the bridge a gateway address no external uses', () => {
    const plan = planExternals(
      [
        { ip: '192.0.2.254', ports: [tcp(80)] },
        { ip: '192.0.2.253', ports: [tcp(80)] },
      ],
      KIND,
    );
    expect(plan.networks[0]!.gateway).to.equal('192.0.2.252');
  });

  it("refuses addresses in the cluster's own networks, special blocks, IPv6, and network or broadcast addresses", () => {
    const plan = planExternals(
      ['172.18.0.50', '10.244.3.3', '127.0.0.2', '2001:db8::1', '203.0.113.0', '203.0.113.255'].map((ip) => ({
        ip,
        ports: [tcp(80)],
      })),
      KIND,
    );
    expect(plan.networks).to.deep.equal([]);
    expect(plan.refused.get('172.18.0.50')).to.contain('the kind docker network');
    expect(plan.refused.get('10.244.3.3')).to.contain('the pod network');
    expect(plan.refused.get('127.0.0.2')).to.contain('loopback');
    expect(plan.refused.get('2001:db8::1')).to.contain('IPv6');
    expect(plan.refused.get('203.0.113.0')).to.contain('network or broadcast');
    expect(plan.refused.get('203.0.113.255')).to.contain('network or broadcast');
  });
});
