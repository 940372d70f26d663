// Step: the patched calico-vxlan.yaml, written into the cache for the harness's
// offline Calico installer and for try-cluster. Every image it names must be one
// the kit builds (they are all preloaded in the node image).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  kitCalicoManifestPath,
  manifestImages,
  patchCalicoManifest,
  upstreamCalicoManifest,
} from '../calico-manifest.js';
import { calicoImages } from '../images.js';
import { done, failed, type Step } from './step.js';

export const calicoManifestStep: Step = {
  id: 'calico-manifest',
  title: 'Calico manifest (calico-vxlan.yaml from the module, patched for kind)',
  async isDone(ctx) {
    const path = kitCalicoManifestPath(ctx.versions);
    return existsSync(path) && readFileSync(path, 'utf8') === patchCalicoManifest(upstreamCalicoManifest(ctx.versions));
  },
  async run(ctx) {
    const manifest = patchCalicoManifest(upstreamCalicoManifest(ctx.versions));
    const built = new Set(calicoImages(ctx.versions).map((s) => s.ref));
    const unknown = manifestImages(manifest).filter((ref) => !built.has(ref));
    if (unknown.length > 0) return failed(`the manifest uses images the kit does not build: ${unknown.join(', ')}`);
    const path = kitCalicoManifestPath(ctx.versions);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, manifest);
    return done(path);
  },
};
