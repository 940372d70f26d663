/**
 * Extra Cilium versions in the offline kit (issue 12): `cilium.extraVersions` of clusters/versions.yaml,
 * `npm run kit -- build --with cilium --cilium VERSION`, and the same Cilium steps at that version's
 * pins, each cached under its version.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBuildArgs } from '../../../scripts/offline-kit/build-args.js';
import {
  ciliumAgentImage,
  ciliumOperatorImage,
  kitCiliumManifestPath,
} from '../../../scripts/offline-kit/cilium-manifest.js';
import { ciliumChoices, loadVersions, withCiliumVersion, type Versions } from '../../../scripts/offline-kit/config.js';
import { buildSteps, ciliumOfStep, groupOfStep } from '../../../scripts/offline-kit/steps/all.js';
import { ciliumBuild } from '../../../scripts/offline-kit/steps/cilium-build.js';
import { ciliumBpfTar } from '../../../scripts/offline-kit/steps/cilium-images.js';
import { ciliumRootfs, rootfsImage } from '../../../scripts/offline-kit/steps/rootfs.js';

const shipped = loadVersions();

/** The shipped pins with these extra Cilium versions, as loadVersions reads them from a file. */
function versionsWith(extra: string): Versions {
  const dir = mkdtempSync(join(tmpdir(), 'kit-cilium-'));
  const file = join(dir, 'versions.yaml');
  const text = readFileSync('clusters/versions.yaml', 'utf8').replace(
    /\n {2}extraVersions:\n(?: {4}.*\n| *#.*\n)*/,
    `\n  extraVersions: ${extra}\n`,
  );
  writeFileSync(file, text);
  try {
    return loadVersions(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const v = versionsWith(
  '[{version: v1.18.2, commit: 5bd307a8f6fb, commitDate: "2025-09-26T10:00:00Z"}, ' +
    '{version: v1.17.8, commit: 03b5572f35bb, commitDate: "2025-09-17T19:10:44Z", packages: [bpftool]}]',
);

describe('offline kit: extra Cilium versions', () => {
  describe('clusters/versions.yaml', () => {
    it('lists at least one extra version besides the default, which comes first', () => {
      expect(ciliumChoices(shipped)[0]).to.equal(shipped.cilium.version);
      expect(ciliumChoices(shipped).length).to.be.greaterThan(1);
      expect(ciliumChoices(v)).to.deep.equal([shipped.cilium.version, 'v1.18.2', 'v1.17.8']);
    });

    it("an extra version has its own pins, the default's for the rest, and its version as image tag", () => {
      const at = withCiliumVersion(v, 'v1.17.8').cilium;
      expect(at).to.include({
        module: shipped.cilium.module,
        version: 'v1.17.8',
        commit: '03b5572f35bb',
        commitDate: '2025-09-17T19:10:44Z',
        imageTag: 'v1.17.8',
        gobgp: shipped.cilium.gobgp,
        clang: shipped.cilium.clang,
      });
      expect(at.packages).to.deep.equal(['bpftool']);
      expect(withCiliumVersion(v, shipped.cilium.version)).to.equal(v);
      expect(() => withCiliumVersion(v, 'v1.17.9')).to.throw(/Cilium v1\.17\.9 is not in clusters\/versions\.yaml/);
    });

    it('refuses entries that are malformed, repeat a version or pin something it does not know', () => {
      const entry = (fields: string) =>
        `[{version: v1.18.2, commit: 5bd307a8f6fb, commitDate: "2025-09-26", ${fields}}]`;
      const cases: Array<[string, RegExp]> = [
        ['v1.18.2', /must be a list of objects with version, commit and commitDate/],
        ['[v1.18.2]', /must be a list of objects/],
        ['[{version: 1.18.2, commit: 5bd307a8f6fb, commitDate: "2025-09-26"}]', /needs a version like v1\.18\.2/],
        [
          `[{version: ${shipped.cilium.version}, commit: 5bd307a8f6fb, commitDate: "2025-09-26"}]`,
          /repeats the default/,
        ],
        ['[{version: v1.18.2, commit: main, commitDate: "2025-09-26"}]', /v1\.18\.2: commit must be the tag's commit/],
        ['[{version: v1.18.2, commit: 5bd307a8f6fb}]', /v1\.18\.2: commitDate must be a date/],
        [entry('imageTag: latest'), /has an unknown field imageTag/],
        [entry('packages: bpftool'), /packages must be a list of Debian package names/],
        [`[${entry('clang: clang-19').slice(1, -1)}, ${entry('gobgp: x').slice(1, -1)}]`, /lists v1\.18\.2 twice/],
      ];
      for (const [extra, says] of cases) expect(() => versionsWith(extra), extra).to.throw(says);
    });
  });

  describe('npm run kit -- build --cilium', () => {
    it('takes listed versions, with or without the v, as a comma list or the flag twice', () => {
      const args = parseBuildArgs(['--cilium', 'v1.18.2,1.17.8', '--cilium', 'v1.18.2'], v);
      expect(args).to.deep.include({ cilium: ['v1.18.2', 'v1.17.8'], kubernetes: [] });
    });

    it('refuses a version it does not list in one line, naming the choices and the default', () => {
      expect(parseBuildArgs(['--cilium', 'v1.17.9'], v)).to.equal(
        `--cilium: "v1.17.9" is not in clusters/versions.yaml ` +
          `(choose from ${shipped.cilium.version}, v1.18.2, v1.17.8; the first is the default build)`,
      );
    });

    it('naming a step of an extra version implies it (and Cilium)', () => {
      expect(parseBuildArgs(['--from', 'cilium-images-v1.17.8'], v)).to.deep.include({ cilium: ['v1.17.8'] });
      expect(ciliumOfStep(v, 'cilium-v1.18.2')).to.equal('v1.18.2');
      expect(ciliumOfStep(v, 'cilium')).to.equal(undefined);
      expect(groupOfStep(v, 'rootfs-cilium-v1.17.8')).to.equal('cilium');
    });
  });

  describe('the build', () => {
    it("appends each version's steps after the default Cilium steps, which it implies", () => {
      const withCilium = buildSteps(v, { with: new Set(['cilium']) }).map((s) => s.id);
      const ids = buildSteps(v, { cilium: ['v1.17.8', shipped.cilium.version] }).map((s) => s.id);
      expect(ids.slice(0, withCilium.length)).to.deep.equal(withCilium);
      expect(ids.slice(withCilium.length)).to.deep.equal([
        'cilium-manifest-v1.17.8',
        'rootfs-cilium-v1.17.8',
        'cilium-v1.17.8',
        'cilium-images-v1.17.8',
      ]);
    });

    it('caches binaries, images, manifest and BPF sources under the version; the default keeps its keys', () => {
      const at = withCiliumVersion(v, 'v1.18.2');
      expect(ciliumBuild(at).key).to.equal('cilium-v1.18.2');
      expect(ciliumBuild(v).key).to.equal(`cilium-${shipped.cilium.imageTag}`);
      expect([ciliumAgentImage(at), ciliumOperatorImage(at)]).to.deep.equal([
        'quay.io/cilium/cilium:v1.18.2',
        'quay.io/cilium/operator-generic:v1.18.2',
      ]);
      expect(kitCiliumManifestPath(at)).to.match(/\/manifests\/cilium-v1\.18\.2\.yaml$/);
      expect(ciliumBpfTar(at)).to.match(/\/cilium-bpf-v1\.18\.2\.tar$/);
    });

    it('stamps the version string of that version and requires that module version', () => {
      const build = ciliumBuild(withCiliumVersion(v, 'v1.17.8'));
      expect(build.goMod).to.contain(`require ${shipped.cilium.module} v1.17.8`);
      expect(build.binaries[0]?.ldflags).to.equal(
        `-X '${shipped.cilium.module}/pkg/version.ciliumVersion=1.17.8 03b5572f35bb 2025-09-17T19:10:44Z'`,
      );
    });

    it("shares the agent's root filesystem unless the version needs other packages", () => {
      expect(rootfsImage(ciliumRootfs(withCiliumVersion(v, 'v1.18.2')))).to.equal(rootfsImage(ciliumRootfs(v)));
      const own = ciliumRootfs(withCiliumVersion(v, 'v1.17.8'));
      expect(own.packages).to.include('bpftool');
      expect(rootfsImage(own)).to.not.equal(rootfsImage(ciliumRootfs(v)));
    });
  });
});
