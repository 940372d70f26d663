// Steps: every binary the kit needs, built from the Go module proxy.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clustersDir, kitFiles, type Versions } from '../config.js';
import { buildRoot, goBuild, goBuildDone, moduleDir, type GoBuild } from '../go-module.js';
import { defaultRelease, kubernetesRelease, type KubernetesRelease } from '../kubernetes-release.js';
import { describeFailure } from '../run.js';
import { done, failed, stepLog, type Step, type StepContext } from './step.js';

export const wrapperModule = (name: string, requires: string, replaces: readonly string[] = []): string =>
  [
    `module netpol-harness.local/kit/${name}`,
    '',
    'go 1.24.0',
    '',
    `require ${requires}`,
    '',
    ...(replaces.length === 0 ? [] : ['replace (', ...replaces.map((r) => `\t${r}`), ')', '']),
  ].join('\n');

export function kindBuild(v: Versions): GoBuild {
  return {
    key: `kind-${v.kind.version}`,
    goMod: wrapperModule('kind', `${v.kind.module} ${v.kind.version}`),
    binaries: [{ pkg: v.kind.module, out: 'kind' }],
  };
}

function k8sLdflags(version: string): string {
  const minor = version.split('.')[1] ?? '';
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((p) => [
      `-X ${p}.gitVersion=${version}`,
      `-X ${p}.gitMajor=1`,
      `-X ${p}.gitMinor=${minor}`,
      `-X ${p}.gitTreeState=clean`,
      `-X ${p}.gitCommit=0000000000000000000000000000000000000000`,
      `-X ${p}.buildDate=1970-01-01T00:00:00Z`,
    ])
    .join(' ');
}

export const kubernetesCommands = [
  'kubeadm',
  'kubelet',
  'kubectl',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
] as const;

/** Where a release's Kubernetes binaries go (`go/k8s-v1.35.4/bin`). */
export const kubernetesKey = (version: string): string => `k8s-${version}`;

/**
 * k8s.io/kubernetes replaces its staging modules with ./staging/...; we replace them with the published
 * versions. agnhost (the probe image) comes from the default release only.
 */
export function kubernetesBuild(k: KubernetesRelease, kubernetesGoMod: string): GoBuild {
  const { version, stagingVersion } = k;
  const staging = [...kubernetesGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+) => \.\/staging\//gm)].map((m) => m[1] ?? '');
  const ldflags = k8sLdflags(version);
  return {
    key: kubernetesKey(version),
    goMod: wrapperModule(
      'kubernetes',
      `k8s.io/kubernetes ${version}`,
      staging.map((m) => `${m} => ${m} ${stagingVersion}`),
    ),
    binaries: [
      ...kubernetesCommands.map((c) => ({ pkg: `k8s.io/kubernetes/cmd/${c}`, out: c, ldflags })),
      ...(k.isDefault ? [{ pkg: 'k8s.io/kubernetes/test/images/agnhost', out: 'agnhost', ldflags }] : []),
    ],
  };
}

/** etcd at the version a release's kubeadm asks for, keyed by etcd's version (releases share it). */
export const etcdBuild = (v: Versions, k = defaultRelease(v)): GoBuild => ({
  key: `etcd-${k.etcd.version}`,
  goMod: wrapperModule('etcd', `${v.etcd.module} ${k.etcd.version}`),
  binaries: [{ pkg: v.etcd.module, out: 'etcd' }],
});

/** k8s.io modules cri-tools v1.34.0 requires at v0.34.0-rc.2, which the checksum database here does not know. */
const crictlK8sModules = [
  'api',
  'apimachinery',
  'client-go',
  'cri-api',
  'cri-client',
  'kubectl',
  'kubelet',
  'cli-runtime',
  'component-base',
];

/**
 * The checksum database here does not know cri-tools' versions (404); its k8s.io deps are raised to our
 * staging version.
 */
export const crictlBuild = (v: Versions): GoBuild => ({
  key: `crictl-${v.crictl.version}`,
  goMod: wrapperModule(
    'crictl',
    `${v.crictl.module} ${v.crictl.version}`,
    crictlK8sModules.map((m) => `k8s.io/${m} => k8s.io/${m} ${v.kubernetes.stagingVersion}`),
  ),
  env: { GONOSUMDB: v.crictl.module },
  binaries: [
    {
      pkg: `${v.crictl.module}/cmd/crictl`,
      out: 'crictl',
      ldflags: `-X ${v.crictl.module}/pkg/version.Version=${v.crictl.version}`,
    },
  ],
});

/** Our own workload server and batch prober (clusters/images/netpol-server), keyed by its source. */
export const netpolServerDir = join(clustersDir, 'images', 'netpol-server');

export const netpolServerBuild = (_v: Versions): GoBuild => {
  const sources = existsSync(netpolServerDir)
    ? readdirSync(netpolServerDir)
        .filter((f) => f.endsWith('.go') || f === 'go.mod')
        .sort()
    : [];
  const hash = createHash('sha256');
  for (const f of sources) hash.update(f).update(readFileSync(join(netpolServerDir, f)));
  return {
    key: `netpol-server-${hash.digest('hex').slice(0, 8)}`,
    dir: netpolServerDir,
    binaries: [{ pkg: '.', out: 'netpol-server' }],
  };
};

export const corednsBuild = (v: Versions, k = defaultRelease(v)): GoBuild => ({
  key: `coredns-${k.coredns}`,
  goMod: wrapperModule('coredns', `${v.coredns.module} ${k.coredns}`),
  binaries: [
    {
      pkg: v.coredns.module,
      out: 'coredns',
      ldflags: `-X github.com/coredns/coredns/coremain.GitCommit=${k.coredns}`,
    },
  ],
});

/** Our own pause binary (scripts/offline-kit/files/pause); keyed by its source so edits rebuild it. */
export const pauseBuild = (_v: Versions): GoBuild => ({
  key: `pause-kit-${createHash('sha256')
    .update(readFileSync(join(kitFiles, 'pause', 'main.go')))
    .digest('hex')
    .slice(0, 8)}`,
  goMod: 'module netpol-harness.local/kit/pause\n\ngo 1.24.0\n',
  binaries: [{ pkg: '.', out: 'pause' }],
});

export function goStep(
  id: string,
  title: string,
  make: (ctx: StepContext) => Promise<GoBuild | string>,
  prepare?: (b: GoBuild) => void,
): Step {
  return {
    id,
    title,
    async isDone(ctx) {
      const build = await make(ctx);
      return typeof build !== 'string' && goBuildDone(build);
    },
    async run(ctx) {
      const build = await make(ctx);
      if (typeof build === 'string') return failed(build);
      prepare?.(build);
      const failure = await goBuild(build, stepLog(id), ctx.progress, ctx.force);
      return failure === undefined ? done(build.key) : failed(describeFailure(failure));
    },
  };
}

/** A step's id at a version: `etcd` for the default one, `etcd-v1.35.4` for an extra one (Kubernetes or Cilium). */
export const releaseStepId = (id: string, version: string | undefined): string =>
  version === undefined ? id : `${id}-${version}`;

/** A step's build for a release (undefined: the default one), or why it cannot be made. */
function forRelease(
  version: string | undefined,
  make: (ctx: StepContext, k: KubernetesRelease) => Promise<GoBuild | string>,
): (ctx: StepContext) => Promise<GoBuild | string> {
  return async (ctx) => {
    const k = await kubernetesRelease(ctx.versions, version ?? ctx.versions.kubernetes.version);
    return typeof k === 'string' ? k : make(ctx, k);
  };
}

export function kubernetesStepFor(version?: string): Step {
  const title = version === undefined ? 'Kubernetes binaries and agnhost' : `Kubernetes ${version} binaries`;
  return goStep(
    releaseStepId('kubernetes', version),
    title,
    forRelease(version, async (_ctx, k) => {
      const dir = await moduleDir('k8s.io/kubernetes', k.version);
      return typeof dir === 'string' ? kubernetesBuild(k, readFileSync(join(dir, 'go.mod'), 'utf8')) : dir.error;
    }),
  );
}

export function etcdStepFor(version?: string): Step {
  const title = version === undefined ? 'etcd' : `etcd for Kubernetes ${version}`;
  return goStep(
    releaseStepId('etcd', version),
    title,
    forRelease(version, async (ctx, k) => etcdBuild(ctx.versions, k)),
  );
}

export function corednsStepFor(version?: string): Step {
  const title = version === undefined ? 'CoreDNS' : `CoreDNS for Kubernetes ${version}`;
  return goStep(
    releaseStepId('coredns', version),
    title,
    forRelease(version, async (ctx, k) => corednsBuild(ctx.versions, k)),
  );
}

export const kindStep = goStep('kind', 'kind CLI', async (ctx) => kindBuild(ctx.versions));
export const kubernetesStep = kubernetesStepFor();
export const etcdStep = etcdStepFor();
export const crictlStep = goStep('crictl', 'crictl', async (ctx) => crictlBuild(ctx.versions));
export const netpolServerStep = goStep('netpol-server', 'netpol-server (our probe server)', async (ctx) =>
  netpolServerBuild(ctx.versions),
);
export const corednsStep = corednsStepFor();
export const pauseStep = goStep(
  'pause',
  'pause',
  async (ctx) => pauseBuild(ctx.versions),
  (build) => {
    mkdirSync(buildRoot(build.key), { recursive: true });
    copyFileSync(join(kitFiles, 'pause', 'main.go'), join(buildRoot(build.key), 'main.go'));
  },
);
