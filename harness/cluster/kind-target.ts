import type { PreparedTarget } from '../target/session.js';
import { clusterDnsIp } from '../target/cluster-dns.js';
import { cniVersionOf } from '../target/detect-cni.js';
import { clusterScopedSupport } from '../target/cluster-scoped-support.js';
import { kindTargetLabel, type KindClusterKey } from '../model/cluster-names.js';
import { ensureKindCluster } from './kind-cluster.js';
import { kernelHasSctp, kitDefaultVersions, loadClusterVersions } from './versions.js';

export interface KindTargetSpec {
  readonly cni: string;
  /** A version of the CNI the kit builds (`--cni cilium@v1.18.2`); absent, the default. */
  readonly cniVersion?: string;
  /**
   * A Kubernetes version of clusters/versions.yaml; absent, the default one. Another version gets a
   * cluster of its own (kindClusterNameFor) from its node image (`npm run kit -- build --kubernetes V`).
   */
  readonly kubernetesVersion?: string;
  /** Leave a cluster this run created up at the end (a reused one is always left up). */
  readonly keep: boolean;
  /** Images the run needs in the nodes; loaded from the local docker when missing there. */
  readonly images?: readonly string[];
}

/**
 * A kind target's name in reports and progress lines: the CNI (`calico`) at the default versions, as
 * it always was, `calico-k8s-v1.35.4` at another Kubernetes version, `cilium@v1.18.2` at another CNI version.
 */
export function kindTargetName(key: KindClusterKey): string {
  return kindTargetLabel(key, kitDefaultVersions(loadClusterVersions()));
}

/**
 * A kind cluster for one CNI (at a version, on a Kubernetes version) as a run target: reused when it exists, else
 * created, and torn down by `release()` unless kept or reused. See ensureKindCluster for what "up"
 * means; a cluster that cannot come up (its node image not built, say) throws a TargetError.
 */
export async function prepareKindTarget(
  spec: KindTargetSpec,
  progress: (line: string) => void,
  signal?: AbortSignal,
): Promise<PreparedTarget> {
  const name = kindTargetName(spec);
  const cluster = await ensureKindCluster(
    {
      cni: spec.cni,
      ...(spec.cniVersion ? { cniVersion: spec.cniVersion } : {}),
      ...(spec.kubernetesVersion ? { kubernetesVersion: spec.kubernetesVersion } : {}),
      ...(spec.images ? { images: spec.images } : {}),
    },
    (m) => progress(`[${name}] ${m}`),
    signal,
  );
  const { gw, context } = cluster;
  const version = await gw.serverVersion();
  const sctp = kernelHasSctp();
  const dnsIp = await clusterDnsIp(gw);
  const cniVersion = await cniVersionOf(gw, spec.cni);
  const clusterScoped = await clusterScopedSupport(gw, spec.cni, cniVersion);
  return {
    session: {
      name,
      cni: spec.cni,
      ...(cniVersion ? { cniVersion } : {}),
      context,
      gw,
      sctp,
      ownCluster: true,
      kindCluster: cluster.name,
      ...(dnsIp ? { dnsIp } : {}),
      clusterScoped,
    },
    info: {
      name,
      kind: 'kind',
      cni: spec.cni,
      ...(cniVersion ? { cniVersion } : {}),
      context,
      kubernetesVersion: version,
      capabilities: { sctp },
    },
    release: async () => {
      if (cluster.created && !spec.keep) await cluster.remove();
    },
  };
}
