/**
 * The few verbs the harness needs from a cluster. The live implementation wraps
 * @kubernetes/client-node; tests use a fake that simulates a cluster from the engine.
 */
import type { KubeObject } from '../model/kube-object.js';

export interface PodStatus {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly ip?: string;
  /** The node it was scheduled to. */
  readonly node?: string;
  /** Why the pod is not ready: waiting reasons, scheduling conditions, recent events. */
  readonly problems: readonly string[];
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code reported by the API server, when it reported one. */
  readonly exitCode?: number;
  /** Set when the exec itself failed: could not start, timed out, websocket error. */
  readonly failure?: string;
  readonly durationMs: number;
}

export interface ShellSession {
  /** Run a script; resolves with its output once it has finished, or with a failure. Never rejects. */
  run(script: string, timeoutMs: number): Promise<ExecResult>;
  close(): void;
  readonly closed: boolean;
}

export interface AccessCheck {
  readonly verb: string;
  readonly resource: string;
  readonly group: string;
  readonly namespace?: string;
}

/** What the API server answered to an apply: the object's uid (gateways that do not know it return nothing). */
export interface Applied {
  readonly uid?: string;
}

export interface KubeGateway {
  /** Server-side apply with our field manager. */
  apply(object: KubeObject): Promise<Applied | void>;
  /** Delete; a missing object is not an error. */
  remove(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void>;
  listNamespaces(labelSelector: string): Promise<string[]>;
  namespaceExists(name: string): Promise<boolean>;
  podStatuses(namespace: string): Promise<PodStatus[]>;
  exec(
    namespace: string,
    pod: string,
    container: string,
    argv: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult>;
  /** A long-lived `sh` in a container that runs script after script (one exec for many rounds). */
  openShell(namespace: string, pod: string, container: string): Promise<ShellSession>;
  /** The checks that are denied (SelfSubjectAccessReview). */
  deniedAccess(checks: readonly AccessCheck[]): Promise<AccessCheck[]>;
  serverVersion(): Promise<string>;
  /** Any object as JSON, or undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every object of a kind (in a namespace, or cluster-wide). */
  list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]>;
  /**
   * API discovery: the kinds a group version serves (`v1`, `apps/v1`, `cilium.io/v2`), or undefined
   * when the cluster does not serve it (a CRD that is not installed). Listing an absent kind fails.
   */
  servedKinds(groupVersion: string): Promise<string[] | undefined>;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A failed call to the API server, with the HTTP code when there was one. */
export class KubeError extends Error {
  readonly kind = 'kube' as const;

  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}
