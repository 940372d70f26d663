// `kit try-cluster`: creates a kind cluster from the kit's node image with Calico,
// waits until Calico is really ready, and prints how long each phase took. It is
// the kit's own end-to-end check (the harness's cluster layer does this for users).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cache, clustersDir, kindBinary, nodeImageRef, type Versions } from './config.js';
import { kitCalicoManifestPath } from './calico-manifest.js';
import { withoutUpstreamForward } from './coredns.js';
import { binDir } from './go-module.js';
import { describeFailure, formatDuration, run, type CommandResult } from './run.js';

export interface ClusterTimings {
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
}

export const kubeconfigFor = (name: string): string => join(cache.root, 'kubeconfig', name);

function kubectl(v: Versions, kubeconfig: string) {
  const bin = join(binDir(`k8s-${v.kubernetes.version}`), 'kubectl');
  return (args: readonly string[], input?: string): Promise<CommandResult> =>
    run(bin, ['--kubeconfig', kubeconfig, ...args], { input, timeoutMs: 600_000 });
}

/** With `kubernetesVersion`, that version's node image (kubectl stays the default build's: one minor of skew). */
export async function tryCluster(
  v: Versions,
  name: string,
  out = console,
  kubernetesVersion = v.kubernetes.version,
): Promise<number> {
  const kubeconfig = kubeconfigFor(name);
  mkdirSync(join(cache.root, 'kubeconfig'), { recursive: true });
  const k = kubectl(v, kubeconfig);
  const phases: { name: string; ms: number }[] = [];
  const phase = async (label: string, work: () => Promise<CommandResult | string | undefined>): Promise<boolean> => {
    const started = Date.now();
    out.log(`${label} ...`);
    const r = await work();
    const ms = Date.now() - started;
    phases.push({ name: label, ms });
    const problem = typeof r === 'string' ? r : r !== undefined && !r.ok ? describeFailure(r) : undefined;
    if (problem !== undefined) {
      out.error(`${label}: FAILED after ${formatDuration(ms)}\n  ${problem.replace(/\n/g, '\n  ')}`);
      return false;
    }
    out.log(`${label}: ${formatDuration(ms)}`);
    return true;
  };
  const manifest = kitCalicoManifestPath(v);
  if (!existsSync(manifest)) {
    out.error(`${manifest} is missing: run npm run kit -- build`);
    return 1;
  }
  const ok =
    (await phase('kind create cluster', () =>
      run(
        kindBinary(v),
        [
          'create',
          'cluster',
          '--name',
          name,
          '--image',
          nodeImageRef(v, kubernetesVersion),
          '--config',
          join(clustersDir, 'kind-calico.yaml'),
          '--kubeconfig',
          kubeconfig,
          '--retain',
        ],
        { timeoutMs: 600_000 },
      ),
    )) &&
    (await phase('CoreDNS: answer cluster names only', () => patchCoreDns(k))) &&
    (await phase('install Calico', () => k(['create', '-f', manifest]))) &&
    (await phase('calico-node ready', () =>
      k(['-n', 'kube-system', 'rollout', 'status', 'daemonset/calico-node', '--timeout=600s']),
    )) &&
    (await phase('calico-kube-controllers ready', () =>
      k(['-n', 'kube-system', 'rollout', 'status', 'deployment/calico-kube-controllers', '--timeout=300s']),
    )) &&
    (await phase('nodes Ready', () => k(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s']))) &&
    (await phase('CoreDNS ready', () =>
      k(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=300s']),
    ));
  const total = phases.reduce((sum, p) => sum + p.ms, 0);
  out.log(`\n${ok ? 'cluster ready' : 'cluster NOT ready'}: ${name} (kubeconfig ${kubeconfig})`);
  for (const p of phases) out.log(`  ${formatDuration(p.ms).padStart(7)}  ${p.name}`);
  out.log(`  ${formatDuration(total).padStart(7)}  total`);
  if (!ok)
    out.log(
      `inspect: ${kindBinary(v)} export logs --name ${name}; delete: ${kindBinary(v)} delete cluster --name ${name}`,
    );
  return ok ? 0 : 1;
}

async function patchCoreDns(k: ReturnType<typeof kubectl>): Promise<CommandResult | string | undefined> {
  const get = await k(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'json']);
  if (!get.ok) return get;
  const cm = JSON.parse(get.stdout) as { data?: Record<string, string> };
  const corefile = cm.data?.['Corefile'];
  if (corefile === undefined) return 'configmap coredns has no Corefile';
  const patch = JSON.stringify({ data: { Corefile: withoutUpstreamForward(corefile) } });
  const applied = await k(['-n', 'kube-system', 'patch', 'configmap', 'coredns', '--type', 'merge', '-p', patch]);
  if (!applied.ok) return applied;
  return k(['-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns']);
}
