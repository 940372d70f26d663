import type { KubeGateway } from './gateway.js';
import type { KubeObject } from '../model/kube-object.js';

/** One write the harness sent to the API server, as it sent it. */
export interface RecordedWrite {
  readonly method: 'apply' | 'remove';
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  /** The labels the object was applied with (a remove sends none). */
  readonly labels: Readonly<Record<string, string>>;
  /** Set when the API server refused it. */
  readonly error?: string;
}

/** Every call, writes and reads alike: what a least-privilege audit counts. */
export interface RecordedCall {
  readonly method: keyof KubeGateway;
  /** The call's arguments, short: `Namespace x`, `list v1 Pod in ns`, `exec ns/pod`. */
  readonly summary: string;
}

export interface RecordingGateway {
  readonly gw: KubeGateway;
  readonly writes: readonly RecordedWrite[];
  readonly calls: readonly RecordedCall[];
}

type WriteTarget = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

/**
 * Wrap a gateway so that every call is recorded before it reaches the cluster, and every write
 * with the object's identity and labels: an e2e test proves from it that a run only ever wrote to
 * namespaces it labelled, and no cluster-scoped object but its own namespaces.
 */
export function recordingGateway(inner: KubeGateway): RecordingGateway {
  const writes: RecordedWrite[] = [];
  const calls: RecordedCall[] = [];
  const recordWrite = async (
    method: RecordedWrite['method'],
    object: WriteTarget,
    send: () => Promise<unknown>,
  ): Promise<unknown> => {
    const base = {
      method,
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      labels: method === 'apply' ? { ...(object.metadata.labels ?? {}) } : {},
    };
    try {
      const answer = await send();
      writes.push(base);
      return answer;
    } catch (e) {
      writes.push({ ...base, error: (e as Error).message });
      throw e;
    }
  };
  const gw = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = property as keyof KubeGateway;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (method === 'apply' || method === 'remove')
        return (object: WriteTarget) => {
          calls.push({ method, summary: describeObject(object) });
          return recordWrite(method, object, () => fn(object) as Promise<unknown>);
        };
      return (...args: unknown[]) => {
        calls.push({ method, summary: summarise(method, args) });
        return fn(...args);
      };
    },
  });
  return { gw, writes, calls };
}

function describeObject(object: WriteTarget): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name}`;
}

function summarise(method: keyof KubeGateway, args: readonly unknown[]): string {
  switch (method) {
    case 'exec':
    case 'openShell':
      return `${String(args[0])}/${String(args[1])}`;
    case 'read': {
      const ref = args[0] as { kind: string; name: string; namespace?: string };
      return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    }
    case 'deniedAccess':
      return `${(args[0] as readonly unknown[]).length} checks`;
    default:
      return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  }
}
