// The build, in order. Each step is idempotent and cached outside the repo.
import type { Versions } from '../config.js';
import { calicoBuildStep } from './calico-build.js';
import { calicoManifestStep } from './calico-manifest.js';
import { ciliumBuildStep, helmStep } from './cilium-build.js';
import { ciliumImagesStep } from './cilium-images.js';
import { ciliumManifestStep } from './cilium-manifest.js';
import { dockerStep } from './docker.js';
import {
  corednsStep,
  crictlStep,
  etcdStep,
  kindStep,
  kubernetesStep,
  netpolServerStep,
  pauseStep,
} from './go-builds.js';
import { baseRootfs, ciliumRootfs, nodeRootfs, rootfsStep } from './rootfs.js';
import { imagesStep } from './images.js';
import { nodeImageStep } from './node-image.js';
import { releaseSteps } from './release.js';
import type { Step } from './step.js';

/** Steps only `--with <group>` adds (after the default ones), so a Calico-only build stays as fast as it was. */
export const optionalGroups = ['cilium'] as const;
export type OptionalGroup = (typeof optionalGroups)[number];

/**
 * Cilium: helm and the rendered manifest first (seconds, and they check the values before the long
 * Go build), then clang's rootfs, the binaries and the two images. Its images are loaded into a
 * Cilium cluster's nodes by the harness, not baked into the node image.
 */
function ciliumSteps(v: Versions): Step[] {
  return [helmStep, ciliumManifestStep, rootfsStep(ciliumRootfs(v)), ciliumBuildStep, ciliumImagesStep];
}

/**
 * The default steps, then `--with` groups, then each extra Kubernetes version asked for (`--kubernetes`):
 * an extra version reuses the default build's base images, Calico and probe image.
 */
export function buildSteps(
  v: Versions,
  groups: ReadonlySet<OptionalGroup> = new Set(),
  kubernetes: readonly string[] = [],
): Step[] {
  return [
    dockerStep,
    kindStep,
    rootfsStep(baseRootfs(v)),
    rootfsStep(nodeRootfs(v)),
    pauseStep,
    crictlStep,
    netpolServerStep,
    etcdStep,
    corednsStep,
    kubernetesStep,
    calicoBuildStep,
    calicoManifestStep,
    imagesStep,
    nodeImageStep,
    ...(groups.has('cilium') ? ciliumSteps(v) : []),
    ...kubernetes.filter((k) => k !== v.kubernetes.version).flatMap(releaseSteps),
  ];
}

/** The group a step belongs to, so `--from cilium` works without also saying `--with cilium`. */
export function groupOfStep(v: Versions, id: string): OptionalGroup | undefined {
  return ciliumSteps(v).some((s) => s.id === id) ? 'cilium' : undefined;
}

/** The extra Kubernetes version a step builds, so `--from kubernetes-v1.35.4` implies `--kubernetes v1.35.4`. */
export function kubernetesOfStep(v: Versions, id: string): string | undefined {
  return (v.kubernetes.extraVersions ?? []).find((k) => releaseSteps(k).some((s) => s.id === id));
}
