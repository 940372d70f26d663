import type { KubeGateway } from '../kube/gateway.js';
import { detectCnis, type DetectedCni } from '../inventory/cni.js';

/**
 * The CNI a cluster runs and its version, from its agents' DaemonSet images, so the scenarios'
 * known deviations for that CNI (and version range) apply there. Reading DaemonSets is not part
 * of the required role: where it is denied, or no known agent runs, the CNI is unknown and no
 * deviation applies.
 */
export async function detectCni(gw: KubeGateway): Promise<DetectedCni | undefined> {
  try {
    return detectCnis(await gw.list('apps/v1', 'DaemonSet'))[0];
  } catch {
    return undefined;
  }
}

/** A detected agent's version (`v1.18.3`), unless its image has no tag to read one from. */
export const knownVersion = (found: DetectedCni | undefined): string | undefined =>
  found && found.version !== 'unknown' ? found.version : undefined;

/** The version the cluster's agent of this CNI runs, when readable. */
export async function cniVersionOf(gw: KubeGateway, cni: string): Promise<string | undefined> {
  const found = await detectCni(gw);
  return found?.name === cni ? knownVersion(found) : undefined;
}
