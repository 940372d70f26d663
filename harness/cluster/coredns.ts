import type { KubeGateway } from '../kube/gateway.js';

/**
 * CoreDNS in our clusters answers cluster names only: no traffic may leave the machine, and the
 * node's resolver would forward upstream. Removes `forward . ...` (one line or a block).
 */
export function withoutUpstreamForward(corefile: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const line of corefile.split('\n')) {
    const opens = (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth > 0) {
      depth += opens;
      continue;
    }
    if (/^\s*forward\s/.test(line)) {
      depth = opens;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Patch the coredns ConfigMap and restart CoreDNS so the change is live. */
export async function isolateCoreDns(gw: KubeGateway): Promise<void> {
  const cm = await gw.read({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns' });
  const corefile = (cm?.['data'] as Record<string, string> | undefined)?.['Corefile'];
  if (corefile === undefined) throw new Error('kube-system/coredns has no Corefile');
  const isolated = withoutUpstreamForward(corefile);
  if (isolated !== corefile) {
    await gw.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      data: { Corefile: isolated },
    });
  }
  await gw.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    spec: { template: { metadata: { annotations: { 'netpol-harness/corefile': 'no-upstream' } } } },
  });
}
