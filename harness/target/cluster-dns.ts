import type { KubeGateway } from '../kube/gateway.js';

/** Cluster DNS pod IP (CoreDNS behind kube-dns), so ipBlock predictions about DNS use the real address. */
export async function clusterDnsIp(gw: KubeGateway): Promise<string | undefined> {
  const pods = await gw.podStatuses('kube-system').catch(() => []);
  return pods.find((p) => /^(coredns|kube-dns)-/.test(p.name) && p.ip)?.ip;
}
