import { expect } from 'chai';
import { ptpConflist, ptpNodeScript, PTP_CONFIG_FILE, type NodeNetwork } from '../../../harness/cluster/ptp-network.js';

const nodes: NodeNetwork[] = [
  { name: 'np-control-plane', podCidr: '10.244.0.0/24', internalIp: '172.18.0.2' },
  { name: 'np-worker', podCidr: '10.244.1.0/24', internalIp: '172.18.0.3' },
  { name: 'np-worker2', podCidr: '10.244.2.0/24', internalIp: '172.18.0.4' },
];

describe('ptp baseline network (no NetworkPolicy support)', () => {
  it("gives each node's pods addresses from that node's pod CIDR, without masquerading pod traffic", () => {
    const conf = JSON.parse(ptpConflist('10.244.1.0/24')) as {
      plugins: Array<{ type: string; ipMasq?: boolean; ipam?: { ranges: Array<Array<{ subnet: string }>> } }>;
    };
    expect(conf.plugins.map((p) => p.type)).to.deep.equal(['ptp', 'portmap']);
    expect(conf.plugins[0]!.ipMasq).to.equal(false);
    expect(conf.plugins[0]!.ipam!.ranges).to.deep.equal([[{ subnet: '10.244.1.0/24' }]]);
  });

  it("routes every other node's pod CIDR through that node, and never its own", () => {
    const script = ptpNodeScript(nodes[1]!, nodes);
    expect(script).to.contain('ip route replace 10.244.0.0/24 via 172.18.0.2');
    expect(script).to.contain('ip route replace 10.244.2.0/24 via 172.18.0.4');
    expect(script).not.to.contain('10.244.1.0/24 via');
  });

  it('writes the config in one heredoc that the JSON cannot end early', () => {
    const script = ptpNodeScript(nodes[0]!, nodes);
    expect(script).to.match(
      new RegExp(
        `^set -e\\nmkdir -p /etc/cni/net.d\\ncat > ${PTP_CONFIG_FILE.replace(/\./g, '\\.')} <<'NETPOL_HARNESS_EOF'\\n`,
      ),
    );
    expect(script.split('\n').filter((l) => l === 'NETPOL_HARNESS_EOF')).to.have.length(1);
  });
});
