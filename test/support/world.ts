import type { Labels, NetworkPolicy } from '../../harness/model/network-policy.js';
import type { Protocol } from '../../harness/model/protocol.js';
import { NAMESPACE_NAME_LABEL, type Endpoint, type ServedPort, type World } from '../../harness/model/world.js';
import { dnsEndpoint } from '../../harness/model/step-world.js';
import { Prediction } from '../../harness/engine/predict.js';
import { explainCell } from '../../harness/engine/explain.js';
import type { TierOutcome } from '../../harness/engine/admin-tiers.js';
import type { AdminRule, AdminSubject, ClusterPolicy } from '../../harness/model/admin-policy.js';

/** Tiny builders so engine tests read like the spec: pods, namespaces, externals, policies. */
export function port(port: number, protocol: Protocol = 'TCP', name?: string): ServedPort {
  return name === undefined ? { port, protocol } : { port, protocol, name };
}

let nextIp = 10;
export function pod(key: string, labels: Labels = {}, ports: ServedPort[] = [port(80)], ip?: string): Endpoint {
  const [namespace, name] = key.split('/') as [string, string];
  return { key, kind: 'workload', namespace, name, labels, ports, ip: ip ?? `10.244.1.${nextIp++}` };
}

export function external(name: string, ip: string, ports: ServedPort[] = [port(443)]): Endpoint {
  return { key: `external:${name}`, kind: 'external', name, labels: {}, ip, ports };
}

export function world(
  namespaces: Record<string, Labels>,
  endpoints: Endpoint[],
  options: { dns?: boolean } = {},
): World {
  const dns: Endpoint[] = options.dns === false ? [] : [dnsEndpoint('10.244.0.2')];
  return {
    namespaces: [...Object.entries(namespaces), ['kube-system', {}] as const].map(([name, labels]) => ({
      name,
      labels: { ...labels, [NAMESPACE_NAME_LABEL]: name },
    })),
    endpoints: [...endpoints, ...dns],
  };
}

export function policy(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** The endpoints' indexes and the served port of one cell, or a loud error naming what is missing. */
function cellIn(w: World, from: string, to: string, portNumber?: number, protocol?: Protocol) {
  const i = w.endpoints.findIndex((e) => e.key === from);
  const j = w.endpoints.findIndex((e) => e.key === to);
  if (i < 0 || j < 0) throw new Error(`no endpoint ${i < 0 ? from : to}`);
  const target = w.endpoints[j]!;
  const served = target.ports.find(
    (p) => (portNumber === undefined || p.port === portNumber) && (protocol === undefined || p.protocol === protocol),
  );
  if (!served) throw new Error(`${to} serves no ${portNumber}/${protocol}`);
  return { i, j, target, served };
}

/**
 * Is from -> to on the given port allowed? Asks the fast path and the reference path, and fails
 * loudly if they disagree, so every spec test also checks the two implementations against each other.
 */
export function allowed(
  w: World,
  policies: NetworkPolicy[],
  from: string,
  to: string,
  portNumber?: number,
  protocol?: Protocol,
): boolean {
  const { i, j, target, served } = cellIn(w, from, to, portNumber, protocol);
  const fast = new Prediction(w, policies).allowed(i, j, served);
  const reference = explainCell(w, policies, w.endpoints[i]!, target, served).allowed;
  if (fast !== reference)
    throw new Error(
      `fast path says ${fast}, reference path says ${reference} for ${from} -> ${to} ${served.port}/${served.protocol}`,
    );
  return fast;
}

/** An AdminNetworkPolicy as the engine reads it (rules: `peers` is the wire format's from/to). */
export function anp(
  name: string,
  priority: number,
  subject: AdminSubject,
  rules: { ingress?: AdminRule[]; egress?: AdminRule[] },
): ClusterPolicy {
  return {
    kind: 'AdminNetworkPolicy',
    name,
    tier: 'admin',
    priority,
    subject,
    ingress: rules.ingress ?? [],
    egress: rules.egress ?? [],
  };
}

/** The BaselineAdminNetworkPolicy (always named default). */
export function banp(subject: AdminSubject, rules: { ingress?: AdminRule[]; egress?: AdminRule[] }): ClusterPolicy {
  return {
    kind: 'BaselineAdminNetworkPolicy',
    name: 'default',
    tier: 'baseline',
    priority: 0,
    subject,
    ingress: rules.ingress ?? [],
    egress: rules.egress ?? [],
  };
}

/**
 * from -> to under NetworkPolicies and cluster-scoped policies: `allowed`, `blocked` or `unspecified`,
 * from the fast path and the reference (explain) path, failing loudly if they disagree.
 */
export function tiered(
  w: World,
  policies: NetworkPolicy[],
  cluster: ClusterPolicy[],
  from: string,
  to: string,
  portNumber?: number,
  protocol?: Protocol,
): TierOutcome {
  const { i, j, target, served } = cellIn(w, from, to, portNumber, protocol);
  const fast = new Prediction(w, policies, cluster).outcome(i, j, served);
  const e = explainCell(w, policies, w.endpoints[i]!, target, served, cluster);
  const reference: TierOutcome = e.unspecified ? 'unspecified' : e.allowed ? 'allowed' : 'blocked';
  if (fast !== reference)
    throw new Error(`fast path says ${fast}, reference path says ${reference} for ${from} -> ${to} ${served.port}`);
  return fast;
}
