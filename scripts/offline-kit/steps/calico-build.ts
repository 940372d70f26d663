// Step: Calico binaries (calico-node, the CNI plugin, kube-controllers) from
// the monorepo module. The module zip leaves out its nested modules, which its
// go.mod replaces with ./api, ./lib/std and ./lib/httpmachinery: we put the
// published api and lib/std beside it, and an empty go.mod for
// lib/httpmachinery (only whisker-backend imports it, and it is not published
// at this version). CGO_ENABLED=0: no eBPF dataplane, no BIRD (VXLAN needs neither).
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Versions } from '../config.js';
import { buildRoot, goBuild, goBuildDone, moduleDir, type GoBuild } from '../go-module.js';
import { describeFailure, run } from '../run.js';
import { done, failed, stepLog, type Step } from './step.js';

const noSumDb = { GONOSUMDB: 'github.com/projectcalico' }; // pseudo-versions absent from the checksum DB

export function calicoBuild(v: Versions): GoBuild {
  const b = 'github.com/projectcalico/calico/pkg/buildinfo';
  const commit = v.calico.version.split('-').pop() ?? '';
  const ldflags = `-X ${b}.Version=${v.calico.imageTag} -X ${b}.GitRevision=${commit}`;
  const key = `calico-${v.calico.imageTag}`;
  return {
    key,
    dir: join(buildRoot(key), 'src'),
    env: noSumDb,
    binaries: [
      { pkg: './node/cmd/calico-node', out: 'calico-node', ldflags },
      { pkg: './cni-plugin/cmd/calico', out: 'calico', ldflags },
      { pkg: './cni-plugin/cmd/install', out: 'install', ldflags },
      { pkg: './kube-controllers/cmd/kube-controllers', out: 'kube-controllers', ldflags },
      { pkg: './kube-controllers/cmd/check-status', out: 'check-status', ldflags },
    ],
  };
}

/** The writable source tree: the module zip plus its nested modules. */
export function calicoSourceDir(v: Versions): string {
  return join(buildRoot(`calico-${v.calico.imageTag}`), 'src');
}

async function prepareSource(v: Versions, log: string): Promise<string | undefined> {
  const src = calicoSourceDir(v);
  if (existsSync(join(src, 'lib', 'httpmachinery', 'go.mod'))) return undefined;
  const main = await moduleDir(v.calico.module, v.calico.version, noSumDb);
  if (typeof main !== 'string') return main.error;
  const std = await moduleDir(`${v.calico.module}/lib/std`, v.calico.version, noSumDb);
  if (typeof std !== 'string') return std.error;
  const api = await moduleDir('github.com/projectcalico/api', v.calico.apiVersion, noSumDb);
  if (typeof api !== 'string') return api.error;
  rmSync(src, { recursive: true, force: true });
  cpSync(main, src, { recursive: true });
  cpSync(std, join(src, 'lib', 'std'), { recursive: true });
  cpSync(api, join(src, 'api'), { recursive: true });
  const chmod = await run('chmod', ['-R', 'u+w', src], { logFile: log });
  if (!chmod.ok) return describeFailure(chmod);
  mkdirSync(join(src, 'lib', 'httpmachinery'), { recursive: true });
  writeFileSync(
    join(src, 'lib', 'httpmachinery', 'go.mod'),
    'module github.com/projectcalico/calico/lib/httpmachinery\n\ngo 1.24\n',
  );
  return undefined;
}

export const calicoBuildStep: Step = {
  id: 'calico',
  title: 'Calico binaries (VXLAN, iptables dataplane)',
  async isDone(ctx) {
    return goBuildDone(calicoBuild(ctx.versions));
  },
  async run(ctx) {
    const log = stepLog('calico');
    ctx.progress('preparing the source tree from the module zips');
    const problem = await prepareSource(ctx.versions, log);
    if (problem !== undefined) return failed(problem);
    const build = calicoBuild(ctx.versions);
    const failure = await goBuild(build, log, ctx.progress, ctx.force);
    return failure === undefined ? done(build.key) : failed(describeFailure(failure));
  },
};
