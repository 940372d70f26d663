/**
 * Classes a probe pod must not stand in for, because it would receive real traffic despite never
 * being Ready: a Service with `publishNotReadyAddresses: true` lists not-ready pods as endpoints
 * (headless Services of StatefulSets often do, for peer discovery), so a probe pod carrying labels
 * its selector matches would be handed to the Service's clients, which would then fail against a
 * pod that serves nothing.
 * https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
 */
import type { KubeObject } from '../model/kube-object.js';
import type { Labels } from '../model/network-policy.js';

interface SourceLike {
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly hostNetwork: boolean;
}

/** Class key -> why no probe pod may carry its labels. */
export function unsafeSources(services: readonly KubeObject[], classes: readonly SourceLike[]): Map<string, string> {
  const unsafe = new Map<string, string>();
  for (const service of services) {
    const spec = (service['spec'] ?? {}) as { publishNotReadyAddresses?: boolean; selector?: Labels };
    const selector = Object.entries(spec.selector ?? {});
    if (spec.publishNotReadyAddresses !== true || selector.length === 0) continue;
    const name = `${service.metadata.namespace}/${service.metadata.name}`;
    for (const c of classes) {
      if (c.hostNetwork || c.namespace !== service.metadata.namespace || unsafe.has(c.key)) continue;
      if (selector.every(([k, v]) => c.labels[k] === v))
        unsafe.set(
          c.key,
          `Service ${name} publishes not-ready addresses and selects its labels: a probe pod would be its endpoint`,
        );
    }
  }
  return unsafe;
}
