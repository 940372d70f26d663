// The build, in order. Each step is idempotent and cached outside the repo.
import { withCiliumVersion, type Versions } from '../config.js';
import { calicoBuildStep } from './calico-build.js';
import { calicoManifestStep } from './calico-manifest.js';
import { ciliumBuildStepFor, helmStep } from './cilium-build.js';
import { ciliumImagesStepFor } from './cilium-images.js';
import { ciliumManifestStepFor } from './cilium-manifest.js';
import { dockerStep } from './docker.js';
import {
  corednsStep,
  crictlStep,
  etcdStep,
  kindStep,
  kubernetesStep,
  netpolServerStep,
  pauseStep,
  releaseStepId,
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
  return [helmStep, ciliumManifestStepFor(), rootfsStep(ciliumRootfs(v)), ciliumBuildStepFor(), ciliumImagesStepFor()];
}

/**
 * An extra Cilium version (`--cilium v1.18.2`): the same steps at its pins, each cached under its
 * version, after the default ones (helm is shared; its agent's root filesystem is the default's
 * unless its packages differ).
 */
export function ciliumReleaseSteps(v: Versions, version: string): Step[] {
  return [
    ciliumManifestStepFor(version),
    rootfsStep(ciliumRootfs(withCiliumVersion(v, version)), releaseStepId('rootfs-cilium', version)),
    ciliumBuildStepFor(version),
    ciliumImagesStepFor(version),
  ];
}

/** What to build besides the default steps. */
export interface BuildRequest {
  readonly with?: ReadonlySet<OptionalGroup>;
  /** Extra Kubernetes versions (`--kubernetes`). */
  readonly kubernetes?: readonly string[];
  /** Extra Cilium versions (`--cilium`); they imply `--with cilium`. */
  readonly cilium?: readonly string[];
}

/**
 * The default steps, then `--with` groups and each extra Cilium version asked for, then each extra
 * Kubernetes version (`--kubernetes`): an extra version reuses the default build's base images,
 * Calico and probe image.
 */
export function buildSteps(v: Versions, request: BuildRequest = {}): Step[] {
  const cilium = (request.cilium ?? []).filter((c) => c !== v.cilium.version);
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
    ...(request.with?.has('cilium') || cilium.length > 0 ? ciliumSteps(v) : []),
    ...cilium.flatMap((c) => ciliumReleaseSteps(v, c)),
    ...(request.kubernetes ?? []).filter((k) => k !== v.kubernetes.version).flatMap(releaseSteps),
  ];
}

/** The group a step belongs to, so `--from cilium` works without also saying `--with cilium`. */
export function groupOfStep(v: Versions, id: string): OptionalGroup | undefined {
  return ciliumSteps(v).some((s) => s.id === id) || ciliumOfStep(v, id) !== undefined ? 'cilium' : undefined;
}

/** The extra Kubernetes version a step builds, so `--from kubernetes-v1.35.4` implies `--kubernetes v1.35.4`. */
export function kubernetesOfStep(v: Versions, id: string): string | undefined {
  return (v.kubernetes.extraVersions ?? []).find((k) => releaseSteps(k).some((s) => s.id === id));
}

/** The extra Cilium version a step builds, so `--from cilium-v1.18.2` implies `--cilium v1.18.2`. */
export function ciliumOfStep(v: Versions, id: string): string | undefined {
  return (v.cilium.extraVersions ?? [])
    .map((e) => e.version)
    .find((c) => ciliumReleaseSteps(v, c).some((s) => s.id === id));
}
