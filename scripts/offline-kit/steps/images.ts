// Step: build the component images (control plane, etcd, CoreDNS, pause, Calico,
// probe) on the kit's Debian base image with the classic builder (no registry).
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cache } from '../config.js';
import { allImages, dockerfile, nodeImages, type ImageSpec } from '../images.js';
import { kubernetesRelease } from '../kubernetes-release.js';
import { describeFailure, run } from '../run.js';
import { fileDigest, imageId, imageRecipe, recipeDigest, recipeLabel } from '../recipe.js';
import { baseRootfs, rootfsImage } from './rootfs.js';
import { releaseStepId } from './go-builds.js';
import { done, failed, stepLog, type Step, type StepContext } from './step.js';

export async function specRecipe(spec: ImageSpec, from: string): Promise<string> {
  return recipeDigest([
    dockerfile(spec, from),
    (await imageId(from)) ?? 'missing',
    ...spec.files.map((f) => fileDigest(f.src)),
  ]);
}

/** Images that are missing or were built from a different recipe. */
async function staleImages(specs: readonly ImageSpec[], from: string): Promise<ImageSpec[]> {
  const stale: ImageSpec[] = [];
  for (const spec of specs) if ((await imageRecipe(spec.ref)) !== (await specRecipe(spec, from))) stale.push(spec);
  return stale;
}

export async function buildImage(spec: ImageSpec, from: string, logFile: string): Promise<string | undefined> {
  const ctxDir = join(cache.images, 'ctx', spec.ref.replace(/[^\w.-]+/g, '_'));
  rmSync(ctxDir, { recursive: true, force: true });
  mkdirSync(ctxDir, { recursive: true });
  spec.files.forEach((f, i) => {
    copyFileSync(f.src, join(ctxDir, `f${i}`));
    chmodSync(join(ctxDir, `f${i}`), 0o755); // the classic builder keeps the context's modes
  });
  writeFileSync(join(ctxDir, 'Dockerfile'), dockerfile(spec, from));
  const label = `${recipeLabel}=${await specRecipe(spec, from)}`;
  const r = await run('docker', ['build', '-q', '--label', label, '-t', spec.ref, ctxDir], {
    logFile,
    env: { DOCKER_BUILDKIT: '0' },
  });
  return r.ok ? undefined : describeFailure(r);
}

/** A step that builds images that are missing or stale, on the kit's base root filesystem. */
function imageStep(id: string, title: string, specsOf: (ctx: StepContext) => Promise<ImageSpec[]>): Step {
  return {
    id,
    title,
    async isDone(ctx) {
      return (await staleImages(await specsOf(ctx), rootfsImage(baseRootfs(ctx.versions)))).length === 0;
    },
    async run(ctx) {
      const log = stepLog(id);
      const from = rootfsImage(baseRootfs(ctx.versions));
      const all = await specsOf(ctx);
      const specs = ctx.force ? all : await staleImages(all, from);
      for (const spec of specs) {
        ctx.progress(`docker build ${spec.ref}`);
        const problem = await buildImage(spec, from, log);
        if (problem !== undefined) return failed(`${spec.ref}: ${problem}`);
      }
      return done(`${specs.length} built`);
    },
  };
}

export const imagesStep: Step = imageStep(
  'images',
  'component images (control plane, etcd, CoreDNS, pause, Calico, probe)',
  async (ctx) => allImages(ctx.versions),
);

/**
 * An extra release's own images: its control plane, and etcd, CoreDNS and pause under the tags its
 * kubeadm asks for. Calico and the probe image are the default build's.
 */
export function releaseImagesStep(version: string): Step {
  return imageStep(
    releaseStepId('images', version),
    `component images for Kubernetes ${version} (control plane, etcd, CoreDNS, pause)`,
    async (ctx) => {
      const k = await kubernetesRelease(ctx.versions, version);
      if (typeof k === 'string') throw new Error(k);
      return nodeImages(ctx.versions, k);
    },
  );
}
