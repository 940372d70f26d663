// The node image's Dockerfile, our own rendition of what kind's base image
// Dockerfile does (images/base/Dockerfile in the kind module), on Debian's
// containerd 1.6 and runc instead of kind's own builds of them.
import type { KubernetesRelease } from './kubernetes-release.js';

export const kindCniPlugins = ['host-local', 'loopback', 'ptp', 'portmap', 'bandwidth'] as const;

export function nodeDockerfile(from: string, k: Pick<KubernetesRelease, 'version' | 'pauseTag'>): string {
  const pause = `registry.k8s.io/pause:${k.pauseTag}`;
  const run = [
    'set -eux',
    // Debian's runc stays as runc.real; the wrapper that drops CAP_SYS_RESOURCE takes its name,
    // so containerd's shim uses it for every pod (calico-node is privileged).
    'mv /usr/sbin/runc /usr/sbin/runc.real',
    'mv /usr/sbin/runc.kit /usr/sbin/runc',
    // kind's containerd.service runs /usr/local/bin/containerd.
    'ln -sf /usr/bin/containerd /usr/local/bin/containerd',
    'mkdir -p /opt/cni/bin',
    `for p in ${kindCniPlugins.join(' ')}; do cp /usr/lib/cni/$p /opt/cni/bin/; done`,
    // No fuse-overlayfs snapshotter here (rootless only); the sandbox image is the one kubeadm wants.
    String.raw`sed -i -e '/^\[proxy_plugins\]/,/^  address/d' ` +
      `-e 's#sandbox_image = .*#sandbox_image = "${pause}"#' /etc/containerd/config.toml`,
    `ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer|length] |= . + ` +
      `{"path": "/kind/bin/mount-product-files.sh"}' | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json`,
    'find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete',
    'rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* ' +
      '/lib/systemd/system/local-fs.target.wants/*',
    'rm -f /lib/systemd/system/sockets.target.wants/*udev* /lib/systemd/system/sockets.target.wants/*initctl* ' +
      '/lib/systemd/system/basic.target.wants/*',
    'echo ReadKMsg=no >> /etc/systemd/journald.conf',
    'ln -sf /usr/lib/systemd/systemd /sbin/init',
    'systemctl enable kubelet.service containerd.service undo-mount-hacks.service',
    'systemctl mask systemd-binfmt.service',
    'mkdir -p /etc/kubernetes/manifests',
    `echo ${k.version} > /kind/version`,
  ];
  return [
    `FROM ${from}`,
    'COPY kindfiles/ /',
    'COPY kubeadm kubelet kubectl /usr/bin/',
    'COPY crictl /usr/local/bin/crictl',
    'COPY runc-wrapper /usr/sbin/runc.kit',
    'COPY default-storage.yaml /kind/manifests/default-storage.yaml',
    `RUN ${run.join(' && \\\n    ')}`,
    'ENV container=docker',
    'STOPSIGNAL SIGRTMIN+3',
    'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
    '',
  ].join('\n');
}
