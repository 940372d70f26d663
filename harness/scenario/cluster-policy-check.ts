import type { AdminPeer, AdminPort, AdminSubject } from '../model/admin-policy.js';
import { parseCidr } from '../model/cidr.js';
import { dnsSubdomainProblem, portNameProblem } from '../model/k8s-names.js';
import type { LabelSelector } from '../model/network-policy.js';
import { checkSelector } from './policy-check.js';
import type { DiagnosticSink } from './reporter.js';

interface RawProtocol {
  readonly destinationNamedPort?: string;
  readonly [protocol: string]:
    { readonly destinationPort?: { readonly range?: { start: number; end: number } } } | string | undefined;
}

interface RawRule {
  readonly action: string;
  readonly from?: readonly AdminPeer[];
  readonly to?: readonly AdminPeer[];
  readonly ports?: readonly AdminPort[];
  readonly protocols?: readonly RawProtocol[];
}

/**
 * What the API server (the CRDs' CEL rules) and netpol-harness check on an AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy or ClusterNetworkPolicy beyond its schema. Paths are relative to the manifest.
 */
export function checkClusterPolicy(manifest: Record<string, unknown>, sink: DiagnosticSink): void {
  const m = manifest as {
    metadata: { name: string; namespace?: string };
    spec: { subject: AdminSubject; ingress?: RawRule[]; egress?: RawRule[] };
  };
  const nameProblem = dnsSubdomainProblem(m.metadata.name);
  if (nameProblem) sink.error(['metadata', 'name'], `policy name "${m.metadata.name}" ${nameProblem}`);
  checkSubjectLike(m.spec.subject, sink.at(['spec', 'subject']));
  for (const direction of ['ingress', 'egress'] as const)
    (m.spec[direction] ?? []).forEach((rule, i) => {
      const at = sink.at(['spec', direction, i]);
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      const peers = rule[peersKey] ?? [];
      peers.forEach((peer, j) => checkPeer(peer, at.at([peersKey, j])));
      (rule.ports ?? []).forEach((port, j) => checkPort(port, at.at(['ports', j])));
      (rule.protocols ?? []).forEach((p, j) => checkProtocol(p, at.at(['protocols', j])));
      const outside = peers.some((p) => p.networks !== undefined || p.nodes !== undefined || p.domainNames);
      const named = (rule.ports ?? []).findIndex((p) => p.namedPort !== undefined);
      if (outside && named >= 0)
        at.error(
          ['ports', named, 'namedPort'],
          'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
        );
      const namedProtocol = (rule.protocols ?? []).findIndex((p) => p.destinationNamedPort !== undefined);
      if (outside && namedProtocol >= 0)
        at.error(
          ['protocols', namedProtocol, 'destinationNamedPort'],
          'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for ' +
            'networks/nodes/domainNames',
        );
    });
}

function checkSubjectLike(subject: { namespaces?: LabelSelector; pods?: AdminSubject['pods'] }, sink: DiagnosticSink) {
  if (subject.namespaces) checkSelector(subject.namespaces, sink.at(['namespaces']));
  if (subject.pods) {
    // Absent only in a ClusterNetworkPolicy (the schema requires it of ANP and BANP): all namespaces.
    if (subject.pods.namespaceSelector)
      checkSelector(subject.pods.namespaceSelector, sink.at(['pods', 'namespaceSelector']));
    checkSelector(subject.pods.podSelector, sink.at(['pods', 'podSelector']));
  }
}

function checkPeer(peer: AdminPeer, sink: DiagnosticSink): void {
  checkSubjectLike(peer, sink);
  if (peer.nodes !== undefined)
    sink.error(
      ['nodes'],
      'nodes peers are experimental and not modelled by netpol-harness: it cannot predict which node ' +
        'addresses they select, and does not guess',
      { key: true },
    );
  (peer.networks ?? []).forEach((cidr, i) => {
    if (!parseCidr(cidr) || !cidr.includes('/'))
      sink.error(['networks', i], `"${cidr}" is not a CIDR (like 10.0.0.0/8 or fd00::/8)`);
  });
  if (peer.domainNames !== undefined)
    sink.error(
      ['domainNames'],
      'domainNames peers are experimental and not modelled by netpol-harness: which addresses a name stands ' +
        'for is decided at run time by DNS, and it does not guess',
      { key: true },
    );
  if (peer.networks && new Set(peer.networks).size !== peer.networks.length)
    sink.error(['networks'], 'networks lists a CIDR twice (it is a set)');
}

function checkProtocol(protocol: RawProtocol, sink: DiagnosticSink): void {
  if (protocol.destinationNamedPort !== undefined) {
    const problem = portNameProblem(protocol.destinationNamedPort);
    if (problem) sink.error(['destinationNamedPort'], `named port "${protocol.destinationNamedPort}" ${problem}`);
    return;
  }
  for (const name of ['tcp', 'udp', 'sctp']) {
    const range = (protocol[name] as { destinationPort?: { range?: { start: number; end: number } } } | undefined)
      ?.destinationPort?.range;
    if (range && range.start >= range.end)
      sink.error(
        [name, 'destinationPort', 'range'],
        `range start (${range.start}) must be less than end (${range.end})`,
      );
  }
}

function checkPort(port: AdminPort, sink: DiagnosticSink): void {
  if (port.portRange && port.portRange.start >= port.portRange.end)
    sink.error(
      ['portRange'],
      `portRange start (${port.portRange.start}) must be less than end (${port.portRange.end})`,
    );
  if (port.namedPort !== undefined) {
    const problem = portNameProblem(port.namedPort);
    if (problem) sink.error(['namedPort'], `named port "${port.namedPort}" ${problem}`);
  }
}
