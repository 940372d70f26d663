/**
 * `${ns:<logical>}` and `${podIP:<ns>/<workload>}` inside policy manifests. The engine binds
 * them to logical names and synthetic IPs; a cluster run binds real names and real pod IPs.
 */
export type PlaceholderKind = 'ns' | 'podIP';

export interface PlaceholderUse {
  readonly kind: string;
  readonly argument: string;
  readonly path: ReadonlyArray<string | number>;
}

export interface PlaceholderBindings {
  namespace(logical: string): string | undefined;
  podIP(workloadKey: string): string | undefined;
}

const PLACEHOLDER = /\$\{([^}:]*):([^}]*)\}/g;

/** Every placeholder in a manifest, with where it is. */
export function findPlaceholders(value: unknown, path: Array<string | number> = []): PlaceholderUse[] {
  if (typeof value === 'string') {
    return [...value.matchAll(PLACEHOLDER)].map((m) => ({ kind: m[1] ?? '', argument: m[2] ?? '', path }));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findPlaceholders(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findPlaceholders(v, [...path, k]));
  }
  return [];
}

/** A deep copy with every placeholder replaced; unknown ones are left as written (validation refuses them). */
export function substitutePlaceholders<T>(value: T, bindings: PlaceholderBindings): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, kind: string, arg: string) => {
      const bound = kind === 'ns' ? bindings.namespace(arg) : kind === 'podIP' ? bindings.podIP(arg) : undefined;
      return bound ?? whole;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => substitutePlaceholders(item, bindings)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutePlaceholders(v, bindings)])) as T;
  }
  return value;
}
