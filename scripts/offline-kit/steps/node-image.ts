// Step: the kind node image. Stage 1 is a docker build of the node root
// filesystem plus kind's base files, Kubernetes binaries and the runc wrapper;
// stage 2 starts it, runs containerd inside, imports every component image into
// the k8s.io namespace (as `kind build node-image` does), and commits.
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cache, kitFiles, nodeImageRef, type Versions } from '../config.js';
import { wrapperSource } from '../docker-engine.js';
import { binDir, moduleDir } from '../go-module.js';
import { allImages } from '../images.js';
import { kubernetesRelease, type KubernetesRelease } from '../kubernetes-release.js';
import { crictlBuild, kubernetesKey, releaseStepId } from './go-builds.js';
import { nodeDockerfile } from '../node-dockerfile.js';
import { describeFailure, run, sh } from '../run.js';
import { fileDigest, imageId, imageRecipe, recipeDigest, recipeLabel } from '../recipe.js';
import { nodeRootfs, rootfsImage } from './rootfs.js';
import { done, failed, stepLog, type Step, type StepContext, type StepOutcome } from './step.js';

const buildContainer = 'netpol-harness-kit-node-build';

/** kind's COPY --chmod: scripts executable, everything else 0644, folders 0755. */
function restoreModes(dir: string, executable: boolean): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      chmodSync(path, 0o755);
      restoreModes(path, executable || path.endsWith('/usr/local/bin') || path.endsWith('/kind/bin'));
    } else {
      chmodSync(path, executable ? 0o755 : 0o644);
    }
  }
}

async function prepareContext(v: Versions, k: KubernetesRelease): Promise<string> {
  const kind = await moduleDir(v.kind.module, v.kind.version);
  if (typeof kind !== 'string') throw new Error(kind.error);
  const ctxDir = join(cache.images, 'ctx', 'kind-node');
  rmSync(ctxDir, { recursive: true, force: true });
  mkdirSync(ctxDir, { recursive: true });
  cpSync(join(kind, 'images', 'base', 'files'), join(ctxDir, 'kindfiles'), { recursive: true });
  rmSync(join(ctxDir, 'kindfiles', 'LICENSES'), { recursive: true, force: true });
  restoreModes(join(ctxDir, 'kindfiles'), false);
  for (const bin of ['kubeadm', 'kubelet', 'kubectl']) {
    copyFileSync(join(binDir(kubernetesKey(k.version)), bin), join(ctxDir, bin));
    chmodSync(join(ctxDir, bin), 0o755);
  }
  copyFileSync(join(binDir(crictlBuild(v).key), 'crictl'), join(ctxDir, 'crictl'));
  chmodSync(join(ctxDir, 'crictl'), 0o755);
  copyFileSync(wrapperSource, join(ctxDir, 'runc-wrapper'));
  chmodSync(join(ctxDir, 'runc-wrapper'), 0o755);
  copyFileSync(join(kitFiles, 'default-storage.yaml'), join(ctxDir, 'default-storage.yaml'));
  writeFileSync(join(ctxDir, 'Dockerfile'), nodeDockerfile(rootfsImage(nodeRootfs(v)), k));
  return ctxDir;
}

async function importImages(
  ctx: StepContext,
  k: KubernetesRelease,
  stage1: string,
  log: string,
): Promise<string | undefined> {
  await run('docker', ['rm', '-f', buildContainer], { logFile: log });
  const start = await run(
    'docker',
    ['run', '-d', '--privileged', '--name', buildContainer, '--entrypoint', 'sleep', stage1, 'infinity'],
    { logFile: log },
  );
  if (!start.ok) return `could not start the build container: ${describeFailure(start)}`;
  const exec = (script: string) => run('docker', ['exec', buildContainer, 'bash', '-euc', script], { logFile: log });
  await exec('nohup containerd > /tmp/kit-containerd.log 2>&1 &');
  const ready = await exec(
    'for i in $(seq 1 30); do ' +
      '[ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1',
  );
  if (!ready.ok) return 'containerd did not start in the build container';
  const refs = allImages(ctx.versions, k).map((s) => s.ref);
  ctx.progress(`importing ${refs.length} images into containerd's k8s.io namespace`);
  const imp = await sh(
    `docker save ${refs.join(' ')} | docker exec -i ${buildContainer} ` +
      'ctr --namespace=k8s.io images import --all-platforms --no-unpack --digests -',
    { logFile: log },
  );
  if (!imp.ok) return `image import failed: ${describeFailure(imp)}`;
  // No logFile: a logged run does not buffer stdout, and the listing is read here.
  const listed = await run('docker', ['exec', buildContainer, 'ctr', '--namespace=k8s.io', 'images', 'list', '-q']);
  const names = listed.stdout.split('\n');
  const imported = (ref: string) => names.find((line) => line === ref || line === `docker.io/${ref}`);
  const missing = refs.filter((ref) => imported(ref) === undefined);
  if (missing.length > 0) return `not imported: ${missing.join(', ')}`;
  // Pinned images are never garbage-collected by the kubelet (ctr 1.6 import has no --label).
  const pin = await exec(
    refs
      .map(
        (ref) =>
          `ctr --namespace=k8s.io images label ${imported(ref) ?? ref} io.cri-containerd.pinned=pinned >/dev/null`,
      )
      .join(' && '),
  );
  if (!pin.ok) return `could not pin the imported images: ${describeFailure(pin)}`;
  await exec(
    'kill $(pidof containerd); for i in $(seq 1 10); do pidof containerd >/dev/null || break; sleep 1; done; ' +
      'rm -f /tmp/kit-containerd.log',
  );
  return undefined;
}

/** Everything the node image is made of: a change to any of it rebuilds the image. */
async function nodeRecipe(v: Versions, k: KubernetesRelease): Promise<string> {
  const from = rootfsImage(nodeRootfs(v));
  const bins = [
    ...['kubeadm', 'kubelet', 'kubectl'].map((b) => join(binDir(kubernetesKey(k.version)), b)),
    join(binDir(crictlBuild(v).key), 'crictl'),
  ];
  const ids = await Promise.all(allImages(v, k).map(async (s) => `${s.ref}=${(await imageId(s.ref)) ?? 'missing'}`));
  return recipeDigest([
    nodeDockerfile(from, k),
    (await imageId(from)) ?? 'missing',
    v.kind.version,
    ...[wrapperSource, join(kitFiles, 'default-storage.yaml'), ...bins].map((f) =>
      existsSync(f) ? fileDigest(f) : 'missing',
    ),
    ...ids,
  ]);
}

/** The node image of a release (undefined: the default one), `netpol-harness/kind-node:<version>-kit<rev>`. */
export function nodeImageStepFor(version?: string): Step {
  const release = async (ctx: StepContext): Promise<KubernetesRelease> => {
    const k = await kubernetesRelease(ctx.versions, version ?? ctx.versions.kubernetes.version);
    if (typeof k === 'string') throw new Error(k);
    return k;
  };
  const id = releaseStepId('node-image', version);
  return {
    id,
    title:
      version === undefined
        ? 'kind node image with every image preloaded'
        : `kind node image for Kubernetes ${version} with every image preloaded`,
    async isDone(ctx) {
      const k = await release(ctx);
      return (await imageRecipe(nodeImageRef(ctx.versions, k.version))) === (await nodeRecipe(ctx.versions, k));
    },
    async run(ctx) {
      return buildNodeImage(ctx, await release(ctx), stepLog(id));
    },
  };
}

async function buildNodeImage(ctx: StepContext, k: KubernetesRelease, log: string): Promise<StepOutcome> {
  const v = ctx.versions;
  const ref = nodeImageRef(v, k.version);
  const stage1 = `netpol-harness/kit-node-stage1:${k.version}-kit${v.node.kitRevision}`;
  ctx.progress(`docker build ${stage1}`);
  const build = await run('docker', ['build', '-t', stage1, await prepareContext(v, k)], {
    logFile: log,
    env: { DOCKER_BUILDKIT: '0' },
  });
  if (!build.ok) return failed(`stage 1 build failed (see log): ${describeFailure(build)}`);
  const problem = await importImages(ctx, k, stage1, log);
  if (problem === undefined) {
    const commit = await run(
      'docker',
      [
        'commit',
        '--change',
        'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
        '--change',
        'CMD []',
        '--change',
        `LABEL ${recipeLabel}=${await nodeRecipe(v, k)}`,
        buildContainer,
        ref,
      ],
      { logFile: log },
    );
    await run('docker', ['rm', '-f', buildContainer], { logFile: log });
    return commit.ok ? done(ref) : failed(`docker commit failed: ${describeFailure(commit)}`);
  }
  await run('docker', ['rm', '-f', buildContainer], { logFile: log });
  return failed(problem);
}

export const nodeImageStep = nodeImageStepFor();
