// Steps: Cilium's Go binaries and helm, from the Go module proxy (only with
// `--with cilium`). A wrapper module requires github.com/cilium/cilium and repeats
// its one runtime replace (osrg/gobgp/v3 -> cilium's fork, a pseudo-version the
// checksum database does not know: GONOSUMDB). CGO_ENABLED=0 as upstream
// (Makefile.defs): the datapath is loaded through pure-Go cilium/ebpf.
import { withCiliumVersion, type Versions } from '../config.js';
import type { GoBuild } from '../go-module.js';
import { goStep, releaseStepId, wrapperModule } from './go-builds.js';
import type { Step, StepContext } from './step.js';

/** Binaries of the agent image (upstream's SUBDIRS_CILIUM_CONTAINER without bugtool), package -> name. */
export const ciliumAgentBinaries = [
  ['daemon', 'cilium-agent'],
  ['cilium-dbg', 'cilium-dbg'],
  ['cilium-health', 'cilium-health'],
  ['cilium-health/responder', 'cilium-health-responder'],
  ['tools/mount', 'cilium-mount'],
  ['tools/sysctlfix', 'cilium-sysctlfix'],
  ['plugins/cilium-cni', 'cilium-cni'],
] as const;

export const ciliumOperatorBinary = 'cilium-operator-generic';

export function ciliumBuild(v: Versions): GoBuild {
  const m = v.cilium.module;
  const [gobgpFork = ''] = v.cilium.gobgp.split(' ');
  // "1.18.3 <commit> <date>": pkg/version.FromString wants exactly these fields before the Go version.
  const version = `${v.cilium.version.replace(/^v/, '')} ${v.cilium.commit} ${v.cilium.commitDate}`;
  const ldflags = `-X '${m}/pkg/version.ciliumVersion=${version}'`;
  const tags = ['osusergo'];
  return {
    key: `cilium-${v.cilium.imageTag}`,
    goMod: wrapperModule('cilium', `${m} ${v.cilium.version}`, [`github.com/osrg/gobgp/v3 => ${v.cilium.gobgp}`]),
    env: { GONOSUMDB: gobgpFork },
    binaries: [
      ...ciliumAgentBinaries.map(([pkg, out]) => ({ pkg: `${m}/${pkg}`, out, ldflags, tags })),
      // operator/Makefile: the generic variant is the operator built with only this IPAM provider.
      { pkg: `${m}/operator`, out: ciliumOperatorBinary, ldflags, tags: [...tags, 'ipam_provider_operator'] },
    ],
  };
}

export const helmBuild = (v: Versions): GoBuild => ({
  key: `helm-${v.helm.version}`,
  goMod: wrapperModule('helm', `${v.helm.module} ${v.helm.version}`),
  binaries: [
    {
      pkg: `${v.helm.module}/cmd/helm`,
      out: 'helm',
      ldflags: `-X ${v.helm.module}/internal/version.version=${v.helm.version}`,
    },
  ],
});

/** The pins a Cilium step builds with: the default version's (undefined), or an extra version's. */
export const ciliumAt = (ctx: StepContext, version: string | undefined): Versions =>
  version === undefined ? ctx.versions : withCiliumVersion(ctx.versions, version);

/** A Cilium step's title: `Cilium binaries (...)`, `Cilium v1.18.2 binaries (...)`. */
export const ciliumTitle = (version: string | undefined, what: string): string =>
  `Cilium ${version === undefined ? '' : `${version} `}${what}`;

/** `cilium` for the default version, `cilium-v1.17.8` for an extra one (cached in `go/cilium-<tag>`). */
export const ciliumBuildStepFor = (version?: string): Step =>
  goStep(
    releaseStepId('cilium', version),
    ciliumTitle(version, 'binaries (agent, CNI plugin, health, init helpers, operator)'),
    async (ctx) => ciliumBuild(ciliumAt(ctx, version)),
  );
export const helmStep = goStep('helm', 'helm (renders the Cilium chart)', async (ctx) => helmBuild(ctx.versions));
