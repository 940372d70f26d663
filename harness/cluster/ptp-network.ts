/**
 * The non-enforcing baseline network: what kindnet does for pod networking, with the CNI reference
 * plugins the node image already carries (ptp, host-local, portmap). Each node gets a CNI config
 * for its own pod CIDR and a route to every other node's pod CIDR. Nothing here implements
 * NetworkPolicy, so policies are accepted and enforce nothing: a real cluster for the harness's
 * canary to catch. Pure: the installer runs the scripts on the nodes.
 */
export interface NodeNetwork {
  readonly name: string;
  readonly podCidr: string;
  readonly internalIp: string;
}

export const PTP_CONFIG_FILE = '/etc/cni/net.d/10-netpol-harness-ptp.conflist';

export function ptpConflist(podCidr: string): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'netpol-harness-ptp',
      plugins: [
        {
          type: 'ptp',
          ipMasq: false,
          mtu: 1500,
          ipam: {
            type: 'host-local',
            dataDir: '/run/cni-ipam-state',
            routes: [{ dst: '0.0.0.0/0' }],
            ranges: [[{ subnet: podCidr }]],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

/** The shell script that sets one node up: its CNI config, then a route to each other node's pods. */
export function ptpNodeScript(node: NodeNetwork, all: readonly NodeNetwork[]): string {
  const routes = all
    .filter((n) => n.name !== node.name)
    .map((n) => `ip route replace ${n.podCidr} via ${n.internalIp}`);
  return (
    [
      'set -e',
      'mkdir -p /etc/cni/net.d',
      `cat > ${PTP_CONFIG_FILE} <<'NETPOL_HARNESS_EOF'`,
      ptpConflist(node.podCidr),
      'NETPOL_HARNESS_EOF',
      ...routes,
    ].join('\n') + '\n'
  );
}
