import { expect } from 'chai';
import { stringify } from 'yaml';
import {
  ciliumManifestProblems,
  ciliumValues,
  helmTemplateArgs,
} from '../../../scripts/offline-kit/cilium-manifest.js';
import { loadVersions } from '../../../scripts/offline-kit/config.js';
import { dockerfile } from '../../../scripts/offline-kit/images.js';
import { buildSteps, groupOfStep } from '../../../scripts/offline-kit/steps/all.js';
import { ciliumBuild } from '../../../scripts/offline-kit/steps/cilium-build.js';

const v = loadVersions();
const agent = `quay.io/cilium/cilium:${v.cilium.imageTag}`;
const operator = `quay.io/cilium/operator-generic:${v.cilium.imageTag}`;

function rendered(overrides: { agentImage?: string; pullPolicy?: string; extra?: object[] } = {}): string {
  const pod = (image: string) => ({
    template: {
      spec: {
        initContainers: [{ name: 'config', image, imagePullPolicy: overrides.pullPolicy ?? 'IfNotPresent' }],
        containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent' }],
      },
    },
  });
  const docs = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: 'kube-system' },
      data: { 'routing-mode': 'tunnel' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'cilium', namespace: 'kube-system' },
      spec: pod(overrides.agentImage ?? agent),
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cilium-operator', namespace: 'kube-system' },
      spec: pod(operator),
    },
    ...(overrides.extra ?? []),
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

describe('offline kit: Cilium', () => {
  describe('Helm values for kind on this machine', () => {
    const values = ciliumValues(v) as Record<string, Record<string, unknown>>;

    it('keeps kube-proxy and socket LB off (cgroup v1 hybrid host)', () => {
      expect(values['kubeProxyReplacement']).to.equal('false');
      expect(values['socketLB']).to.deep.equal({ enabled: false });
    });

    it('runs without Envoy (it cannot be built here) and without Hubble', () => {
      expect(values['l7Proxy']).to.equal(false);
      expect(values['envoy']).to.deep.equal({ enabled: false });
      expect(values['hubble']).to.deep.equal({ enabled: false });
    });

    it('tunnels with VXLAN and takes pod CIDRs from the nodes (kind podSubnet)', () => {
      expect(values['routingMode']).to.equal('tunnel');
      expect(values['tunnelProtocol']).to.equal('vxlan');
      expect(values['ipam']).to.deep.equal({ mode: 'kubernetes' });
    });

    it('names the images the kit builds, by tag and never by digest, and never pulls', () => {
      expect(values['image']).to.include({
        repository: 'quay.io/cilium/cilium',
        tag: v.cilium.imageTag,
        useDigest: false,
        pullPolicy: 'IfNotPresent',
      });
      expect((values['operator'] as { image: object; replicas: number }).image).to.include({
        repository: 'quay.io/cilium/operator',
        useDigest: false,
      });
      expect((values['operator'] as { replicas: number }).replicas).to.equal(1);
    });

    it("renders for the kit's Kubernetes version into kube-system", () => {
      expect(helmTemplateArgs(v, '/chart', '/values.yaml')).to.deep.equal([
        'template',
        'cilium',
        '/chart',
        '--namespace',
        'kube-system',
        '--kube-version',
        v.kubernetes.version,
        '--values',
        '/values.yaml',
      ]);
    });
  });

  describe('checking the rendered manifest', () => {
    it('accepts the agent DaemonSet and operator Deployment on the two images the kit builds', () => {
      expect(ciliumManifestProblems(rendered(), [agent, operator])).to.deep.equal([]);
    });

    it('reads images the chart writes quoted', () => {
      const quoted = rendered().replaceAll(`image: ${agent}`, `image: "${agent}"`);
      expect(quoted).to.contain(`"${agent}"`);
      expect(ciliumManifestProblems(quoted, [agent, operator])).to.deep.equal([]);
    });

    it('refuses an image the kit does not build (e.g. a digest pin)', () => {
      expect(ciliumManifestProblems(rendered({ agentImage: `${agent}@sha256:abc` }), [agent, operator])).to.deep.equal([
        `images the kit does not build: ${agent}@sha256:abc`,
      ]);
    });

    it('refuses a pull policy that would reach for a registry', () => {
      expect(ciliumManifestProblems(rendered({ pullPolicy: 'Always' }), [agent, operator])).to.deep.equal([
        'imagePullPolicy other than IfNotPresent: Always',
      ]);
    });

    it('refuses Envoy and a manifest without the agent', () => {
      const envoy = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium-envoy' } };
      expect(ciliumManifestProblems(rendered({ extra: [envoy] }), [agent, operator])).to.deep.equal([
        'renders cilium-envoy, which cannot be built here',
      ]);
      expect(ciliumManifestProblems(stringify({ kind: 'ConfigMap', metadata: { name: 'x' } }), [])).to.deep.equal([
        'no DaemonSet cilium',
        'no Deployment cilium-operator',
      ]);
    });
  });

  describe('Go build', () => {
    const build = ciliumBuild(v);

    it("repeats cilium's gobgp replace and skips the checksum DB only for that fork", () => {
      expect(build.goMod).to.contain(`require ${v.cilium.module} ${v.cilium.version}`);
      expect(build.goMod).to.contain(`github.com/osrg/gobgp/v3 => ${v.cilium.gobgp}`);
      expect(build.env).to.deep.equal({ GONOSUMDB: 'github.com/cilium/gobgp/v3' });
    });

    it('builds the generic operator with only the operator IPAM provider, everything with osusergo', () => {
      const op = build.binaries.find((b) => b.out === 'cilium-operator-generic');
      expect(op?.tags).to.deep.equal(['osusergo', 'ipam_provider_operator']);
      expect(build.binaries.filter((b) => b !== op).every((b) => b.tags?.join() === 'osusergo')).to.equal(true);
    });

    it('stamps a version string pkg/version can parse (version, commit, date)', () => {
      expect(build.binaries[0]?.ldflags).to.equal(
        `-X '${v.cilium.module}/pkg/version.ciliumVersion=${v.cilium.version.slice(1)} ${v.cilium.commit} ${v.cilium.commitDate}'`,
      );
    });
  });

  describe('opt-in steps', () => {
    it('leaves the default build as it was and appends the Cilium steps with --with cilium', () => {
      const plain = buildSteps(v).map((s) => s.id);
      const withCilium = buildSteps(v, { with: new Set(['cilium']) }).map((s) => s.id);
      expect(plain).to.not.include('cilium');
      expect(withCilium.slice(0, plain.length)).to.deep.equal(plain);
      expect(withCilium.slice(plain.length)).to.deep.equal([
        'helm',
        'cilium-manifest',
        'rootfs-cilium',
        'cilium',
        'cilium-images',
      ]);
    });

    it('knows which group a step belongs to, so --from cilium needs no --with', () => {
      expect(groupOfStep(v, 'cilium-images')).to.equal('cilium');
      expect(groupOfStep(v, 'calico')).to.equal(undefined);
    });

    it('unpacks a tar with ADD and copies everything else', () => {
      const text = dockerfile(
        {
          ref: 'x',
          files: [
            { src: '/a', dest: '/usr/bin/a' },
            { src: '/b.tar', dest: '/var/lib/cilium/', unpack: true },
          ],
          tail: [],
        },
        'base',
      );
      expect(text.split('\n').slice(0, 3)).to.deep.equal([
        'FROM base',
        'COPY f0 /usr/bin/a',
        'ADD f1 /var/lib/cilium/',
      ]);
    });
  });
});
