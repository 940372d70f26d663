/**
 * The Services of the checked namespaces as `check --via service` reaches them: each port of each
 * Service, by its cluster IP and by its DNS name, with the workload classes behind it and the port
 * each of them serves it on. A connection to a Service is DNAT'd to one ready endpoint pod on the
 * targetPort, and NetworkPolicy applies there: to that pod, on that port (a named targetPort
 * resolves per pod, against its container ports), never to the cluster IP.
 * https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
 * Pure: built from the snapshot and the classes.
 */
import type { ServedPort } from '../model/world.js';
import type { WorkloadClass } from './classes.js';
import type { LiveService, ServicePort } from './snapshot.js';

/** A class behind a Service port, and the port it serves it on (the resolved targetPort). */
export interface ServiceBackend {
  readonly key: string;
  readonly port: ServedPort;
  readonly hostNetwork: boolean;
}

export interface ServiceRoute {
  /** `ns/name` of the Service. */
  readonly service: string;
  readonly namespace: string;
  /** The Service's port, with its name. */
  readonly port: ServedPort;
  /** Absent for a headless Service (clusterIP None): its DNS name answers with the pods' IPs. */
  readonly clusterIP?: string;
  /** Fully qualified, with the trailing dot: the probe pod's search list is never tried. */
  readonly dnsName: string;
  /** The classes with a ready pod the selector matches that serve this port; empty: nothing to reach. */
  readonly backends: readonly ServiceBackend[];
}

export interface ServiceRoutes {
  readonly routes: readonly ServiceRoute[];
  /** Services left out, with why (no selector, ExternalName). */
  readonly skipped: readonly string[];
}

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

export function serviceRoutes(
  services: readonly LiveService[],
  classes: readonly WorkloadClass[],
  clusterDomain: string,
): ServiceRoutes {
  const routes: ServiceRoute[] = [];
  const skipped: string[] = [];
  for (const s of services) {
    const name = `${s.namespace}/${s.name}`;
    if (s.type === 'ExternalName') {
      skipped.push(`Service ${name} is an ExternalName: it points outside, not to pods`);
      continue;
    }
    if (!s.selector) {
      skipped.push(`Service ${name} has no selector: its endpoints are managed by hand, not probed via it`);
      continue;
    }
    const selected = classesSelectedBy(s, classes).filter((c) => c.pods.some((p) => p.ready));
    const clusterIP = s.clusterIPs.find((ip) => ip !== 'None');
    for (const port of s.ports)
      routes.push({
        service: name,
        namespace: s.namespace,
        port: { port: port.port, protocol: port.protocol, ...(port.name ? { name: port.name } : {}) },
        ...(clusterIP ? { clusterIP } : {}),
        dnsName: `${s.name}.${s.namespace}.svc.${clusterDomain}.`,
        backends: selected.flatMap((c) => backendOf(c, port)),
      });
  }
  return { routes, skipped };
}

/** The classes a Service's selector picks: those of its namespace with every selector label alike. */
export function classesSelectedBy(
  s: Pick<LiveService, 'namespace' | 'selector'>,
  classes: readonly WorkloadClass[],
): WorkloadClass[] {
  const selector = Object.entries(s.selector ?? {});
  return classes.filter((c) => c.namespace === s.namespace && selector.every(([k, v]) => c.labels[k] === v));
}

/** The port a class serves a Service port on, or nothing when it declares no port of that name. */
function backendOf(c: WorkloadClass, port: ServicePort): ServiceBackend[] {
  const declared =
    typeof port.targetPort === 'string'
      ? c.ports.find((p) => p.name === port.targetPort && p.protocol === port.protocol)
      : c.ports.find((p) => p.port === port.targetPort && p.protocol === port.protocol);
  if (typeof port.targetPort === 'string' && !declared) return [];
  const served: ServedPort = declared
    ? { port: declared.port, protocol: declared.protocol, ...(declared.name ? { name: declared.name } : {}) }
    : { port: port.targetPort as number, protocol: port.protocol };
  return [{ key: c.key, port: served, hostNetwork: c.hostNetwork }];
}
