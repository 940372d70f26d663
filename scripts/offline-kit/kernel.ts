// Kernel features the clusters depend on, read from the running kernel's config
// (/proc/config.gz or /boot/config-<release>). A feature built as a module counts
// as present only if the kernel can load modules and has a modules folder.
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';

export type Presence = 'present' | 'absent' | 'unknown';

export interface KernelFeature {
  readonly id: string;
  readonly config: readonly string[];
  /** What breaks when the feature is absent, in plain words. */
  readonly whenAbsent: string;
  /** What the kit expects on this kind of machine (issue 3). */
  readonly expected: Exclude<Presence, 'unknown'>;
}

export const kernelFeatures: readonly KernelFeature[] = [
  {
    id: 'VXLAN',
    config: ['CONFIG_VXLAN'],
    expected: 'present',
    whenAbsent: 'Calico VXLAN (the only overlay the kit builds) will not work',
  },
  {
    id: 'bridge + br_netfilter',
    config: ['CONFIG_BRIDGE', 'CONFIG_BRIDGE_NETFILTER'],
    expected: 'present',
    whenAbsent: 'docker networks and kube-proxy on bridged traffic will not work',
  },
  {
    id: 'nftables',
    config: ['CONFIG_NF_TABLES', 'CONFIG_NF_TABLES_INET'],
    expected: 'present',
    whenAbsent: 'iptables-nft (what kind nodes select here) will not work',
  },
  {
    id: 'iptables',
    config: ['CONFIG_IP_NF_IPTABLES'],
    expected: 'present',
    whenAbsent: 'kube-proxy and Calico (iptables dataplane) will not work',
  },
  {
    id: 'ipset + xt_set',
    config: ['CONFIG_IP_SET', 'CONFIG_NETFILTER_XT_SET'],
    expected: 'present',
    whenAbsent: 'Calico policy (ipsets) will not work',
  },
  {
    id: 'conntrack',
    config: ['CONFIG_NF_CONNTRACK'],
    expected: 'present',
    whenAbsent: 'no stateful policy: nothing will work',
  },
  {
    id: 'BPF',
    config: ['CONFIG_BPF_SYSCALL', 'CONFIG_CGROUP_BPF'],
    expected: 'present',
    whenAbsent: 'Cilium will not run',
  },
  {
    id: 'NFT_QUEUE',
    config: ['CONFIG_NFT_QUEUE'],
    expected: 'absent',
    whenAbsent:
      'kindnet will not enforce NetworkPolicy on this kernel: no NFT_QUEUE ' +
      '(kindnet queues packets to userspace and fails open, so policies are accepted and nothing is blocked)',
  },
  {
    id: 'SCTP',
    config: ['CONFIG_IP_SCTP'],
    expected: 'absent',
    whenAbsent: 'SCTP cannot be probed: policies with SCTP ports are untestable here',
  },
  {
    id: 'IPIP',
    config: ['CONFIG_NET_IPIP'],
    expected: 'absent',
    whenAbsent: 'Calico IPIP mode will not work: the kit uses VXLAN',
  },
  {
    id: 'IPVS',
    config: ['CONFIG_IP_VS'],
    expected: 'absent',
    whenAbsent: 'kube-proxy IPVS mode will not work: clusters use iptables mode',
  },
];

export function readKernelConfig(): Map<string, string> | undefined {
  let text: string | undefined;
  if (existsSync('/proc/config.gz')) text = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  else if (existsSync(`/boot/config-${release()}`)) text = readFileSync(`/boot/config-${release()}`, 'utf8');
  if (text === undefined) return undefined;
  const config = new Map<string, string>();
  for (const m of text.matchAll(/^(CONFIG_\w+)=(.*)$/gm)) config.set(m[1] ?? '', m[2] ?? '');
  return config;
}

export function featurePresence(feature: KernelFeature, config: Map<string, string> | undefined): Presence {
  if (config === undefined) return 'unknown';
  const modulesUsable = config.get('CONFIG_MODULES') === 'y' && existsSync(`/lib/modules/${release()}`);
  const each = feature.config.map((key) => {
    const value = config.get(key);
    return value === 'y' || (value === 'm' && modulesUsable);
  });
  return each.every(Boolean) ? 'present' : 'absent';
}

export type CgroupMode = 'v2' | 'v1 (hybrid or legacy)' | 'unknown';

export function cgroupMode(): CgroupMode {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'v2';
  if (existsSync('/sys/fs/cgroup/memory') || existsSync('/sys/fs/cgroup/cpu')) return 'v1 (hybrid or legacy)';
  return 'unknown';
}

/** Whether this process's capability bounding set has CAP_SYS_RESOURCE (bit 24). */
export function boundingSetHasSysResource(): boolean | undefined {
  const status = readFileSync('/proc/self/status', 'utf8');
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (hex === undefined) return undefined;
  return (BigInt(`0x${hex}`) & (1n << 24n)) !== 0n;
}
