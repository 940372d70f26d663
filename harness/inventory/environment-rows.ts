/**
 * A context's environment as attribute/value rows: what a reader compares across contexts to
 * explain why the same cell differs (a policy present in one cluster only, a namespace label that
 * differs, a cluster-wide policy that may apply, a CNI setting). Each row names what it concerns
 * (a namespace, classes), so a divergent cell can be matched to the rows about its two ends. Pure.
 */
import type { EnvironmentRow } from '../model/check-report.js';
import type { Labels, NetworkPolicy } from '../model/network-policy.js';
import { selectorMatches } from '../engine/selector.js';
import type { WorkloadClass } from './classes.js';
import type { Environment } from './environment.js';
import type { ClusterSnapshot } from './snapshot.js';

export function environmentRows(
  environment: Environment,
  snapshot: ClusterSnapshot,
  classes: readonly WorkloadClass[],
): EnvironmentRow[] {
  const cni = environment.cni.map((c) => `${c.name} ${c.version}`).join(', ') || 'unknown';
  const kernels = [...new Set(environment.nodes.map((n) => n.kernelVersion))].sort().join(', ');
  const inSet = new Set(snapshot.namespaces);
  return [
    { attribute: 'kubernetes version', value: environment.kubernetesVersion },
    { attribute: 'cni', value: cni },
    { attribute: 'node kernels', value: kernels || 'unknown' },
    ...environment.settings.map((s) => ({
      attribute: `setting ${s.source} ${s.key}`,
      value: `${s.value}${s.defaulted ? ' (default)' : ''}`,
    })),
    ...environment.clusterPolicies.map((p) => ({
      attribute: `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`,
      value: `present (${p.applicability}${p.enforced === false ? ', not enforced' : ''})`,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      classes: p.classes,
    })),
    ...snapshot.allNamespaces
      .filter((n) => inSet.has(n.name))
      .map((n) => ({
        attribute: `namespace ${n.name} labels`,
        value: labelText(n.labels),
        namespace: n.name,
      })),
    ...classes.map((c) => ({
      attribute: `class ${c.key} labels`,
      value: labelText(c.labels),
      namespace: c.namespace,
      classes: [c.key],
    })),
    ...snapshot.policies.map((p) => ({
      attribute: `NetworkPolicy ${p.metadata.namespace ?? ''}/${p.metadata.name}`,
      value: `spec ${specDigest(p)}`,
      namespace: p.metadata.namespace ?? '',
      classes: classes
        .filter((c) => c.namespace === p.metadata.namespace && selectorMatches(p.spec.podSelector, c.labels))
        .map((c) => c.key),
    })),
  ];
}

export function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${labels[k]}`).join(', ') : '(none)';
}

/** A short digest of a policy's spec with keys sorted: equal specs, equal digests, in any cluster. */
export function specDigest(policy: Pick<NetworkPolicy, 'spec'>): string {
  const text = canonical(policy.spec);
  let hash = 0x811c9dc5; // FNV-1a, 32 bits: enough to tell specs apart in a report, not a security hash
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
