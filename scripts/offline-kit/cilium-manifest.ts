// Cilium's manifest: the chart from the pinned module zip (install/kubernetes/cilium),
// rendered by `helm template` at build time (never committed) with the values kind
// needs on this machine. Pure, but for the paths.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cache, type Versions } from './config.js';

export const ciliumAgentImage = (v: Versions): string => `quay.io/cilium/cilium:${v.cilium.imageTag}`;
/** The chart appends `-generic` (the cloud-less IPAM variant) to operator.image.repository. */
export const ciliumOperatorImage = (v: Versions): string => `quay.io/cilium/operator-generic:${v.cilium.imageTag}`;

/**
 * Helm values for kind here (see NOTES.md, "Cilium"): VXLAN tunnel, node pod CIDRs from
 * Kubernetes (kind's podSubnet), kube-proxy kept. Socket LB stays off: it needs cgroup v2 with
 * separate cgroup namespaces and this host is cgroup v1 hybrid (cilium/cilium#16259).
 * Envoy cannot be built here, so no L7 proxy; Hubble off avoids the chart's `lookup`-made TLS secrets.
 */
export function ciliumValues(v: Versions): Record<string, unknown> {
  const tag = v.cilium.imageTag;
  return {
    image: { repository: 'quay.io/cilium/cilium', tag, useDigest: false, pullPolicy: 'IfNotPresent' },
    operator: {
      replicas: 1,
      image: { repository: 'quay.io/cilium/operator', tag, useDigest: false, pullPolicy: 'IfNotPresent' },
    },
    kubeProxyReplacement: 'false',
    routingMode: 'tunnel',
    tunnelProtocol: 'vxlan',
    ipam: { mode: 'kubernetes' },
    ipv6: { enabled: false },
    bpf: { masquerade: false },
    socketLB: { enabled: false },
    l7Proxy: false,
    envoy: { enabled: false },
    hubble: { enabled: false },
  };
}

/** `helm template` arguments; the values file is written by the caller. */
export function helmTemplateArgs(v: Versions, chartDir: string, valuesFile: string): string[] {
  return [
    'template',
    'cilium',
    chartDir,
    '--namespace',
    'kube-system',
    '--kube-version',
    v.kubernetes.version,
    '--values',
    valuesFile,
  ];
}

interface Container {
  readonly image?: string;
  readonly imagePullPolicy?: string;
}

function containers(doc: unknown): Container[] {
  const spec = (doc as { spec?: { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } })
    .spec?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** What is wrong with a rendered manifest: images the kit does not build, pulls, Envoy. Empty when fine. */
export function ciliumManifestProblems(text: string, builtImages: readonly string[]): string[] {
  const problems: string[] = [];
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((d) => d !== null);
  const all = docs.flatMap(containers);
  const unknown = [...new Set(all.map((c) => c.image ?? '').filter((ref) => !builtImages.includes(ref)))];
  if (unknown.length > 0) problems.push(`images the kit does not build: ${unknown.join(', ')}`);
  for (const kind of ['DaemonSet', 'Deployment'] as const) {
    const name = kind === 'DaemonSet' ? 'cilium' : 'cilium-operator';
    if (!docs.some((d) => d.kind === kind && d.metadata?.name === name)) problems.push(`no ${kind} ${name}`);
  }
  if (docs.some((d) => d.metadata?.name === 'cilium-envoy'))
    problems.push('renders cilium-envoy, which cannot be built here');
  const pulls = [...new Set(all.map((c) => c.imagePullPolicy ?? 'unset').filter((p) => p !== 'IfNotPresent'))];
  if (pulls.length > 0) problems.push(`imagePullPolicy other than IfNotPresent: ${pulls.join(', ')}`);
  return problems;
}

/** Where the build leaves the rendered manifest for the harness's Cilium installer. */
export function kitCiliumManifestPath(v: Versions): string {
  return join(cache.root, 'manifests', `cilium-${v.cilium.imageTag}.yaml`);
}
