import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVersions, nodeImageRef } from '../../../scripts/offline-kit/config.js';
import { allImages, nodeImages } from '../../../scripts/offline-kit/images.js';
import {
  defaultRelease,
  etcdModuleVersion,
  kubeadmImageTags,
  kubernetesChoices,
  kubernetesRelease,
  releaseFromTags,
  stagingVersionFor,
} from '../../../scripts/offline-kit/kubernetes-release.js';
import { nodeDockerfile } from '../../../scripts/offline-kit/node-dockerfile.js';
import { buildSteps, kubernetesOfStep } from '../../../scripts/offline-kit/steps/all.js';
import { corednsBuild, etcdBuild, kubernetesBuild } from '../../../scripts/offline-kit/steps/go-builds.js';

const v = loadVersions();

/** The shape of kubeadm's constants.go around the three tags (our own lines, not upstream's file). */
function constantsGo(etcdMap: string, extra = ''): string {
  return [
    'const (',
    '\tDefaultEtcdVersion = "9.9.9-0"',
    '\tCoreDNSVersion = "v1.13.1"',
    '\tPauseVersion = "3.10.1"',
    ')',
    'var (',
    '\tSupportedEtcdVersion = map[uint8]string{',
    etcdMap,
    '\t}',
    extra,
    ')',
  ].join('\n');
}

describe('the Kubernetes versions the offline kit builds', () => {
  describe('what kubeadm of a version asks for is read from its constants.go', () => {
    it('etcd: the SupportedEtcdVersion entry of its own minor (v1.34 and older write the minor out)', () => {
      const source = constantsGo('\t\t33: "3.5.24-0",\n\t\t34: "3.6.5-0",');
      expect(kubeadmImageTags(source, 'v1.34.4')).to.deep.equal({
        etcd: '3.6.5-0',
        coredns: 'v1.13.1',
        pause: '3.10.1',
      });
      expect(kubeadmImageTags(source, 'v1.33.13')).to.include({ etcd: '3.5.24-0' });
    });

    it("etcd: from v1.35 the entries are skews of kubeadm's own version; skew 0 is the one it asks for", () => {
      const source = constantsGo(
        [
          '\t\tuint8(getSkewedKubernetesVersion(-2).Minor()): "3.5.24-0",',
          '\t\tuint8(getSkewedKubernetesVersion(-1).Minor()): "3.6.5-0",',
          '\t\tuint8(getSkewedKubernetesVersion(0).Minor()):  "3.6.6-0",',
        ].join('\n'),
      );
      expect(kubeadmImageTags(source, 'v1.35.4')).to.include({ etcd: '3.6.6-0' });
    });

    it('says which constant is missing instead of guessing', () => {
      expect(kubeadmImageTags(constantsGo('\t\t34: "3.6.5-0",'), 'v1.35.4')).to.equal(
        "kubeadm v1.35.4's constants.go has no SupportedEtcdVersion[35]",
      );
      expect(kubeadmImageTags('package constants', 'v1.35.4')).to.match(
        /no SupportedEtcdVersion\[35\], CoreDNSVersion, PauseVersion/,
      );
    });

    it('the staging modules are v0.Y.Z for v1.Y.Z; etcd 3.6.6-0 is module v3.6.6', () => {
      expect(stagingVersionFor('v1.35.4')).to.equal('v0.35.4');
      expect(stagingVersionFor('v1.33.13')).to.equal('v0.33.13');
      expect(() => stagingVersionFor('1.35')).to.throw(/not a Kubernetes release version/);
      expect(etcdModuleVersion('3.6.6-0')).to.equal('v3.6.6');
      expect(v.kubernetes.stagingVersion).to.equal(stagingVersionFor(v.kubernetes.version));
    });
  });

  describe('clusters/versions.yaml', () => {
    it('lists at least v1.33.13 and v1.35.4 besides the default v1.34.4, which comes first', () => {
      expect(kubernetesChoices(v)[0]).to.equal(v.kubernetes.version);
      expect(kubernetesChoices(v)).to.include.members(['v1.33.13', 'v1.34.4', 'v1.35.4']);
    });

    it('refuses extra versions that are malformed, repeat the default or repeat themselves', () => {
      const dir = mkdtempSync(join(tmpdir(), 'kit-versions-'));
      const text = readFileSync('clusters/versions.yaml', 'utf8');
      const cases: Array<[string, RegExp]> = [
        ['[1.35]', /must be a list of versions like v1\.35\.4, got 1\.35/],
        ['[v1.34.4]', /repeats the default version v1\.34\.4/],
        ['[v1.35.4, v1.35.4]', /lists v1\.35\.4 twice/],
        ['v1.35.4', /must be a list/],
      ];
      try {
        for (const [list, says] of cases) {
          const file = join(dir, 'versions.yaml');
          writeFileSync(file, text.replace(/extraVersions: .*/, `extraVersions: ${list}`));
          expect(() => loadVersions(file), list).to.throw(says);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a version it does not list is refused, naming where versions are listed', async () => {
      expect(await kubernetesRelease(v, 'v1.99.0')).to.match(/not in clusters\/versions\.yaml/);
      expect(await kubernetesRelease(v, v.kubernetes.version)).to.deep.equal(defaultRelease(v));
    });
  });

  describe('the build', () => {
    const extra = releaseFromTags('v1.35.4', { etcd: '3.6.6-0', coredns: 'v1.13.1', pause: '3.10.1' });

    it('by default builds the one version, with the same steps as before', () => {
      const ids = buildSteps(v).map((s) => s.id);
      expect(ids).to.deep.equal([
        'docker',
        'kind',
        'rootfs-base',
        'rootfs-node',
        'pause',
        'crictl',
        'netpol-server',
        'etcd',
        'coredns',
        'kubernetes',
        'calico',
        'calico-manifest',
        'images',
        'node-image',
      ]);
      expect(buildSteps(v, { kubernetes: [v.kubernetes.version] }).map((s) => s.id)).to.deep.equal(ids);
    });

    it("--kubernetes adds the extra version's steps after the default ones, which it reuses", () => {
      const ids = buildSteps(v, { kubernetes: ['v1.35.4'] }).map((s) => s.id);
      expect(ids.slice(-6)).to.deep.equal([
        'kubeadm-tags-v1.35.4',
        'etcd-v1.35.4',
        'coredns-v1.35.4',
        'kubernetes-v1.35.4',
        'images-v1.35.4',
        'node-image-v1.35.4',
      ]);
      expect(ids.slice(0, -6)).to.deep.equal(buildSteps(v).map((s) => s.id));
      expect(kubernetesOfStep(v, 'kubernetes-v1.35.4')).to.equal('v1.35.4');
      expect(kubernetesOfStep(v, 'kubernetes')).to.equal(undefined);
    });

    it('an extra version builds etcd and CoreDNS at the versions its kubeadm asks for, cached by their version', () => {
      expect(etcdBuild(v, extra).key).to.equal('etcd-v3.6.6');
      expect(etcdBuild(v, extra).goMod).to.contain(`require ${v.etcd.module} v3.6.6`);
      expect(corednsBuild(v, extra).key).to.equal('coredns-v1.13.1');
      expect(etcdBuild(v).key).to.equal(`etcd-${v.etcd.version}`);
    });

    it('its Kubernetes build uses its staging version and leaves agnhost to the default build', () => {
      const goMod = 'replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n)\n';
      const build = kubernetesBuild(extra, goMod);
      expect(build.key).to.equal('k8s-v1.35.4');
      expect(build.goMod).to.contain('k8s.io/api => k8s.io/api v0.35.4');
      expect(build.binaries.map((b) => b.out)).to.not.include('agnhost');
      expect(kubernetesBuild(defaultRelease(v), goMod).binaries.map((b) => b.out)).to.include('agnhost');
    });

    it('its node image carries its own control plane, etcd, CoreDNS and pause, and the shared Calico and probe', () => {
      expect(nodeImages(v, extra).map((s) => s.ref)).to.deep.equal([
        'registry.k8s.io/kube-apiserver:v1.35.4',
        'registry.k8s.io/kube-controller-manager:v1.35.4',
        'registry.k8s.io/kube-scheduler:v1.35.4',
        'registry.k8s.io/kube-proxy:v1.35.4',
        'registry.k8s.io/etcd:3.6.6-0',
        'registry.k8s.io/coredns/coredns:v1.13.1',
        'registry.k8s.io/pause:3.10.1',
      ]);
      const shared = allImages(v).slice(nodeImages(v).length);
      expect(allImages(v, extra).slice(nodeImages(v, extra).length)).to.deep.equal(shared);
      expect(nodeImageRef(v, 'v1.35.4')).to.equal(`${v.node.image}:v1.35.4-kit${v.node.kitRevision}`);
    });

    it("its node image's containerd sandbox is its kubeadm's pause, and /kind/version its version", () => {
      const older = releaseFromTags('v1.33.13', { etcd: '3.5.24-0', coredns: 'v1.12.0', pause: '3.10' });
      const dockerfile = nodeDockerfile('base', older);
      expect(dockerfile).to.contain('sandbox_image = "registry.k8s.io/pause:3.10"');
      expect(dockerfile).to.contain('echo v1.33.13 > /kind/version');
    });
  });
});
