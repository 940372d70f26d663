/**
 * Air-gapped CI: NETPOL_HARNESS_IMAGE_REGISTRY=mirror.corp:5000 makes every image the harness
 * installs come from that registry, the upstream path kept (quay.io/calico/node:v3.31.0 becomes
 * mirror.corp:5000/calico/node:v3.31.0). Pure.
 */
export function mirrorImage(ref: string, registry: string | undefined): string {
  if (!registry) return ref;
  const first = ref.split('/')[0] ?? '';
  // A registry host has a dot or a port, or is localhost; anything else is a Docker Hub path.
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost ? ref.slice(first.length + 1) : ref;
  return `${registry.replace(/\/+$/, '')}/${path}`;
}

/** Every `image:` of every container and init container in a manifest object, mirrored (a copy). */
export function mirrorImages<T>(object: T, registry: string | undefined): T {
  if (!registry) return object;
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) {
      const isContainers = key === 'containers' || key === 'initContainers';
      return value.map((v) =>
        isContainers && v && typeof v === 'object' && typeof (v as { image?: unknown }).image === 'string'
          ? { ...(walk(v) as object), image: mirrorImage((v as { image: string }).image, registry) }
          : walk(v),
      );
    }
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(object) as T;
}

export const imageRegistry = (): string | undefined => process.env['NETPOL_HARNESS_IMAGE_REGISTRY'] || undefined;
