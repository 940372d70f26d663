/**
 * API objects (wire JSON) to the snapshot's plain data. Pure: the reader lists, this interprets.
 */
import type { KubeObject } from '../model/kube-object.js';
import { RUN_LABEL, WORKLOAD_LABEL } from '../model/cluster-names.js';
import { OWNER_ANNOTATION } from '../model/run-owner.js';
import type { Labels, NetworkPolicy } from '../model/network-policy.js';
import { PROTOCOLS, type Protocol } from '../model/protocol.js';
import type {
  ClusterSnapshot,
  ContainerPort,
  HarnessPod,
  LiveNamespace,
  LivePod,
  LiveService,
  PodOwner,
  ServicePort,
} from './snapshot.js';

/** What the reader lists for a namespace set; `controllers` are the ReplicaSets and Jobs pods point at. */
export interface RecordedObjects {
  readonly allNamespaces: readonly KubeObject[];
  readonly namespaces: readonly string[];
  readonly pods: readonly KubeObject[];
  readonly services: readonly KubeObject[];
  readonly policies: readonly KubeObject[];
  readonly controllers: readonly KubeObject[];
}

interface OwnerReference {
  kind: string;
  name: string;
  controller?: boolean;
}

interface PodSpecPart {
  nodeName?: string;
  hostNetwork?: boolean;
  containers?: Array<{ ports?: Array<{ containerPort: number; protocol?: string; name?: string }> }>;
  initContainers?: Array<{
    restartPolicy?: string;
    ports?: Array<{ containerPort: number; protocol?: string; name?: string }>;
  }>;
}

interface PodStatusPart {
  phase?: string;
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  conditions?: Array<{ type: string; status: string }>;
}

export function snapshotFromObjects(objects: RecordedObjects): ClusterSnapshot {
  const inSet = new Set(objects.namespaces);
  const owners = ownerIndex(objects.controllers);
  const keep = (o: KubeObject) => inSet.has(o.metadata.namespace ?? '');
  return {
    allNamespaces: objects.allNamespaces.map(namespaceOf),
    namespaces: objects.namespaces,
    pods: objects.pods.filter((p) => keep(p) && !isHarnessPod(p)).map((p) => podOf(p, owners)),
    services: objects.services.filter(keep).map(serviceOf),
    policies: networkPolicyObjects(objects).map(policyOf),
    harnessPods: objects.pods.filter((p) => keep(p) && isHarnessPod(p)).map(harnessPodOf),
  };
}

/**
 * The NetworkPolicy objects of the set, as listed. Calico's own kind is also called NetworkPolicy:
 * only networking.k8s.io/v1 is the engine's.
 */
export function networkPolicyObjects(objects: Pick<RecordedObjects, 'namespaces' | 'policies'>): KubeObject[] {
  const inSet = new Set(objects.namespaces);
  return objects.policies.filter(
    (p) => inSet.has(p.metadata.namespace ?? '') && p.apiVersion === 'networking.k8s.io/v1',
  );
}

/**
 * A probe pod of a check (in progress, or left by one that was killed): never a workload. The
 * workload pods of a run (WORKLOAD_LABEL) are workloads: a run's namespaces kept with
 * `run --keep-namespaces` are read, checked and snapshotted like any others.
 */
function isHarnessPod(pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return labels[RUN_LABEL] !== undefined && labels[WORKLOAD_LABEL] === undefined;
}

function harnessPodOf(pod: KubeObject): HarnessPod {
  const owner = (pod.metadata['annotations'] as Record<string, string> | undefined)?.[OWNER_ANNOTATION];
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    runId: pod.metadata.labels![RUN_LABEL]!,
    ...(owner ? { owner } : {}),
  };
}

export function namespaceOf(object: KubeObject): LiveNamespace {
  return { name: object.metadata.name, labels: { ...object.metadata.labels } };
}

/** `ns/Kind/name` -> the controlling owner of that ReplicaSet or Job. */
type OwnerIndex = ReadonlyMap<string, OwnerReference | undefined>;

function ownerIndex(controllers: readonly KubeObject[]): OwnerIndex {
  return new Map(
    controllers.map((c) => [
      `${c.metadata.namespace}/${c.kind}/${c.metadata.name}`,
      controllerOf(c.metadata['ownerReferences'] as OwnerReference[] | undefined),
    ]),
  );
}

function controllerOf(refs: readonly OwnerReference[] | undefined): OwnerReference | undefined {
  return refs?.find((r) => r.controller) ?? refs?.[0];
}

/**
 * A ReplicaSet stands for its Deployment, a Job for its CronJob: those are the names users know and
 * the ones that survive a rollout or the next run. A mirror pod's owner is its Node: no workload.
 */
export function resolveOwner(
  namespace: string,
  refs: readonly OwnerReference[] | undefined,
  owners: OwnerIndex,
): PodOwner | undefined {
  const direct = controllerOf(refs);
  if (!direct || direct.kind === 'Node') return undefined;
  if (direct.kind === 'ReplicaSet' || direct.kind === 'Job') {
    const parent = owners.get(`${namespace}/${direct.kind}/${direct.name}`);
    if (parent) return { kind: parent.kind, name: parent.name };
  }
  return { kind: direct.kind, name: direct.name };
}

function podOf(object: KubeObject, owners: OwnerIndex): LivePod {
  const namespace = object.metadata.namespace ?? '';
  const spec = (object['spec'] ?? {}) as PodSpecPart;
  const status = (object['status'] ?? {}) as PodStatusPart;
  const ips = status.podIPs?.map((p) => p.ip) ?? (status.podIP ? [status.podIP] : []);
  const owner = resolveOwner(namespace, object.metadata['ownerReferences'] as OwnerReference[] | undefined, owners);
  return {
    namespace,
    name: object.metadata.name,
    labels: { ...object.metadata.labels },
    ...(status.podIP ? { ip: status.podIP } : {}),
    ips,
    ...(spec.nodeName ? { node: spec.nodeName } : {}),
    phase: status.phase ?? 'Unknown',
    ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    ...(owner ? { owner } : {}),
    hostNetwork: spec.hostNetwork === true,
    ports: declaredPorts(spec),
  };
}

/** Ports of the containers, and of sidecars (init containers that keep running: restartPolicy Always). */
function declaredPorts(spec: PodSpecPart): ContainerPort[] {
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const ports = [...(spec.containers ?? []), ...sidecars].flatMap((c) =>
    (c.ports ?? []).map((p): ContainerPort => ({
      port: p.containerPort,
      protocol: protocolOf(p.protocol),
      ...(p.name ? { name: p.name } : {}),
    })),
  );
  const seen = new Set<string>();
  return ports
    .filter((p) => {
      const key = portKey(p);
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

export function portKey(port: ContainerPort): string {
  return `${port.port}/${port.protocol}/${port.name ?? ''}`;
}

function protocolOf(text: string | undefined): Protocol {
  return (PROTOCOLS as readonly string[]).includes(text ?? '') ? (text as Protocol) : 'TCP';
}

function serviceOf(object: KubeObject): LiveService {
  const spec = (object['spec'] ?? {}) as {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    selector?: Labels;
    ports?: Array<{ name?: string; port: number; protocol?: string; targetPort?: number | string }>;
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
  };
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    type: spec.type ?? 'ClusterIP',
    clusterIPs: spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []),
    ...(spec.selector && Object.keys(spec.selector).length > 0 ? { selector: { ...spec.selector } } : {}),
    ports: (spec.ports ?? []).map((p): ServicePort => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.port,
      protocol: protocolOf(p.protocol),
      // The API server defaults an absent targetPort to the port.
      targetPort: p.targetPort ?? p.port,
    })),
    ...(spec.externalTrafficPolicy === 'Local' || spec.externalTrafficPolicy === 'Cluster'
      ? { externalTrafficPolicy: spec.externalTrafficPolicy }
      : {}),
    ...(spec.internalTrafficPolicy === 'Local' || spec.internalTrafficPolicy === 'Cluster'
      ? { internalTrafficPolicy: spec.internalTrafficPolicy }
      : {}),
  };
}

/** Only what the engine reads: apiVersion, kind, name, namespace and spec. */
function policyOf(object: KubeObject): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: object.metadata.name,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    },
    spec: object['spec'] as NetworkPolicy['spec'],
  };
}
