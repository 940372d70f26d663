import { LiveGateway } from '../kube/live-gateway.js';
import { detectCni, knownVersion } from '../target/detect-cni.js';
import type { PreparedTarget } from '../target/session.js';
import { assertAccess, CLUSTER_SCOPED_ACCESS, SERVICE_ACCESS } from '../target/access.js';
import { clusterDnsIp } from '../target/cluster-dns.js';
import { clusterScopedSupport } from '../target/cluster-scoped-support.js';
import { TargetError } from '../target/target-error.js';

export interface ContextTargetSpec {
  readonly context: string;
  readonly kubeconfig?: string;
  /** Probe SCTP cells (only where the nodes' kernels have SCTP). */
  readonly sctp: boolean;
  /** Probe the scenarios' externals at their declared addresses (the user's own servers). */
  readonly probeExternals?: boolean;
  /** Some scenario declares Services: refuse up front, too, without the permissions they take. */
  readonly services?: boolean;
  /** Some scenario has cluster-scoped policies and they are allowed here: their permissions are checked too. */
  readonly clusterScoped?: boolean;
}

/**
 * An existing cluster (staging, production): used as it is, touched only through namespaces this
 * run creates, refused when our identity lacks a permission we need.
 */
export async function prepareContextTarget(spec: ContextTargetSpec): Promise<PreparedTarget> {
  let gw: LiveGateway;
  try {
    gw = new LiveGateway(spec.kubeconfig, spec.context);
  } catch (e) {
    throw new TargetError((e as Error).message);
  }
  const version = await gw.serverVersion().catch((e: Error) => {
    throw new TargetError(`${spec.context}: the API server did not answer: ${e.message}`);
  });
  await assertAccess(gw, spec.context, [
    ...(spec.services ? SERVICE_ACCESS : []),
    ...(spec.clusterScoped ? CLUSTER_SCOPED_ACCESS : []),
  ]);
  const dnsIp = await clusterDnsIp(gw);
  const detected = await detectCni(gw);
  const cni = detected?.name;
  const cniVersion = knownVersion(detected);
  const clusterScoped = await clusterScopedSupport(gw, cni, cniVersion);
  return {
    session: {
      name: spec.context,
      ...(cni ? { cni } : {}),
      ...(cniVersion ? { cniVersion } : {}),
      context: spec.context,
      gw,
      sctp: spec.sctp,
      ownCluster: false,
      probeForeignExternals: spec.probeExternals ?? false,
      ...(dnsIp ? { dnsIp } : {}),
      clusterScoped,
    },
    info: {
      name: spec.context,
      kind: 'context',
      ...(cni ? { cni } : {}),
      ...(cniVersion ? { cniVersion } : {}),
      context: spec.context,
      kubernetesVersion: version,
      capabilities: { sctp: spec.sctp },
    },
    release: async () => undefined,
  };
}
