import type { Labels } from './network-policy.js';
import type { Protocol } from './protocol.js';

/**
 * What the engine reasons over: namespaces and endpoints with labels, IPs and served ports.
 * Pods (workloads and cluster DNS) can be selected by pod/namespace selectors; externals only by ipBlock.
 */
export interface ServedPort {
  readonly port: number;
  readonly protocol: Protocol;
  /** Container port name; named ports in policies resolve against it (pods only). */
  readonly name?: string;
}

/** `node`: a host-network probe source (`node:local`, `node:remote`); never a destination, never in a World. */
export type EndpointKind = 'workload' | 'external' | 'dns' | 'node';

/** The destination pod's own node, and another node: the two node sources the spec tells apart. */
export const NODE_LOCAL = 'node:local';
export const NODE_REMOTE = 'node:remote';

export interface Endpoint {
  /** `ns/name` for pods, `external:name` for externals. */
  readonly key: string;
  readonly kind: EndpointKind;
  /** Namespace for pods; undefined for externals. */
  readonly namespace?: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ip: string;
  readonly ports: readonly ServedPort[];
}

export interface WorldNamespace {
  readonly name: string;
  readonly labels: Labels;
}

export interface World {
  readonly namespaces: readonly WorldNamespace[];
  /** Workloads first (in declaration order), then externals, then cluster DNS. */
  readonly endpoints: readonly Endpoint[];
}

export const DNS_NAMESPACE = 'kube-system';
export const DNS_KEY = 'kube-system/kube-dns';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
