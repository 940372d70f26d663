import { addressAt, formatIp, parseCidr } from './cidr.js';
import type { Labels } from './network-policy.js';
import type { PlaceholderBindings } from './placeholders.js';
import type { Scenario, Step } from './scenario.js';
import { DNS_KEY, DNS_NAMESPACE, NAMESPACE_NAME_LABEL, type Endpoint, type World } from './world.js';
import { workloadKey } from './peer-pattern.js';

/** Cluster DNS as the engine sees it: CoreDNS pods behind the kube-dns service. */
export const DNS_POD_LABELS: Labels = { 'k8s-app': 'kube-dns' };
export const DNS_PORTS = [
  { port: 53, protocol: 'UDP', name: 'dns' },
  { port: 53, protocol: 'TCP', name: 'dns-tcp' },
  { port: 9153, protocol: 'TCP', name: 'metrics' },
] as const;

/** The cluster DNS endpoint (kube-system/kube-dns) at `ip`: the one shape every world gives it. */
export function dnsEndpoint(ip: string): Endpoint {
  return {
    key: DNS_KEY,
    kind: 'dns',
    namespace: DNS_NAMESPACE,
    name: 'kube-dns',
    labels: DNS_POD_LABELS,
    ip,
    ports: DNS_PORTS,
  };
}

/** Pod IPs per endpoint key: synthetic on the engine's side, real on a cluster. */
export type PodIPs = ReadonlyMap<string, string>;

/**
 * Stable synthetic IPs: cluster DNS at offset 2 of the pod CIDR, workloads from offset 16 in
 * declaration order. Adding a workload at the end never moves the others.
 */
export function syntheticPodIPs(scenario: Pick<Scenario, 'podCIDR' | 'workloads'>): Map<string, string> {
  const cidr = parseCidr(scenario.podCIDR);
  if (!cidr) throw new Error(`invalid pod CIDR ${scenario.podCIDR}`);
  const at = (offset: number) => {
    const ip = addressAt(cidr, offset);
    if (!ip) throw new Error(`pod CIDR ${scenario.podCIDR} is too small for ${scenario.workloads.length} workloads`);
    return formatIp(ip);
  };
  const ips = new Map<string, string>([[DNS_KEY, at(2)]]);
  scenario.workloads.forEach((w, i) => ips.set(workloadKey(w.namespace, w.name), at(16 + i)));
  return ips;
}

/** Namespace labels in force during a step, with the implicit kubernetes.io/metadata.name. */
export function namespaceLabels(scenario: Scenario, step: Step, namespace: string): Labels {
  const declared =
    step.labels.namespaces.get(namespace) ?? scenario.namespaces.find((n) => n.name === namespace)?.labels ?? {};
  return { ...declared, [NAMESPACE_NAME_LABEL]: namespace };
}

export function workloadLabels(step: Step, namespace: string, name: string, declared: Labels): Labels {
  return step.labels.workloads.get(workloadKey(namespace, name)) ?? declared;
}

/** The world the engine reasons over during one step. */
export function stepWorld(scenario: Scenario, step: Step, ips: PodIPs = syntheticPodIPs(scenario)): World {
  const ipOf = (key: string) => ips.get(key) ?? '';
  const endpoints: Endpoint[] = [
    ...scenario.workloads.map((w): Endpoint => {
      const key = workloadKey(w.namespace, w.name);
      return {
        key,
        kind: 'workload',
        namespace: w.namespace,
        name: w.name,
        labels: workloadLabels(step, w.namespace, w.name, w.labels),
        ip: ipOf(key),
        ports: w.ports,
      };
    }),
    ...scenario.externals.map((e): Endpoint => ({
      key: `external:${e.name}`,
      kind: 'external',
      name: e.name,
      labels: {},
      ip: e.ip,
      ports: e.ports,
    })),
    dnsEndpoint(ipOf(DNS_KEY)),
  ];
  const namespaces = [
    ...scenario.namespaces.map((n) => ({ name: n.name, labels: namespaceLabels(scenario, step, n.name) })),
    { name: DNS_NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE } },
  ];
  return { namespaces, endpoints };
}

/** Placeholder bindings for the engine: logical names stay as they are, pod IPs are synthetic. */
export function logicalBindings(
  scenario: Pick<Scenario, 'namespaces' | 'podCIDR' | 'workloads'>,
  ips: PodIPs = syntheticPodIPs(scenario),
): PlaceholderBindings {
  const declared = new Set(scenario.namespaces.map((n) => n.name));
  return {
    namespace: (logical) => (declared.has(logical) ? logical : undefined),
    podIP: (key) => ips.get(key),
  };
}
