/**
 * Services in front of workloads, and the paths a probe takes to a destination. Pure.
 *
 * A connection to a Service is DNAT'd (kube-proxy, or a CNI's own load balancer) to a ready backend
 * pod on the Service port's targetPort, and NetworkPolicy applies there: to that pod, on that port,
 * never to the cluster IP. A named targetPort resolves per pod against its container ports.
 * https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
 */
import type { Protocol } from './protocol.js';
import type { ServedPort } from './world.js';

/**
 * How a probe reaches its destination. `pod`: the pod's own IP (every cell until now). `service`: the
 * Service's cluster IP and Service port. `dns`: the Service's DNS name, resolved in the source pod
 * first, as applications connect; a lookup that fails is the outcome `dns-error`. `nodeport`: from each
 * external (outside the cluster) to a NodePort Service, on the node where its pod runs.
 */
export const VIAS = ['pod', 'service', 'dns', 'nodeport'] as const;
export type Via = (typeof VIAS)[number];
/** In expectations and known deviations: one path, or `*` (every path, the default). */
export type ViaPattern = Via | '*';

/** The paths probed when a scenario does not say (`spec.probe.via`). */
export const DEFAULT_VIAS: readonly Via[] = ['pod', 'service'];

export type ServiceType = 'ClusterIP' | 'NodePort';

export interface ServicePortSpec {
  /** Required by Kubernetes when a Service has more than one port. */
  readonly name?: string;
  readonly port: number;
  /** A number, or the name of one of the backend's served ports. */
  readonly targetPort: number | string;
  readonly protocol: Protocol;
}

export interface ScenarioService {
  /** The Service's name in the workload's namespace (the workload's name unless said). */
  readonly name: string;
  readonly type: ServiceType;
  readonly ports: readonly ServicePortSpec[];
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** Made by `spec.probe.services: all` (or `run --services all`), not written by the author. */
  readonly implicit?: boolean;
}

/** `spec.probe`: which paths every cell is probed on, and which workloads get a Service. */
export interface ProbePaths {
  readonly via: readonly Via[];
  /** `declared`: only workloads that declare a Service; `all`: every serving workload gets one. */
  readonly services: 'declared' | 'all';
  /** Also probe from the nodes: `node:local` (the destination's node) and `node:remote` (another). */
  readonly fromNodes: boolean;
}

export const DEFAULT_PROBE_PATHS: ProbePaths = { via: DEFAULT_VIAS, services: 'declared', fromNodes: false };

/** The backend port a Service port forwards to, or undefined when the backend serves no such port. */
export function resolveTargetPort(port: ServicePortSpec, served: readonly ServedPort[]): ServedPort | undefined {
  return served.find(
    (s) =>
      s.protocol === port.protocol &&
      (typeof port.targetPort === 'number' ? s.port === port.targetPort : s.name === port.targetPort),
  );
}

/**
 * A Service name is a DNS-1035 label (it must start with a letter), a workload name a DNS-1123
 * label: a workload whose name starts with a digit gets `svc-` in front.
 */
export function defaultServiceName(workload: string): string {
  return /^[a-z]/.test(workload) ? workload : `svc-${workload}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * The Service the upstream e2e suite puts in front of every pod: each served port, by number, on
 * the same number (https://github.com/kubernetes/kubernetes/blob/master/test/e2e/network/netpol/kubemanager.go).
 */
export function implicitService(workload: string, ports: readonly ServedPort[]): ScenarioService {
  return {
    name: defaultServiceName(workload),
    type: 'ClusterIP',
    ports: ports.map((p) => ({
      name: `${p.protocol.toLowerCase()}-${p.port}`,
      port: p.port,
      targetPort: p.port,
      protocol: p.protocol,
    })),
    implicit: true,
  };
}

/**
 * The name an application in another namespace uses: `<service>.<namespace>.svc`, completed by the
 * pod's DNS search list, so it works whatever the cluster domain (cluster.local or not).
 */
export function serviceDnsName(service: string, namespace: string): string {
  return `${service}.${namespace}.svc`;
}

export function viaPatternMatches(pattern: ViaPattern, via: Via): boolean {
  return pattern === '*' || pattern === via;
}
