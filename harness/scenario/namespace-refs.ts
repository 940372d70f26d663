import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer } from '../model/network-policy.js';
import { DNS_NAMESPACE, NAMESPACE_NAME_LABEL } from '../model/world.js';
import { declaredHint } from './hints.js';
import type { DiagnosticSink } from './reporter.js';

/**
 * Warns where a namespaceSelector names, through kubernetes.io/metadata.name, a namespace the
 * scenario does not declare: the engine selects nothing there, and on a cluster the name is left
 * as written (right for a namespace that exists there, a silent no-op for a typo). A warning, not
 * an error, because a run against an existing cluster may mean a real namespace.
 */
export function warnUndeclaredNamespaceSelectors(
  policy: NetworkPolicy,
  sink: DiagnosticSink,
  declared: ReadonlySet<string>,
): void {
  const known = (name: string) => declared.has(name) || name === DNS_NAMESPACE || name.includes('${');
  const check = (peers: readonly NetworkPolicyPeer[] | undefined, at: DiagnosticSink) => {
    (peers ?? []).forEach((peer, j) =>
      checkSelector(peer.namespaceSelector, at.at([j, 'namespaceSelector']), known, declared),
    );
  };
  (policy.spec.ingress ?? []).forEach((rule, i) => check(rule.from, sink.at(['spec', 'ingress', i, 'from'])));
  (policy.spec.egress ?? []).forEach((rule, i) => check(rule.to, sink.at(['spec', 'egress', i, 'to'])));
}

function checkSelector(
  selector: LabelSelector | undefined,
  sink: DiagnosticSink,
  known: (name: string) => boolean,
  declared: ReadonlySet<string>,
): void {
  const warn = (path: Array<string | number>, name: string) =>
    sink.warning(
      path,
      `namespaceSelector names namespace "${name}" (${NAMESPACE_NAME_LABEL}), ` +
        'which is not declared in spec.namespaces; ' +
        `the engine selects no pods there${declaredHint(name, declared)}`,
    );
  const value = selector?.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (value !== undefined && !known(value)) warn(['matchLabels', NAMESPACE_NAME_LABEL], value);
  (selector?.matchExpressions ?? []).forEach((req, i) => {
    if (req.key !== NAMESPACE_NAME_LABEL) return;
    (req.values ?? []).forEach((name, k) => {
      if (!known(name)) warn(['matchExpressions', i, 'values', k], name);
    });
  });
}
