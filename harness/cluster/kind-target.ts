import type { PreparedTarget } from '../target/session.js';
import { clusterDnsIp } from '../target/cluster-dns.js';
import { ensureKindCluster } from './kind-cluster.js';
import { kernelHasSctp } from './versions.js';

export interface KindTargetSpec {
  readonly cni: string;
  /** Leave a cluster this run created up at the end (a reused one is always left up). */
  readonly keep: boolean;
  /** Images the run needs in the nodes; loaded from the local docker when missing there. */
  readonly images?: readonly string[];
}

/**
 * A kind cluster for one CNI as a run target: reused when it exists, else created (and torn down
 * at the end unless kept). See ensureKindCluster for what "up" means.
 */
export async function prepareKindTarget(
  spec: KindTargetSpec,
  progress: (line: string) => void,
  signal?: AbortSignal,
): Promise<PreparedTarget> {
  const cluster = await ensureKindCluster(
    { cni: spec.cni, ...(spec.images ? { images: spec.images } : {}) },
    (m) => progress(`[${spec.cni}] ${m}`),
    signal,
  );
  const { gw, context } = cluster;
  const version = await gw.serverVersion();
  const sctp = kernelHasSctp();
  const dnsIp = await clusterDnsIp(gw);
  return {
    session: {
      name: spec.cni,
      cni: spec.cni,
      context,
      gw,
      sctp,
      ownCluster: true,
      kindCluster: cluster.name,
      ...(dnsIp ? { dnsIp } : {}),
    },
    info: { name: spec.cni, kind: 'kind', cni: spec.cni, context, kubernetesVersion: version, capabilities: { sctp } },
    release: async () => {
      if (cluster.created && !spec.keep) await cluster.remove();
    },
  };
}
