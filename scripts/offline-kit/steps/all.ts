// The build, in order. Each step is idempotent and cached outside the repo.
import type { Versions } from '../config.js';
import { calicoBuildStep } from './calico-build.js';
import { calicoManifestStep } from './calico-manifest.js';
import { dockerStep } from './docker.js';
import { corednsStep, crictlStep, etcdStep, kindStep, kubernetesStep, netpolServerStep, pauseStep } from './go-builds.js';
import { baseRootfs, nodeRootfs, rootfsStep } from './rootfs.js';
import { imagesStep } from './images.js';
import { nodeImageStep } from './node-image.js';
import type { Step } from './step.js';

export function buildSteps(v: Versions): Step[] {
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
  ];
}
