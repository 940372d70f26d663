// The steps of an extra Kubernetes version (`npm run kit -- build --kubernetes v1.35.4`), after the
// default build, whose base images, pause, crictl, Calico and probe images they reuse.
import { describeRelease, kubernetesRelease } from '../kubernetes-release.js';
import { corednsStepFor, etcdStepFor, kubernetesStepFor, releaseStepId } from './go-builds.js';
import { releaseImagesStep } from './images.js';
import { nodeImageStepFor } from './node-image.js';
import { done, failed, type Step } from './step.js';

/**
 * Reads what kubeadm of the version asks for (its constants.go) and prints it. Never cached: it costs
 * a lookup in Go's module cache, and the build's log then always says what the node image carries.
 */
function kubeadmTagsStep(version: string): Step {
  return {
    id: releaseStepId('kubeadm-tags', version),
    title: `what kubeadm ${version} asks for (cmd/kubeadm/app/constants/constants.go)`,
    isDone: async () => false,
    async run(ctx) {
      const k = await kubernetesRelease(ctx.versions, version);
      return typeof k === 'string' ? failed(k) : done(describeRelease(k));
    },
  };
}

export function releaseSteps(version: string): Step[] {
  return [
    kubeadmTagsStep(version),
    etcdStepFor(version),
    corednsStepFor(version),
    kubernetesStepFor(version),
    releaseImagesStep(version),
    nodeImageStepFor(version),
  ];
}
