/**
 * Address blocks an external may not take on kind: addresses with special meaning anywhere, and the
 * pod and service networks of our kind configs (clusters/kind-*.yaml). The run refuses an external
 * there (harness/cluster/external-plan.ts); a snapshot never picks one (harness/repro).
 */
export interface ReservedBlock {
  readonly cidr: string;
  readonly what: string;
}

export const ALWAYS_RESERVED: readonly ReservedBlock[] = [
  { cidr: '0.0.0.0/8', what: '"this network"' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved' },
];

export const KIND_CLUSTER_BLOCKS: readonly ReservedBlock[] = [
  { cidr: '10.244.0.0/16', what: 'the pod network' },
  { cidr: '10.96.0.0/16', what: 'the service network' },
];

/**
 * Where docker puts its own networks by default (the bridge, kind's network, any other): an
 * external there may shadow a node. The run checks the networks that exist; a snapshot avoids the
 * whole pools when it can.
 */
export const DOCKER_DEFAULT_POOLS: readonly ReservedBlock[] = [
  { cidr: '172.16.0.0/12', what: "docker's default address pool" },
  { cidr: '192.168.0.0/16', what: "docker's default address pool" },
];
