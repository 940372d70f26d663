// Steps: Debian root filesystems made with debootstrap from the same mirror apt
// uses here, and imported into docker as base images. Keyed by suite and package
// list, so changing either makes a new one.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cache, type Versions } from '../config.js';
import { describeFailure, run, sh } from '../run.js';
import { done, failed, stepLog, type Step } from './step.js';

/** The node image: what kind's base image installs, plus containerd and runc from Debian. */
export const nodePackages = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'conntrack',
  'iptables',
  'nftables',
  'ipset',
  'ebtables',
  'iproute2',
  'ethtool',
  'util-linux',
  'mount',
  'kmod',
  'libseccomp2',
  'pigz',
  'e2fsprogs',
  'bash',
  'ca-certificates',
  'curl',
  'jq',
  'procps',
  'socat',
  'containerd',
  'runc',
  'containernetworking-plugins',
] as const;

/** The base of every component image (control plane, Calico, probe). */
export const basePackages = [
  'ca-certificates',
  'iptables',
  'ipset',
  'conntrack',
  'iproute2',
  'kmod',
  'procps',
  'curl',
  'dnsutils',
  'netcat-openbsd',
  'containernetworking-plugins',
] as const;

export interface Rootfs {
  readonly name: 'node' | 'base' | 'cilium';
  readonly suite: string;
  readonly packages: readonly string[];
}

export const nodeRootfs = (v: Versions): Rootfs => ({ name: 'node', suite: v.debian.suite, packages: nodePackages });
export const baseRootfs = (v: Versions): Rootfs => ({ name: 'base', suite: v.debian.suite, packages: basePackages });
/** The Cilium agent's base: the agent compiles its BPF datapath with clang at run time (pkg/datapath/loader). */
export const ciliumRootfs = (v: Versions): Rootfs => ({
  name: 'cilium',
  suite: v.debian.suite,
  packages: [...basePackages, v.cilium.clang, ...(v.cilium.packages ?? [])],
});

export function rootfsKey(r: Rootfs): string {
  const hash = createHash('sha256').update(r.packages.join(',')).digest('hex').slice(0, 8);
  return `${r.name}-${r.suite}-${hash}`;
}

export const rootfsDir = (r: Rootfs): string => join(cache.rootfs, rootfsKey(r));
export const rootfsImage = (r: Rootfs): string => `netpol-harness/kit-rootfs:${rootfsKey(r)}`;

/** The Debian mirror this machine's apt uses (deb822 or one-line sources). */
export function aptMirror(): string {
  const files = [
    '/etc/apt/sources.list',
    ...listDir('/etc/apt/sources.list.d').map((f) => join('/etc/apt/sources.list.d', f)),
  ];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const deb822 = [...text.matchAll(/^URIs:\s*(\S+)/gm)].map((m) => m[1] ?? '');
    const oneLine = [...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1] ?? '');
    const mirror = [...deb822, ...oneLine].find((u) => /\/debian\/?$/.test(u));
    if (mirror !== undefined) return mirror;
  }
  return 'http://deb.debian.org/debian';
}

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref])).ok;
}

/** `id`: `rootfs-cilium-v1.17.8` for an extra Cilium version (the same image when its packages are the default's). */
export function rootfsStep(r: Rootfs, id = `rootfs-${r.name}`): Step {
  return {
    id,
    title: `Debian ${r.suite} root filesystem (${r.name}, ${r.packages.length} packages)`,
    isDone: () => imageExists(rootfsImage(r)),
    async run(ctx) {
      const log = stepLog(id);
      const dir = rootfsDir(r);
      const marker = join(cache.rootfs, `${rootfsKey(r)}.complete`);
      if (!existsSync(marker) || ctx.force) {
        rmSync(dir, { recursive: true, force: true });
        const mirror = aptMirror();
        ctx.progress(`debootstrap ${r.suite} from ${mirror}`);
        const boot = await run(
          'debootstrap',
          ['--variant=minbase', `--include=${r.packages.join(',')}`, r.suite, dir, mirror],
          { logFile: log },
        );
        if (!boot.ok) {
          rmSync(dir, { recursive: true, force: true });
          return failed(`debootstrap failed (see log): ${describeFailure(boot)}`);
        }
        // Package lists and caches only make the image bigger.
        await sh(`rm -rf ${dir}/var/lib/apt/lists/* ${dir}/var/cache/apt/*.bin ${dir}/var/cache/apt/archives/*.deb`, {
          logFile: log,
        });
        writeFileSync(marker, `${new Date().toISOString()}\n`);
      }
      ctx.progress(`docker import -> ${rootfsImage(r)}`);
      const imp = await sh(`tar -C ${dir} -c . | docker import - ${rootfsImage(r)}`, { logFile: log });
      return imp.ok ? done(rootfsImage(r)) : failed(describeFailure(imp));
    },
  };
}
