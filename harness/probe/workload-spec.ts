import type { KubeObject } from '../kube/gateway.js';
import { RUN_LABEL, SCENARIO_LABEL, WORKLOAD_LABEL } from '../model/cluster-names.js';
import type { Labels } from '../model/network-policy.js';
import type { ServedPort } from '../model/world.js';
import { AGNHOST } from './commands.js';

export const WORKLOAD_CONTAINER = 'workload';

export interface WorkloadImage {
  readonly image: string;
  readonly pullPolicy: 'IfNotPresent' | 'Never' | 'Always';
}

/**
 * One pod per workload: agnhost porter serves every declared port (HTTP on TCP, echo on UDP,
 * SCTP only where the target supports it; porter exits when it cannot open a port), and the same
 * image carries curl and nslookup, so the pod is also a probe source. Unprivileged: non-root,
 * read-only root, no token, no capabilities, with limits. Ports below 1024 are opened through the
 * namespaced-safe sysctl net.ipv4.ip_unprivileged_port_start rather than a capability.
 */
export function workloadPod(options: { name: string; namespace: string; key: string; labels: Labels; ports: readonly ServedPort[]; runId: string; scenario: string; image: WorkloadImage; sctp: boolean; spread?: boolean }): KubeObject {
  const served = options.ports.filter((p) => p.protocol !== 'SCTP' || options.sctp);
  const env = served.map((p) => ({ name: `SERVE_${p.protocol === 'TCP' ? 'PORT' : `${p.protocol}_PORT`}_${p.port}`, value: `netpol-harness ${options.key} ${p.port}/${p.protocol}` }));
  const firstTcp = served.find((p) => p.protocol === 'TCP');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: options.namespace, labels: { ...options.labels, [RUN_LABEL]: options.runId, [SCENARIO_LABEL]: options.scenario, [WORKLOAD_LABEL]: options.name } },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Always',
      ...(options.spread ? spreadAcrossNodes(options.runId, options.scenario) : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
      containers: [{
        name: WORKLOAD_CONTAINER,
        image: options.image.image,
        imagePullPolicy: options.image.pullPolicy,
        command: [AGNHOST, 'porter'],
        env,
        ports: served.map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        ...(firstTcp ? { readinessProbe: { tcpSocket: { port: firstTcp.port }, periodSeconds: 1, failureThreshold: 30 } } : {}),
      }],
    },
  };
}

export function namespaceObject(name: string, labels: Labels, runId: string, scenario: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...labels, [RUN_LABEL]: runId, [SCENARIO_LABEL]: scenario } } };
}

/**
 * On clusters the harness owns (kind), spread a scenario's pods over every node, control plane
 * included, so cross-node paths (VXLAN, routing) are probed and not only same-node bridging.
 */
function spreadAcrossNodes(runId: string, scenario: string): Record<string, unknown> {
  return {
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { [RUN_LABEL]: runId, [SCENARIO_LABEL]: scenario } } }],
  };
}
