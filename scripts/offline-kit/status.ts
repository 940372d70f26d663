// `kit status`: which images and builds exist, their versions and sizes.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cache, nodeImageRef, type Versions } from './config.js';
import { allImages, nodeImages } from './images.js';
import { kubernetesRelease } from './kubernetes-release.js';
import { run } from './run.js';
import { baseRootfs, nodeRootfs, rootfsImage } from './steps/rootfs.js';

async function imageLine(ref: string): Promise<string> {
  const r = await run('docker', ['image', 'inspect', '--format', '{{.Size}} {{.Created}}', ref]);
  if (!r.ok) return `  missing  ${ref}`;
  const [size = '0', created = ''] = r.stdout.trim().split(' ');
  return `  ${`${(Number(size) / 2 ** 20).toFixed(0)} MiB`.padStart(9)}  ${ref}  (built ${created.slice(0, 19)})`;
}

export async function status(v: Versions, out = console): Promise<number> {
  out.log(`cache: ${cache.root}`);
  const du = await run('du', ['-sh', cache.root]);
  if (du.ok) out.log(`  ${du.stdout.split('\t')[0] ?? ''} on disk`);
  out.log('go builds:');
  const builds = existsSync(cache.go) ? readdirSync(cache.go).filter((d) => existsSync(join(cache.go, d, 'bin'))) : [];
  for (const b of builds) out.log(`  ${b}: ${readdirSync(join(cache.go, b, 'bin')).join(', ') || '(none yet)'}`);
  out.log('images:');
  const refs = [
    rootfsImage(baseRootfs(v)),
    rootfsImage(nodeRootfs(v)),
    ...allImages(v).map((s) => s.ref),
    nodeImageRef(v),
  ];
  let missing = 0;
  for (const ref of refs) {
    const line = await imageLine(ref);
    if (line.includes('missing')) missing++;
    out.log(line);
  }
  out.log(missing === 0 ? 'all images present' : `${missing} image(s) missing: npm run kit -- build`);
  const extra = v.kubernetes.extraVersions ?? [];
  if (extra.length > 0) out.log('extra Kubernetes versions (built with npm run kit -- build --kubernetes VERSION):');
  for (const version of extra) out.log(await imageLine(nodeImageRef(v, version)));
  return 0;
}

/** What an extra version added: its node image and its own component images (kept when shared). */
async function extraImageRefs(v: Versions): Promise<string[]> {
  const shared = new Set(allImages(v).map((s) => s.ref));
  const refs: string[] = [];
  for (const version of v.kubernetes.extraVersions ?? []) {
    refs.push(nodeImageRef(v, version));
    const k = await kubernetesRelease(v, version);
    if (typeof k !== 'string') refs.push(...nodeImages(v, k).map((s) => s.ref));
  }
  return [...new Set(refs)].filter((ref) => !shared.has(ref));
}

/** Removes intermediate build state; with `all`, the whole cache and the kit's images. */
export async function clean(v: Versions, all: boolean, out = console): Promise<number> {
  await run('docker', ['rm', '-f', 'netpol-harness-kit-node-build']);
  const stage1 = await run('docker', ['images', '-q', 'netpol-harness/kit-node-stage1']);
  for (const id of stage1.stdout.split('\n').filter(Boolean)) await run('docker', ['rmi', '-f', id]);
  rmSync(join(cache.images, 'ctx'), { recursive: true, force: true });
  out.log('removed build containers, stage-1 images and build contexts');
  if (!all) return 0;
  const refs = [
    rootfsImage(baseRootfs(v)),
    rootfsImage(nodeRootfs(v)),
    ...allImages(v).map((s) => s.ref),
    nodeImageRef(v),
    ...(await extraImageRefs(v)),
  ];
  for (const ref of refs) await run('docker', ['rmi', '-f', ref]);
  rmSync(cache.root, { recursive: true, force: true });
  out.log(`removed the kit's images and ${cache.root}`);
  return 0;
}
