import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  KubeError,
  type AccessCheck,
  type ExecResult,
  type KubeGateway,
  type ObjectRef,
  type PodStatus,
  type ShellSession,
} from '../../harness/kube/gateway.js';
import type { KubeObject } from '../../harness/model/kube-object.js';

export interface RecordedGatewayOptions {
  readonly serverVersion?: string;
  /** Group versions served with no object recorded (a CRD installed, nothing created from it). */
  readonly served?: Readonly<Record<string, readonly string[]>>;
  /** Kinds whose list is forbidden (HTTP 403), as for a user without that RBAC verb. */
  readonly forbidden?: readonly string[];
  /** `verb resource` pairs a SelfSubjectAccessReview denies (`create pods/exec`). */
  readonly denied?: readonly string[];
}

/** Built-in kinds every cluster serves, whether or not the recording has objects of them. */
const BUILT_IN: Record<string, string[]> = {
  v1: ['Namespace', 'Pod', 'Service', 'ConfigMap', 'Node'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
  'networking.k8s.io/v1': ['NetworkPolicy'],
};

/**
 * A recorded API server: answers the read verbs from a list of objects, as the live gateway would
 * (404 for kinds it does not serve), and refuses every write, so a reader under test that tried to
 * change the cluster fails loudly. `calls` logs what was asked.
 */
export class RecordedGateway implements KubeGateway {
  readonly calls: string[] = [];
  private readonly served = new Map<string, Set<string>>();

  constructor(
    readonly objects: readonly KubeObject[],
    private readonly options: RecordedGatewayOptions = {},
  ) {
    for (const [gv, kinds] of [...Object.entries(BUILT_IN), ...Object.entries(options.served ?? {})])
      for (const kind of kinds) this.serve(gv, kind);
    for (const o of objects) this.serve(o.apiVersion, o.kind);
  }

  static fromYamlFile(path: string, options?: RecordedGatewayOptions): RecordedGateway {
    return new RecordedGateway(parseObjects(readFileSync(path, 'utf8')), options);
  }

  private serve(groupVersion: string, kind: string): void {
    const kinds = this.served.get(groupVersion) ?? new Set();
    kinds.add(kind);
    this.served.set(groupVersion, kinds);
  }

  async servedKinds(groupVersion: string): Promise<string[] | undefined> {
    this.calls.push(`discover ${groupVersion}`);
    const kinds = this.served.get(groupVersion);
    return kinds ? [...kinds] : undefined;
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    this.calls.push(`list ${kind}${namespace ? ` in ${namespace}` : ''}`);
    if (this.options.forbidden?.includes(kind)) throw new KubeError(`list ${kind}: forbidden`, 403);
    if (!this.served.get(apiVersion)?.has(kind))
      throw new KubeError(`list ${kind}: Unrecognized API version and kind: ${apiVersion} ${kind}`, 404);
    return this.objects.filter(
      (o) =>
        o.apiVersion === apiVersion &&
        o.kind === kind &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.calls.push(`read ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
    return this.objects.find(
      (o) =>
        o.apiVersion === ref.apiVersion &&
        o.kind === ref.kind &&
        o.metadata.name === ref.name &&
        o.metadata.namespace === ref.namespace,
    );
  }

  async serverVersion(): Promise<string> {
    this.calls.push('version');
    return this.options.serverVersion ?? 'v1.34.1';
  }

  async listNamespaces(): Promise<string[]> {
    return this.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  }

  async namespaceExists(name: string): Promise<boolean> {
    return this.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === name);
  }

  async podStatuses(): Promise<PodStatus[]> {
    throw this.refuse('podStatuses');
  }

  async deniedAccess(checks: readonly AccessCheck[]): Promise<AccessCheck[]> {
    this.calls.push('review access');
    return checks.filter((c) => this.options.denied?.includes(`${c.verb} ${c.resource}`));
  }

  async apply(object: KubeObject): Promise<void> {
    throw this.refuse(`apply ${object.kind} ${object.metadata.name}`);
  }

  async remove(object: Pick<KubeObject, 'kind' | 'metadata'>): Promise<void> {
    throw this.refuse(`delete ${object.kind} ${object.metadata.name}`);
  }

  async exec(): Promise<ExecResult> {
    throw this.refuse('exec');
  }

  async openShell(): Promise<ShellSession> {
    throw this.refuse('exec');
  }

  private refuse(what: string): Error {
    this.calls.push(`REFUSED ${what}`);
    return new Error(`recorded cluster is read-only: ${what}`);
  }
}

/** Every object of a multi-document YAML file (List kinds flattened). */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null)
    .flatMap((o) => (o.kind === 'List' ? (o['items'] as KubeObject[]) : [o]));
}
