import { cidrWithin, parseCidr, parseIp } from '../model/cidr.js';
import { dnsSubdomainProblem, labelKeyProblem, labelValueProblem, portNameProblem } from '../model/k8s-names.js';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../model/network-policy.js';
import type { DiagnosticSink } from './reporter.js';

/**
 * The checks the API server's validation makes on a NetworkPolicy (and a few it only warns
 * about), run on the manifest after placeholders are bound. Paths are relative to the manifest.
 */
export function checkNetworkPolicy(policy: NetworkPolicy, sink: DiagnosticSink): void {
  const nameProblem = dnsSubdomainProblem(policy.metadata.name);
  if (nameProblem) sink.error(['metadata', 'name'], `policy name "${policy.metadata.name}" ${nameProblem}`);
  checkSelector(policy.spec.podSelector, sink.at(['spec', 'podSelector']));
  (policy.spec.ingress ?? []).forEach((rule, i) => {
    (rule.from ?? []).forEach((peer, j) => checkPeer(peer, sink.at(['spec', 'ingress', i, 'from', j])));
    (rule.ports ?? []).forEach((port, j) => checkPort(port, sink.at(['spec', 'ingress', i, 'ports', j])));
  });
  (policy.spec.egress ?? []).forEach((rule, i) => {
    (rule.to ?? []).forEach((peer, j) => checkPeer(peer, sink.at(['spec', 'egress', i, 'to', j])));
    (rule.ports ?? []).forEach((port, j) => checkPort(port, sink.at(['spec', 'egress', i, 'ports', j])));
  });
  const types = policy.spec.policyTypes ?? [];
  if (new Set(types).size !== types.length) sink.error(['spec', 'policyTypes'], 'policyTypes lists a type twice');
}

export function checkSelector(selector: LabelSelector | undefined | null, sink: DiagnosticSink): void {
  if (!selector) return;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) sink.error(['matchLabels', key], keyProblem, { key: true });
    const valueProblem = labelValueProblem(value);
    if (valueProblem) sink.error(['matchLabels', key], valueProblem);
  }
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = sink.at(['matchExpressions', i]);
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem) at.error(['key'], keyProblem);
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      at.error(['operator'], `operator ${req.operator} needs a non-empty values list`);
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      at.error(['values'], `operator ${req.operator} takes no values`);
    }
    values.forEach((v, j) => {
      const problem = labelValueProblem(v);
      if (problem) at.error(['values', j], problem);
    });
  });
}

function checkPeer(peer: NetworkPolicyPeer, sink: DiagnosticSink): void {
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (!hasSelector && !peer.ipBlock) {
    sink.error([], 'a peer must set podSelector, namespaceSelector or ipBlock');
    return;
  }
  if (hasSelector && peer.ipBlock)
    sink.error(['ipBlock'], 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer');
  checkSelector(peer.podSelector, sink.at(['podSelector']));
  checkSelector(peer.namespaceSelector, sink.at(['namespaceSelector']));
  if (!peer.ipBlock) return;
  const cidr = parseCidr(peer.ipBlock.cidr);
  if (!cidr) {
    const address = parseIp(peer.ipBlock.cidr);
    const hint = address
      ? `it is an address: add a prefix length (/${address.family === 4 ? 32 : 128} for one host)`
      : 'e.g. 10.0.0.0/16 or fd00::/64';
    sink.error(['ipBlock', 'cidr'], `ipBlock.cidr "${peer.ipBlock.cidr}" is not a valid CIDR; ${hint}`);
    return;
  }
  if (cidr.hostBitsSet)
    sink.warning(['ipBlock', 'cidr'], `"${peer.ipBlock.cidr}" has host bits set; it is treated as its network address`);
  (peer.ipBlock.except ?? []).forEach((text, i) => {
    const except = parseCidr(text);
    if (!except) sink.error(['ipBlock', 'except', i], `"${text}" is not a valid CIDR`);
    else if (except.family !== cidr.family)
      sink.error(
        ['ipBlock', 'except', i],
        `except "${text}" is not of the same IP family as cidr "${peer.ipBlock!.cidr}"`,
      );
    else if (!cidrWithin(except, cidr) || except.prefix === cidr.prefix)
      sink.error(['ipBlock', 'except', i], `except "${text}" must be a strict subset of cidr "${peer.ipBlock!.cidr}"`);
  });
}

function checkPort(port: NetworkPolicyPort, sink: DiagnosticSink): void {
  if (typeof port.port === 'number') {
    if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535)
      sink.error(['port'], `port ${port.port} must be from 1 to 65535`);
    if (port.endPort !== undefined && port.endPort < port.port)
      sink.error(['endPort'], `endPort ${port.endPort} is below port ${port.port}`);
  } else if (typeof port.port === 'string') {
    const problem = portNameProblem(port.port);
    if (problem)
      sink.error(
        ['port'],
        /^\d+$/.test(port.port) ? `port "${port.port}" is a string; write the number unquoted` : problem,
      );
    if (port.endPort !== undefined) sink.error(['endPort'], 'endPort needs a numeric port, not a named one');
  } else if (port.endPort !== undefined) {
    sink.error(['endPort'], 'endPort needs port to be set');
  }
}
