import { LiveGateway } from '../kube/live-gateway.js';
import { detectCnis } from '../inventory/cni.js';
import type { PreparedTarget } from '../target/session.js';
import { assertAccess } from '../target/access.js';
import { clusterDnsIp } from '../target/cluster-dns.js';
import { TargetError } from '../target/target-error.js';

export interface ContextTargetSpec {
  readonly context: string;
  readonly kubeconfig?: string;
  /** Probe SCTP cells (only where the nodes' kernels have SCTP). */
  readonly sctp: boolean;
  /** Probe the scenarios' externals at their declared addresses (the user's own servers). */
  readonly probeExternals?: boolean;
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
  await assertAccess(gw, spec.context);
  const dnsIp = await clusterDnsIp(gw);
  const cni = await detectCni(gw);
  return {
    session: {
      name: spec.context,
      ...(cni ? { cni } : {}),
      context: spec.context,
      gw,
      sctp: spec.sctp,
      ownCluster: false,
      probeForeignExternals: spec.probeExternals ?? false,
      ...(dnsIp ? { dnsIp } : {}),
    },
    info: {
      name: spec.context,
      kind: 'context',
      ...(cni ? { cni } : {}),
      context: spec.context,
      kubernetesVersion: version,
      capabilities: { sctp: spec.sctp },
    },
    release: async () => undefined,
  };
}

/**
 * The CNI an existing cluster runs, from its agents' DaemonSet images, so the scenarios' known
 * deviations for that CNI apply there as on kind. Reading DaemonSets is not part of the required
 * role: where it is denied, or no known agent runs, the CNI is unknown and no deviation applies.
 */
async function detectCni(gw: LiveGateway): Promise<string | undefined> {
  try {
    return detectCnis(await gw.list('apps/v1', 'DaemonSet'))[0]?.name;
  } catch {
    return undefined;
  }
}
