/**
 * Which namespaces a read covers: the ones named, or every namespace but the system's own.
 */

/** Kubernetes' own namespaces, and the CNIs' (their agents are not workloads a policy test is about). */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'calico-system',
  'calico-apiserver',
  'tigera-operator',
  'kube-flannel',
];

/** Prefixes of namespaces that CNIs create (cilium, cilium-secrets, cilium-spire, ...). */
export const SYSTEM_NAMESPACE_PREFIXES: readonly string[] = ['cilium'];

export function isSystemNamespace(name: string): boolean {
  return SYSTEM_NAMESPACES.includes(name) || SYSTEM_NAMESPACE_PREFIXES.some((p) => name.startsWith(p));
}

/** `--namespace a,b` (explicit names) or `--all-namespaces`. */
export type NamespaceRequest = { readonly names: readonly string[] } | { readonly all: true };

export type NamespaceSelection =
  | { readonly namespaces: readonly string[]; readonly excluded: readonly string[] }
  | { readonly missing: readonly string[] };

/**
 * The namespace set of a read. Named namespaces are taken as named, system ones included; a name
 * the cluster does not have is an error (a typo must not read as "no pods, all fine").
 */
export function selectNamespaces(existing: readonly string[], request: NamespaceRequest): NamespaceSelection {
  if ('names' in request) {
    const missing = request.names.filter((n) => !existing.includes(n));
    return missing.length > 0 ? { missing } : { namespaces: [...new Set(request.names)], excluded: [] };
  }
  const sorted = [...existing].sort();
  return {
    namespaces: sorted.filter((n) => !isSystemNamespace(n)),
    excluded: sorted.filter(isSystemNamespace),
  };
}
