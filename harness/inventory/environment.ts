/**
 * The environment of a cluster, and what in it changes what a NetworkPolicy test observes: the
 * Kubernetes version, nodes, the CNI and its settings, and the policies the engine does not model.
 * Pure: target/read-cluster.ts reads the objects, this interprets them into a value and findings.
 */
import type { KubeObject } from '../model/kube-object.js';
import type { WorkloadClass } from './classes.js';
import { clusterPolicy, type ClusterPolicy } from './cluster-policies.js';
import {
  ciliumSettings,
  detectCnis,
  felixSettings,
  parseImage,
  type CniName,
  type CniSetting,
  type DetectedCni,
} from './cni.js';
import type { LiveNamespace } from './snapshot.js';

export interface NodeSummary {
  readonly name: string;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly kubeletVersion: string;
  readonly containerRuntime: string;
}

/** What the reader gathers for the environment. */
export interface EnvironmentObjects {
  readonly serverVersion: string;
  readonly nodes: readonly KubeObject[];
  readonly daemonSets: readonly KubeObject[];
  /** The cilium-config ConfigMap, read when a Cilium agent runs. */
  readonly ciliumConfig?: KubeObject;
  /** The `default` FelixConfiguration, read when its API is served. */
  readonly felixConfiguration?: KubeObject;
  /** Group version -> kinds served (undefined: not served), for the policy APIs looked for. */
  readonly served: Readonly<Record<string, readonly string[] | undefined>>;
  readonly clusterPolicies: readonly KubeObject[];
  /** Reads that failed (forbidden, ...), said as what is missing. */
  readonly unreadable: readonly string[];
}

export interface Environment {
  readonly kubernetesVersion: string;
  readonly nodes: readonly NodeSummary[];
  /** Empty when no known agent runs: the CNI is unknown. */
  readonly cni: readonly DetectedCni[];
  readonly settings: readonly CniSetting[];
  /** The policy APIs the cluster serves, among those looked for. */
  readonly policyApis: ReadonlyArray<{ readonly groupVersion: string; readonly kinds: readonly string[] }>;
  readonly clusterPolicies: ReadonlyArray<ClusterPolicy & { readonly enforced: boolean | 'unknown' }>;
}

export interface Finding {
  readonly level: 'info' | 'warning';
  readonly topic: 'cni' | 'setting' | 'policy' | 'nodes' | 'read';
  readonly message: string;
}

export function interpretEnvironment(
  objects: EnvironmentObjects,
  scope: { readonly classes: readonly WorkloadClass[]; readonly namespaces: readonly LiveNamespace[] },
): { environment: Environment; findings: Finding[] } {
  const cni = detectCnis(objects.daemonSets);
  const settings = [
    ...(objects.ciliumConfig
      ? ciliumSettings(
          `${objects.ciliumConfig.metadata.namespace}/${objects.ciliumConfig.metadata.name}`,
          (objects.ciliumConfig['data'] ?? {}) as Record<string, string>,
        )
      : []),
    ...(objects.felixConfiguration
      ? felixSettings((objects.felixConfiguration['spec'] ?? {}) as Record<string, unknown>)
      : []),
  ];
  const usedTiers = calicoTiersInUse(objects.clusterPolicies);
  const clusterPolicies = objects.clusterPolicies.map((o) => {
    const p = emptyTier(o, usedTiers) ?? clusterPolicy(o, scope);
    return { ...p, enforced: enforcedBy(p.kind, p.apiVersion, cni) };
  });
  const environment: Environment = {
    kubernetesVersion: objects.serverVersion,
    nodes: objects.nodes.map(nodeSummary),
    cni,
    settings,
    policyApis: Object.entries(objects.served).flatMap(([groupVersion, kinds]) =>
      kinds ? [{ groupVersion, kinds: [...kinds] }] : [],
    ),
    clusterPolicies,
  };
  return {
    environment,
    findings: [
      ...cniFindings(cni),
      ...nodeFindings(environment.nodes),
      ...settings.flatMap(settingFinding),
      ...clusterPolicies.flatMap(policyFinding),
      ...objects.unreadable.map((what): Finding => ({ level: 'warning', topic: 'read', message: what })),
    ],
  };
}

function nodeSummary(node: KubeObject): NodeSummary {
  const info = ((node['status'] as { nodeInfo?: Record<string, string> } | undefined)?.nodeInfo ?? {}) as Record<
    string,
    string
  >;
  return {
    name: node.metadata.name,
    osImage: info['osImage'] ?? 'unknown',
    kernelVersion: info['kernelVersion'] ?? 'unknown',
    kubeletVersion: info['kubeletVersion'] ?? 'unknown',
    containerRuntime: info['containerRuntimeVersion'] ?? 'unknown',
  };
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean | 'unknown' {
  const parts = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts) return 'unknown';
  const have = parts.slice(1).map((p) => Number(p ?? 0));
  for (let i = 0; i < minimum.length; i++) if (have[i] !== minimum[i]) return (have[i] ?? 0) > minimum[i]!;
  return true;
}

/**
 * Does the running CNI implement this kind? From docs/PEERS: Calico implements AdminNetworkPolicy
 * from v3.29, BaselineAdminNetworkPolicy from v3.30 and ClusterNetworkPolicy from v3.32; Cilium
 * 1.18/1.19 none of them; OVN-Kubernetes and Antrea the v1alpha1 kinds. CNI-native kinds are
 * enforced only by their own CNI.
 */
export function enforcedBy(kind: string, apiVersion: string, cnis: readonly DetectedCni[]): boolean | 'unknown' {
  const has = (name: CniName) => cnis.find((c) => c.name === name);
  if (apiVersion.startsWith('crd.projectcalico.org/')) return has('calico') !== undefined;
  if (apiVersion.startsWith('cilium.io/')) return has('cilium') !== undefined;
  const calicoFrom: Record<string, number[]> = {
    AdminNetworkPolicy: [3, 29],
    BaselineAdminNetworkPolicy: [3, 30],
    ClusterNetworkPolicy: [3, 32],
  };
  const calico = has('calico');
  if (calico && calicoFrom[kind]) return versionAtLeast(calico.version, calicoFrom[kind]);
  if (has('cilium')) return false;
  if ((has('ovn-kubernetes') || has('antrea')) && kind !== 'ClusterNetworkPolicy') return true;
  return 'unknown';
}

function cniFindings(cni: readonly DetectedCni[]): Finding[] {
  if (cni.length === 0)
    return [
      {
        level: 'warning',
        topic: 'cni',
        message: 'CNI unknown: no DaemonSet runs a known CNI agent image; known deviations cannot be keyed to it',
      },
    ];
  const findings: Finding[] = cni.map((c) => ({
    level: 'info',
    topic: 'cni',
    message: `CNI ${c.name} ${c.version} (DaemonSet ${c.daemonSet}, image ${parseImage(c.image).repository})`,
  }));
  if (cni.length > 1)
    findings.push({
      level: 'warning',
      topic: 'cni',
      message:
        `several CNI agents run (${cni.map((c) => c.name).join(', ')}): ` +
        'a migration or chaining; which one enforces policy is not known',
    });
  if (cni.some((c) => c.name === 'kindnet'))
    findings.push({
      level: 'warning',
      topic: 'cni',
      message: 'kindnet enforces NetworkPolicy only where the kernel has NFT_QUEUE, and fails open without it',
    });
  if (cni.some((c) => c.name === 'flannel') && !cni.some((c) => c.name === 'calico'))
    findings.push({ level: 'warning', topic: 'cni', message: 'flannel alone enforces no NetworkPolicy' });
  return findings;
}

function nodeFindings(nodes: readonly NodeSummary[]): Finding[] {
  const kernels = [...new Set(nodes.map((n) => n.kernelVersion))];
  return kernels.length > 1
    ? [{ level: 'info', topic: 'nodes', message: `nodes run different kernels: ${kernels.join(', ')}` }]
    : [];
}

function settingFinding(s: CniSetting): Finding[] {
  const consequential =
    (s.key === 'policy-audit-mode' && s.value === 'true') ||
    (s.key === 'enable-policy' && s.value !== 'default') ||
    (s.key === 'iptablesFilterDenyAction' && s.value === 'Reject') ||
    (s.key === 'identity-change-grace-period' && !s.defaulted) ||
    s.key === 'policy-cidr-match-mode';
  if (!consequential) return [];
  const warning = s.key === 'policy-audit-mode' || s.key === 'enable-policy';
  return [
    {
      level: warning ? 'warning' : 'info',
      topic: 'setting',
      message: `${s.source} ${s.key}=${s.value || '""'}${s.defaulted ? ' (default)' : ''}: ${s.effect}`,
    },
  ];
}

function policyFinding(p: Environment['clusterPolicies'][number]): Finding[] {
  if (p.applicability === 'does not apply') return [];
  const ref = `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
  const classes = `${p.classes.length} class${p.classes.length === 1 ? '' : 'es'}`;
  if (p.enforced === false)
    return [
      {
        level: 'info',
        topic: 'policy',
        message: `${ref} ${p.applicability} to ${classes} but the running CNI does not enforce ${p.kind}`,
      },
    ];
  return [
    {
      level: 'warning',
      topic: 'policy',
      message:
        `${ref} ${p.applicability} to ${classes}` +
        `${p.applicability === 'may apply' ? ` (${p.reason})` : ''}` +
        `${p.enforced === 'unknown' ? ', if the CNI enforces it' : ''}` +
        ': their cells are not judged by the NetworkPolicy prediction alone',
    },
  ];
}

/** The Calico tiers some listed Calico policy belongs to (`spec.tier`, `default` when unset). */
function calicoTiersInUse(objects: readonly KubeObject[]): ReadonlySet<string> {
  return new Set(
    objects
      .filter((o) => o.apiVersion.startsWith('crd.projectcalico.org/') && o.kind !== 'Tier')
      .map((o) => String(((o['spec'] ?? {}) as Record<string, unknown>)['tier'] ?? 'default')),
  );
}

/**
 * A Calico tier does nothing by itself: only the policies in it select endpoints (and only those get
 * its end-of-tier action), and each of them is judged on its own. Calico v3.30+ creates `default`,
 * `adminnetworkpolicy` and `baselineadminnetworkpolicy` on every cluster; warning about each of them
 * would bury the findings that matter. A tier with no listed policy does not apply.
 */
function emptyTier(object: KubeObject, usedTiers: ReadonlySet<string>): ClusterPolicy | undefined {
  if (object.kind !== 'Tier' || !object.apiVersion.startsWith('crd.projectcalico.org/')) return undefined;
  if (usedTiers.has(object.metadata.name)) return undefined;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    applicability: 'does not apply',
    classes: [],
    reason: 'no Calico policy in this tier (a tier selects nothing by itself)',
  };
}
