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

export function buildSteps(v: Versions, groups: ReadonlySet<OptionalGroup> = new Set()): Step[] {
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
  ];
}

/** The group a step belongs to, so `--from cilium` works without also saying `--with cilium`. */
export function groupOfStep(v: Versions, id: string): OptionalGroup | undefined {
  return ciliumSteps(v).some((s) => s.id === id) ? 'cilium' : undefined;
}
