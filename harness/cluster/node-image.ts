import { explainFailure, runCommand } from '../process/command.js';
import { TargetError } from '../target/target-error.js';
import { kitNodeImage, kubernetesVersions, nodeImageOverride, type ClusterVersions } from './versions.js';

/** A Kubernetes version kind clusters can run here, or why not (a TargetError listing the choices). */
export function checkKubernetesVersion(v: ClusterVersions, kubernetesVersion: string): void {
  const choices = kubernetesVersions(v);
  if (!choices.includes(kubernetesVersion))
    throw new TargetError(
      `Kubernetes ${kubernetesVersion} is not one the offline kit builds ` +
        `(choose from ${choices.join(', ')}; clusters/versions.yaml lists them)`,
    );
}

/** The kit command that builds a version's node image. Pure. */
export function kitBuildCommand(v: ClusterVersions, kubernetesVersion: string): string {
  return kubernetesVersion === v.kubernetes.version
    ? 'npm run kit -- build'
    : `npm run kit -- build --kubernetes ${kubernetesVersion}`;
}

/**
 * The node image of a version, refused before `kind create` when the kit has not built it: kind
 * would otherwise try to pull it and fail after a while with a registry error that does not say
 * what to do. An image named by NETPOL_HARNESS_NODE_IMAGE is left to kind (it may pull it).
 */
export async function builtNodeImage(
  v: ClusterVersions,
  kubernetesVersion: string,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  checkKubernetesVersion(v, kubernetesVersion);
  const image = kitNodeImage(v, kubernetesVersion);
  if (nodeImageOverride(v, kubernetesVersion) !== undefined) return image;
  const found = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], options);
  if (!found.ok && !/no such (image|object)/i.test(found.stderr))
    throw new TargetError(`cannot ask docker for the node image ${image}: ${explainFailure(found)}`);
  if (!found.ok)
    throw new TargetError(
      `the node image ${image} for Kubernetes ${kubernetesVersion} is not built on this machine: ` +
        `run \`${kitBuildCommand(v, kubernetesVersion)}\` (offline kit, docs/offline-kit.md)`,
    );
  return image;
}
