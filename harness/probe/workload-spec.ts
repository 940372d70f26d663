import type { KubeObject } from '../model/kube-object.js';
import { KEPT_ANNOTATION, LANE_LABEL, RUN_LABEL, SCENARIO_ANNOTATION, WORKLOAD_LABEL } from '../model/cluster-names.js';
import { OWNER_ANNOTATION } from '../model/run-owner.js';
import type { Labels } from '../model/network-policy.js';
import type { ServedPort } from '../model/world.js';
import type { ScenarioService } from '../model/service.js';
import { SERVER_BINARY } from '../model/probe-image.js';
import { AGNHOST } from '../model/probe-image.js';

export const WORKLOAD_CONTAINER = 'workload';

export interface WorkloadImage {
  readonly image: string;
  readonly pullPolicy: 'IfNotPresent' | 'Never' | 'Always';
}

/** What every answer of a workload carries: its logical key and where it really runs. */
export function workloadIdentity(key: string, namespace: string): string {
  return `${key}@${namespace}`;
}

/**
 * One pod per workload. netpol-server serves every declared TCP and UDP port and exits if one
 * cannot be bound; its readiness check asks every port over loopback, so a pod is Ready only when
 * each port has answered with the pod's identity (an unserved port never passes for a blocked one).
 * SCTP ports, where the target supports them, are served by agnhost porter in a second container.
 * The same image carries curl, nslookup and agnhost, so the pod is also a probe source.
 * Unprivileged: non-root, read-only root, no token, no capabilities, with limits. Ports below 1024
 * are opened through the namespaced-safe sysctl net.ipv4.ip_unprivileged_port_start.
 */
export function workloadPod(options: {
  name: string;
  namespace: string;
  key: string;
  labels: Labels;
  ports: readonly ServedPort[];
  runId: string;
  scenario: string;
  lane: number;
  image: WorkloadImage;
  sctp: boolean;
  spread?: boolean;
}): KubeObject {
  const identity = workloadIdentity(options.key, options.namespace);
  const list = (protocol: string) =>
    options.ports
      .filter((p) => p.protocol === protocol)
      .map((p) => p.port)
      .join(',');
  const args = ['--identity', identity, '--tcp', list('TCP'), '--udp', list('UDP')];
  const sctpPorts = options.sctp ? options.ports.filter((p) => p.protocol === 'SCTP') : [];
  const served = options.ports.filter((p) => p.protocol !== 'SCTP' || options.sctp);
  const base = containerBase(options.image);
  const containers: Array<Record<string, unknown>> = [
    {
      name: WORKLOAD_CONTAINER,
      ...base,
      command: [SERVER_BINARY, 'serve', ...args],
      ports: served
        .filter((p) => p.protocol !== 'SCTP')
        .map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })),
      // Once, at start: an exec probe every second for the pod's life would keep the nodes busy
      // (each exec goes through the runtime) and slow every probe round measurably.
      startupProbe: {
        exec: { command: [SERVER_BINARY, 'check', ...args] },
        periodSeconds: 1,
        timeoutSeconds: 5,
        failureThreshold: 120,
      },
    },
  ];
  if (sctpPorts.length) {
    containers.push({
      name: 'sctp',
      ...base,
      command: [AGNHOST, 'porter'],
      env: sctpPorts.map((p) => ({
        name: `SERVE_SCTP_PORT_${p.port}`,
        value: `netpol-harness ${identity} ${p.port}/SCTP`,
      })),
      ports: sctpPorts.map((p) => ({ containerPort: p.port, protocol: 'SCTP', ...(p.name ? { name: p.name } : {}) })),
    });
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        ...options.labels,
        [RUN_LABEL]: options.runId,
        [LANE_LABEL]: String(options.lane),
        [WORKLOAD_LABEL]: options.name,
      },
      annotations: { [SCENARIO_ANNOTATION]: options.scenario },
    },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Always',
      ...(options.spread ? spreadAcrossNodes(options.runId, options.lane) : {}),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
      containers,
    },
  };
}

export function namespaceObject(
  name: string,
  labels: Labels,
  runId: string,
  scenario: string,
  lane: number,
  owner: string,
  kept = false,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { ...labels, [RUN_LABEL]: runId, [LANE_LABEL]: String(lane) },
      annotations: {
        [SCENARIO_ANNOTATION]: scenario,
        [OWNER_ANNOTATION]: owner,
        ...(kept ? { [KEPT_ANNOTATION]: 'true' } : {}),
      },
    },
  };
}

/**
 * On clusters the harness owns (kind), spread a scenario's pods over every node, control plane
 * included, so cross-node paths (VXLAN, routing) are probed and not only same-node bridging.
 */
function spreadAcrossNodes(runId: string, lane: number): Record<string, unknown> {
  return {
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { [RUN_LABEL]: runId, [LANE_LABEL]: String(lane) } },
      },
    ],
  };
}

/**
 * The Service a workload declares, selecting that one pod by the harness's own workload label (the
 * scenario's labels change between steps; the Service must keep pointing at the same pod). Named
 * targetPorts stay names: Kubernetes resolves them against the pod's container ports, as the
 * engine does. On a NodePort, Kubernetes picks the node port.
 */
export function serviceObject(options: {
  workload: string;
  namespace: string;
  service: ScenarioService;
  runId: string;
  scenario: string;
  lane: number;
}): KubeObject {
  const { service } = options;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: laneObjectMeta(service.name, options),
    spec: {
      type: service.type,
      selector: { [WORKLOAD_LABEL]: options.workload },
      ports: service.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol,
      })),
      ...(service.externalTrafficPolicy ? { externalTrafficPolicy: service.externalTrafficPolicy } : {}),
    },
  };
}

/**
 * A host-network probe pod pinned to one node: the source of `node:local` and `node:remote` cells.
 * It serves nothing (it shares the node's ports), only runs probes and is never Ready; unprivileged,
 * no token. The
 * namespaced sysctl of workload pods is not allowed with hostNetwork, and it binds no port anyway.
 */
export function hostProbePod(options: {
  name: string;
  namespace: string;
  node: string;
  runId: string;
  scenario: string;
  lane: number;
  image: WorkloadImage;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: laneObjectMeta(options.name, options),
    spec: {
      hostNetwork: true,
      nodeName: options.node,
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: WORKLOAD_CONTAINER,
          ...containerBase(options.image),
          command: ['sleep', 'infinity'],
          // Never Ready, by design: nothing may route traffic to a pod in a node's network.
          readinessProbe: { exec: { command: ['false'] }, periodSeconds: 3600, failureThreshold: 1 },
        },
      ],
    },
  };
}

/** Image, pull policy, an unprivileged read-only container and its limits: every container we start. */
function containerBase(image: WorkloadImage): Record<string, unknown> {
  return {
    image: image.image,
    imagePullPolicy: image.pullPolicy,
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '1', memory: '128Mi' } },
  };
}

/** The run and lane labels and the scenario annotation of an object in a lane's namespace. */
function laneObjectMeta(
  name: string,
  options: { readonly namespace: string; readonly runId: string; readonly lane: number; readonly scenario: string },
): KubeObject['metadata'] {
  return {
    name,
    namespace: options.namespace,
    labels: { [RUN_LABEL]: options.runId, [LANE_LABEL]: String(options.lane) },
    annotations: { [SCENARIO_ANNOTATION]: options.scenario },
  };
}
