// Step: build the component images (control plane, etcd, CoreDNS, pause, Calico,
// probe) on the kit's Debian base image with the classic builder (no registry).
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cache } from '../config.js';
import { allImages, dockerfile, type ImageSpec } from '../images.js';
import { describeFailure, run } from '../run.js';
import { fileDigest, imageId, imageRecipe, recipeDigest, recipeLabel } from '../recipe.js';
import { baseRootfs, rootfsImage } from './rootfs.js';
import { done, failed, stepLog, type Step } from './step.js';

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

export const imagesStep: Step = {
  id: 'images',
  title: 'component images (control plane, etcd, CoreDNS, pause, Calico, probe)',
  async isDone(ctx) {
    return (await staleImages(allImages(ctx.versions), rootfsImage(baseRootfs(ctx.versions)))).length === 0;
  },
  async run(ctx) {
    const log = stepLog('images');
    const from = rootfsImage(baseRootfs(ctx.versions));
    const specs = ctx.force ? allImages(ctx.versions) : await staleImages(allImages(ctx.versions), from);
    for (const spec of specs) {
      ctx.progress(`docker build ${spec.ref}`);
      const problem = await buildImage(spec, from, log);
      if (problem !== undefined) return failed(`${spec.ref}: ${problem}`);
    }
    return done(`${specs.length} built`);
  },
};
