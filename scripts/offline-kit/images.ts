// The component images: our binaries on the kit's Debian base, tagged with the
// exact upstream names that kubeadm and the Calico manifest ask for, so nothing
// is ever pulled. Dockerfiles are generated here (our own, a few lines each).
import { join } from 'node:path';
import { kitFiles, type Versions } from './config.js';
import { binDir } from './go-module.js';
import { calicoBuild } from './steps/calico-build.js';
import { defaultRelease, type KubernetesRelease } from './kubernetes-release.js';
import {
  corednsBuild,
  etcdBuild,
  kubernetesCommands,
  kubernetesKey,
  netpolServerBuild,
  pauseBuild,
} from './steps/go-builds.js';

export interface ImageFile {
  readonly src: string;
  /** Absolute path inside the image. */
  readonly dest: string;
  /** A tar archive unpacked into `dest` (Dockerfile ADD), e.g. Cilium's BPF sources. */
  readonly unpack?: boolean;
}

export interface ImageSpec {
  readonly ref: string;
  readonly files: readonly ImageFile[];
  /** Dockerfile lines after FROM and the COPY lines. */
  readonly tail: readonly string[];
}

function controlPlaneImages(k: KubernetesRelease): ImageSpec[] {
  const bins = binDir(kubernetesKey(k.version));
  const commands = kubernetesCommands.filter((c) => c.startsWith('kube-'));
  return commands.map((c) => ({
    ref: `registry.k8s.io/${c}:${k.version}`,
    files: [{ src: join(bins, c), dest: `/usr/local/bin/${c}` }],
    tail: [`ENTRYPOINT ["/usr/local/bin/${c}"]`],
  }));
}

/** etcd and CoreDNS at the versions the release's kubeadm asks for; our own pause under its tag. */
function clusterAddonImages(v: Versions, k: KubernetesRelease): ImageSpec[] {
  return [
    {
      ref: `registry.k8s.io/etcd:${k.etcd.imageTag}`,
      files: [{ src: join(binDir(etcdBuild(v, k).key), 'etcd'), dest: '/usr/local/bin/etcd' }],
      tail: ['ENTRYPOINT ["/usr/local/bin/etcd"]'],
    },
    {
      ref: `registry.k8s.io/coredns/coredns:${k.coredns}`,
      files: [{ src: join(binDir(corednsBuild(v, k).key), 'coredns'), dest: '/coredns' }],
      tail: ['ENTRYPOINT ["/coredns"]'],
    },
    {
      ref: `registry.k8s.io/pause:${k.pauseTag}`,
      files: [{ src: join(binDir(pauseBuild(v).key), 'pause'), dest: '/pause' }],
      tail: ['USER 65535:65535', 'ENTRYPOINT ["/pause"]'],
    },
  ];
}

export function calicoImages(v: Versions): ImageSpec[] {
  const bins = binDir(calicoBuild(v).key);
  const tag = v.calico.imageTag;
  const cniPlugins = ['bandwidth', 'portmap', 'host-local', 'loopback', 'tuning'];
  return [
    {
      ref: `quay.io/calico/node:${tag}`,
      files: [
        { src: join(bins, 'calico-node'), dest: '/usr/bin/calico-node' },
        { src: join(kitFiles, 'calico-node-start.sh'), dest: '/usr/local/bin/start-calico-node' },
        { src: join(kitFiles, 'felix.cfg'), dest: '/etc/calico/felix.cfg' },
      ],
      tail: ['CMD ["/usr/local/bin/start-calico-node"]'],
    },
    {
      ref: `quay.io/calico/cni:${tag}`,
      files: [
        { src: join(bins, 'install'), dest: '/opt/cni/bin/install' },
        { src: join(bins, 'calico'), dest: '/opt/cni/bin/calico' },
        { src: join(bins, 'calico'), dest: '/opt/cni/bin/calico-ipam' },
      ],
      // The standard plugins Calico's CNI config chains (portmap, bandwidth) come from Debian's package.
      tail: [
        `RUN ${cniPlugins.map((p) => `cp /usr/lib/cni/${p} /opt/cni/bin/${p}`).join(' && ')}`,
        'CMD ["/opt/cni/bin/install"]',
      ],
    },
    {
      ref: `quay.io/calico/kube-controllers:${tag}`,
      files: [
        { src: join(bins, 'kube-controllers'), dest: '/usr/bin/kube-controllers' },
        { src: join(bins, 'check-status'), dest: '/usr/bin/check-status' },
      ],
      // The manifest sets runAsNonRoot: the image's user must be a numeric non-root id.
      tail: ['RUN mkdir -p /status && chown 999 /status', 'USER 999', 'ENTRYPOINT ["/usr/bin/kube-controllers"]'],
    },
  ];
}

/** Built once, with agnhost from the default release: every node image carries the same probe image. */
export function probeImage(v: Versions): ImageSpec {
  return {
    ref: `${v.probe.image}:${v.probe.imageTag}`,
    files: [
      { src: join(binDir(kubernetesKey(v.kubernetes.version)), 'agnhost'), dest: '/agnhost' },
      { src: join(binDir(netpolServerBuild(v).key), 'netpol-server'), dest: '/netpol-server' },
    ],
    tail: ['ENTRYPOINT ["/agnhost"]'],
  };
}

/** Images kubeadm of a release (the default one unless said) needs inside the node before `kubeadm init`. */
export function nodeImages(v: Versions, k = defaultRelease(v)): ImageSpec[] {
  return [...controlPlaneImages(k), ...clusterAddonImages(v, k)];
}

/** Every image a release's node image carries, in build order: Calico and the probe are the same for all. */
export function allImages(v: Versions, k = defaultRelease(v)): ImageSpec[] {
  return [...nodeImages(v, k), ...calicoImages(v), probeImage(v)];
}

export function dockerfile(spec: ImageSpec, from: string): string {
  const copies = spec.files.map((f, i) => `${f.unpack === true ? 'ADD' : 'COPY'} f${i} ${f.dest}`);
  return [`FROM ${from}`, ...copies, `LABEL netpol-harness.kit=1`, ...spec.tail, ''].join('\n');
}
