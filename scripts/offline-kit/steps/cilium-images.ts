// Step: Cilium's two images, tagged with the names the chart renders. Our own
// rendition of upstream's images/cilium and images/operator Dockerfiles (which need
// BuildKit and registry images): the agent on a Debian rootfs with clang (it compiles
// the BPF datapath from /var/lib/cilium/bpf at run time), the operator on the base.
// They are not baked into the node image: the harness loads them into a Cilium
// cluster's nodes (`kind load docker-image`), so Calico-only builds stay as they were.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cache, type Versions } from '../config.js';
import { ciliumAgentImage, ciliumOperatorImage } from '../cilium-manifest.js';
import { binDir, moduleDir } from '../go-module.js';
import type { ImageSpec } from '../images.js';
import { imageRecipe } from '../recipe.js';
import { describeFailure, sh } from '../run.js';
import { ciliumAgentBinaries, ciliumAt, ciliumBuild, ciliumTitle, ciliumOperatorBinary } from './cilium-build.js';
import { releaseStepId } from './go-builds.js';
import { buildImage, specRecipe } from './images.js';
import { baseRootfs, ciliumRootfs, rootfsImage } from './rootfs.js';
import { done, failed, stepLog, type Step } from './step.js';

/** The module's bpf/ folder as a reproducible tar (same bytes for the same sources, so the recipe holds). */
export const ciliumBpfTar = (v: Versions): string => join(cache.images, `cilium-bpf-${v.cilium.imageTag}.tar`);

/** Upstream's scripts, run by the chart's containers (the zip stores them 0644; buildImage makes them 0755). */
const scripts = [
  ['plugins/cilium-cni/install-plugin.sh', '/install-plugin.sh'],
  ['plugins/cilium-cni/cni-uninstall.sh', '/cni-uninstall.sh'],
  ['images/cilium/init-container.sh', '/init-container.sh'],
] as const;

export function ciliumImages(v: Versions, moduleSrc: string): { spec: ImageSpec; from: string }[] {
  const bins = binDir(ciliumBuild(v).key);
  const agent: ImageSpec = {
    ref: ciliumAgentImage(v),
    files: [
      ...ciliumAgentBinaries
        .filter(([, out]) => out !== 'cilium-cni')
        .map(([, out]) => ({ src: join(bins, out), dest: `/usr/bin/${out}` })),
      { src: join(bins, 'cilium-cni'), dest: '/opt/cni/bin/cilium-cni' },
      ...scripts.map(([src, dest]) => ({ src: join(moduleSrc, src), dest })),
      { src: ciliumBpfTar(v), dest: '/var/lib/cilium/', unpack: true },
    ],
    tail: [
      // install-plugin.sh copies /cni/loopback to nodes that lack one; the agent runs plain `clang`.
      'RUN mkdir -p /cni /home/cilium && cp /usr/lib/cni/loopback /cni/loopback && ' +
        `ln -s /usr/bin/${v.cilium.clang} /usr/local/bin/clang`,
      'ENV INITSYSTEM="SYSTEMD"',
      'WORKDIR /home/cilium',
      'CMD ["/usr/bin/cilium-dbg"]',
    ],
  };
  const operator: ImageSpec = {
    ref: ciliumOperatorImage(v),
    files: [{ src: join(bins, ciliumOperatorBinary), dest: `/usr/bin/${ciliumOperatorBinary}` }],
    tail: [`ENTRYPOINT ["/usr/bin/${ciliumOperatorBinary}"]`],
  };
  return [
    { spec: agent, from: rootfsImage(ciliumRootfs(v)) },
    { spec: operator, from: rootfsImage(baseRootfs(v)) },
  ];
}

async function writeBpfTar(v: Versions, moduleSrc: string, log: string): Promise<string | undefined> {
  mkdirSync(cache.images, { recursive: true });
  const r = await sh(
    'tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=u+w ' +
      `-C '${moduleSrc}' -cf '${ciliumBpfTar(v)}' bpf`,
    { logFile: log },
  );
  return r.ok ? undefined : describeFailure(r);
}

async function stale(v: Versions, moduleSrc: string): Promise<{ spec: ImageSpec; from: string }[]> {
  const out = [];
  for (const image of ciliumImages(v, moduleSrc))
    if ((await imageRecipe(image.spec.ref)) !== (await specRecipe(image.spec, image.from))) out.push(image);
  return out;
}

/** `cilium-images` for the default version, `cilium-images-v1.17.8` for an extra one (tagged with its version). */
export function ciliumImagesStepFor(version?: string): Step {
  const id = releaseStepId('cilium-images', version);
  return {
    id,
    title: ciliumTitle(version, 'images (agent with clang and the BPF sources, operator)'),
    async isDone(ctx) {
      const v = ciliumAt(ctx, version);
      const src = await moduleDir(v.cilium.module, v.cilium.version);
      return typeof src === 'string' && (await stale(v, src).catch(() => ['unreadable'])).length === 0;
    },
    async run(ctx) {
      const log = stepLog(id);
      const v = ciliumAt(ctx, version);
      const src = await moduleDir(v.cilium.module, v.cilium.version);
      if (typeof src !== 'string') return failed(src.error);
      const tarProblem = await writeBpfTar(v, src, log);
      if (tarProblem !== undefined) return failed(`could not pack ${src}/bpf: ${tarProblem}`);
      const images = ctx.force ? ciliumImages(v, src) : await stale(v, src);
      for (const { spec, from } of images) {
        ctx.progress(`docker build ${spec.ref} (from ${from})`);
        const problem = await buildImage(spec, from, log);
        if (problem !== undefined) return failed(`${spec.ref}: ${problem}`);
      }
      return done(`${images.length} built`);
    },
  };
}
