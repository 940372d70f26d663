/**
 * The objects `check` creates in a real namespace: one owner ConfigMap per namespace, and one
 * short-lived probe pod per source workload class. A probe pod carries the class's labels, so the
 * namespace's policies select it exactly as they select the real pods, and it must never be mistaken
 * for one of them: it never receives traffic, is never adopted by a controller, and cannot outlive
 * the run by much. Pure: harness/commands/check.ts prints these (--dry-run) or creates them.
 */
import type { KubeObject } from '../model/kube-object.js';
import type { Labels } from '../model/network-policy.js';
import { RUN_LABEL } from '../model/cluster-names.js';
import { OWNER_ANNOTATION } from '../model/run-owner.js';
import { SERVER_BINARY } from '../model/probe-image.js';
import { WORKLOAD_CONTAINER, type WorkloadImage } from './workload-spec.js';

/** The class a probe pod stands in for (harness/inventory's WorkloadClass has these fields). */
export interface CheckSourceClass {
  /** `ns/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The members' labels without per-replica ones: what policies see. */
  readonly labels: Labels;
}

/** Which class a probe pod stands in for (an annotation: it is not a label a policy could select on). */
export const CHECK_CLASS_ANNOTATION = 'netpol-harness/check-class';

/**
 * The probe pod's container: the name ProbeShells opens its shell in (harness/run/probe-shells.ts).
 */
export const CHECK_CONTAINER = WORKLOAD_CONTAINER;

/**
 * Defaults of the probe pod. A pod is killed by the kubelet after activeDeadlineSeconds whatever
 * happens to the run (SIGKILL, a lost laptop): the run deletes it long before, this is the floor.
 */
export const CHECK_POD_DEFAULTS = {
  activeDeadlineSeconds: 900,
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
} as const;

export interface CheckRun {
  readonly runId: string;
  /** `host:pid` of this process (model/run-owner.ts), so `cleanup` can tell a dead run's leftovers. */
  readonly owner: string;
}

/** The object the probe pods of one namespace are owned by (its uid is known once it exists). */
export interface OwnerRef {
  readonly name: string;
  readonly uid: string;
}

export function checkOwnerName(runId: string): string {
  return `netpol-harness-check-${runId}`;
}

/**
 * The owner of a namespace's probe pods: a ConfigMap, created first, whose uid the pods' controller
 * ownerReference names. Why a ConfigMap and not a suspended Job or a ReplicaSet:
 * - A controller ownerReference is what keeps a pod from being adopted. ReplicaSets (and so
 *   Deployments), StatefulSets, DaemonSets and Jobs acquire any pod that matches their selector and
 *   has no controller owner ("orphans"), and a ReplicaSet that acquires one pod too many deletes one
 *   of its pods to get back to its replica count: possibly a real one.
 *   https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#non-template-pod-acquisitions
 * - The owner must not itself be a controller of pods: a Job (suspended or not) releases pods whose
 *   labels do not match its own selector, by removing their ownerReference, which would make the
 *   probe pod an orphan again. Nothing manages a ConfigMap's dependents but the garbage collector.
 *   https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents
 * - An owner must be in the dependent's namespace (cross-namespace owners are disallowed), hence one
 *   per checked namespace; deleting it deletes its probe pods too (background cascading deletion).
 *   https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
 * - It carries no data a workload reads, so creating it changes nothing for the real pods.
 */
export function checkOwnerObject(namespace: string, run: CheckRun): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: checkOwnerName(run.runId),
      namespace,
      labels: { [RUN_LABEL]: run.runId },
      annotations: { [OWNER_ANNOTATION]: run.owner },
    },
    data: {
      purpose:
        'owner of the netpol-harness check probe pods of this run: deleting it deletes them; ' +
        `remove leftovers with: kubectl delete pods,configmaps -n ${namespace} -l ${RUN_LABEL}=${run.runId}`,
    },
  };
}

/** Every probe pod's name starts so (with the run label, how a later check tells them from run's pods). */
export const CHECK_POD_PREFIX = 'np-check-';

/** A DNS-1123 label: the pod's hostname is its name, so at most 63 characters. */
export function checkPodName(runId: string, index: number, source: Pick<CheckSourceClass, 'name'>): string {
  const slug = source.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${CHECK_POD_PREFIX}${runId}-${index}-${slug}`.slice(0, 63).replace(/-+$/, '');
}

export interface CheckPodOptions {
  readonly source: CheckSourceClass;
  readonly name: string;
  readonly run: CheckRun;
  readonly owner: OwnerRef;
  readonly image: WorkloadImage;
  readonly activeDeadlineSeconds?: number;
}

/**
 * One probe pod. Each property is a promise `test/unit/probe/check-pod.test.ts` pins:
 * - labels: the class's, plus the run label (policies select it as the real pods; cleanup by label);
 * - never Ready (a readiness probe that cannot pass), so no Service lists it as an endpoint;
 * - a controller ownerReference to the run's ConfigMap, so no controller adopts it;
 * - no container ports, no service-account token, no Service environment variables;
 * - activeDeadlineSeconds, resource limits, non-root, read-only root, no capabilities, no restarts.
 * It runs `netpol-server serve` with no ports, which idles until stopped, and is the source of the
 * batch prober's execs.
 */
export function checkProbePod(options: CheckPodOptions): KubeObject {
  const { source, run } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: source.namespace,
      // The run label last: a class label of that key (there is none on a real pod) cannot hide it.
      labels: { ...source.labels, [RUN_LABEL]: run.runId },
      annotations: { [OWNER_ANNOTATION]: run.owner, [CHECK_CLASS_ANNOTATION]: source.key },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: options.owner.name,
          uid: options.owner.uid,
          controller: true,
          // true would need update on the owner's finalizers where OwnerReferencesPermissionEnforcement
          // is on, and would make deleting the ConfigMap wait for the pods: neither is wanted.
          blockOwnerDeletion: false,
        },
      ],
    },
    spec: {
      activeDeadlineSeconds: options.activeDeadlineSeconds ?? CHECK_POD_DEFAULTS.activeDeadlineSeconds,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [probeContainer(options)],
    },
  };
}

function probeContainer(options: CheckPodOptions): Record<string, unknown> {
  return {
    name: CHECK_CONTAINER,
    image: options.image.image,
    imagePullPolicy: options.image.pullPolicy,
    // No --tcp, no --udp: netpol-server serves nothing and idles until SIGTERM.
    command: [SERVER_BINARY, 'serve', '--identity', `check:${options.source.key}`, '--tcp', '', '--udp', ''],
    // Never succeeds: nothing listens on port 1 (the server above opens no port). A pod that is not
    // Ready is never a ready endpoint of a Service, so no client's traffic is sent to it.
    // https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions
    readinessProbe: { tcpSocket: { port: 1 }, periodSeconds: 300, timeoutSeconds: 1, failureThreshold: 1 },
    resources: CHECK_POD_DEFAULTS.resources,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
  };
}
