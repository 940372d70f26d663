/**
 * Which CNI runs the cluster, and which of its settings change what a test observes. Read from
 * DaemonSet images (the agent every node runs), Cilium's cilium-config ConfigMap and Calico's
 * default FelixConfiguration.
 */
import type { KubeObject } from '../model/kube-object.js';

export const CNI_NAMES = [
  'calico',
  'cilium',
  'antrea',
  'ovn-kubernetes',
  'kube-router',
  'kindnet',
  'flannel',
  'weave',
] as const;
export type CniName = (typeof CNI_NAMES)[number];

export interface DetectedCni {
  readonly name: CniName;
  /** The image tag (`v3.30.2`), or `unknown` when the image has none (a digest only). */
  readonly version: string;
  /** `namespace/name` of the DaemonSet it was recognised by. */
  readonly daemonSet: string;
  readonly image: string;
}

/** The agent images that identify each CNI: the repository's last path segment. */
const AGENT_IMAGES: ReadonlyArray<{ readonly cni: CniName; readonly repository: RegExp }> = [
  { cni: 'calico', repository: /(^|\/)calico\/node$|(^|\/)tigera\/calico-node$|(^|\/)calico-node$/ },
  { cni: 'cilium', repository: /(^|\/)cilium\/cilium$|(^|\/)cilium$/ },
  { cni: 'antrea', repository: /(^|\/)antrea-(agent-)?(ubuntu|ubi)$|(^|\/)antrea-agent$/ },
  { cni: 'ovn-kubernetes', repository: /(^|\/)(ovn-daemonset|ovn-kube|ovnkube)[\w.-]*$|ovn-kubernetes$/ },
  { cni: 'kube-router', repository: /(^|\/)kube-router$/ },
  { cni: 'kindnet', repository: /(^|\/)kindnetd$/ },
  { cni: 'flannel', repository: /(^|\/)flannel$/ },
  { cni: 'weave', repository: /(^|\/)weave-kube$/ },
];

/** `registry:5000/calico/node:v3.30.2@sha256:...` -> repository `registry:5000/calico/node`, tag `v3.30.2`. */
export function parseImage(image: string): { repository: string; tag?: string } {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0
    ? { repository: withoutDigest }
    : { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

interface DaemonSetPart {
  spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } };
}

/** Every CNI agent among the DaemonSets (more than one during a migration, or with a chained CNI). */
export function detectCnis(daemonSets: readonly KubeObject[]): DetectedCni[] {
  const found: DetectedCni[] = [];
  for (const ds of daemonSets) {
    const images = (ds as DaemonSetPart).spec?.template?.spec?.containers?.map((c) => c.image ?? '') ?? [];
    for (const image of images) {
      const { repository, tag } = parseImage(image);
      const match = AGENT_IMAGES.find((a) => a.repository.test(repository));
      if (match && !found.some((f) => f.name === match.cni))
        found.push({
          name: match.cni,
          version: tag ?? 'unknown',
          daemonSet: `${ds.metadata.namespace}/${ds.metadata.name}`,
          image,
        });
    }
  }
  return found;
}

/** A CNI setting as read, and what it does to what a test observes. */
export interface CniSetting {
  readonly cni: CniName;
  /** Where it was read: `kube-system/cilium-config`, `FelixConfiguration default`. */
  readonly source: string;
  readonly key: string;
  /** As written, or the documented default (then `defaulted` is true). */
  readonly value: string;
  readonly defaulted: boolean;
  readonly effect: string;
}

const CILIUM_KEYS: ReadonlyArray<{ key: string; default: string; effect: (v: string) => string }> = [
  {
    key: 'enable-policy',
    default: 'default',
    effect: (v) =>
      v === 'never'
        ? 'policy enforcement mode never: no policy is enforced, every connection is allowed'
        : v === 'always'
          ? 'policy enforcement mode always: pods no policy selects are isolated too (deny unless allowed)'
          : 'policy enforcement mode default: as the NetworkPolicy spec',
  },
  {
    key: 'policy-audit-mode',
    default: 'false',
    effect: (v) =>
      v === 'true' ? 'audit mode: denials are only logged, nothing is blocked' : 'policy verdicts are enforced',
  },
  {
    key: 'policy-cidr-match-mode',
    default: '',
    effect: (v) =>
      v.includes('nodes')
        ? 'ipBlock (CIDR) rules also match nodes'
        : 'ipBlock (CIDR) rules select neither nodes nor pods by their IP (cilium/cilium#9209)',
  },
  {
    key: 'identity-change-grace-period',
    default: '5s',
    effect: (v) => `a pod's new labels take effect in policy after ${v}`,
  },
];

/** Cilium's settings from its ConfigMap's data. */
export function ciliumSettings(source: string, data: Readonly<Record<string, string>>): CniSetting[] {
  return CILIUM_KEYS.map(({ key, default: fallback, effect }) => {
    const written = data[key];
    const value = written ?? fallback;
    return { cni: 'cilium', source, key, value, defaulted: written === undefined, effect: effect(value) };
  });
}

const FELIX_KEYS: ReadonlyArray<{ key: string; default: string; effect: (v: string) => string }> = [
  {
    key: 'iptablesFilterDenyAction',
    default: 'Drop',
    effect: (v) =>
      v === 'Reject'
        ? 'denied packets are rejected: a blocked TCP connection is refused at once, not timed out'
        : 'denied packets are dropped: a blocked connection times out',
  },
  {
    key: 'defaultEndpointToHostAction',
    default: 'Drop',
    effect: (v) =>
      v === 'Accept'
        ? 'pods may reach their own node unless a host endpoint policy says otherwise'
        : v === 'Return'
          ? 'traffic from pods to their own node is left to host endpoint policy'
          : 'traffic from pods to their own node is dropped unless host endpoint policy allows it',
  },
];

/** Calico's settings from the `default` FelixConfiguration's spec. */
export function felixSettings(spec: Readonly<Record<string, unknown>>): CniSetting[] {
  return FELIX_KEYS.map(({ key, default: fallback, effect }) => {
    const written = spec[key];
    const value = typeof written === 'string' ? written : fallback;
    return {
      cni: 'calico',
      source: 'FelixConfiguration default',
      key,
      value,
      defaulted: typeof written !== 'string',
      effect: effect(value),
    };
  });
}
