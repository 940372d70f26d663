import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
// client-node exports its model-to-wire serialiser only inside dumpYaml, whose YAML round trip
// costs about 7 ms a pod (40 s for a 5,000-pod list); these are the two functions dumpYaml uses.
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { getSerializationType } from '@kubernetes/client-node/dist/util.js';
import { describe, execAndWait } from './exec.js';
import { toClientModel } from './wire.js';
import { openLiveShell } from './shell.js';
import { boundedCall } from './bounded-call.js';
import {
  KubeError,
  type AccessCheck,
  type ExecResult,
  type KubeGateway,
  type ObjectRef,
  type PodStatus,
  type ShellSession,
  type Applied,
} from './gateway.js';
import { type KubeObject } from '../model/kube-object.js';

export const FIELD_MANAGER = 'netpol-harness';

/** The live gateway over @kubernetes/client-node, for one kubeconfig file and context. */
export class LiveGateway implements KubeGateway {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly auth: AuthorizationV1Api;
  private readonly version: VersionApi;
  private readonly custom: CustomObjectsApi;
  private readonly execApi: Exec;

  constructor(
    kubeconfigPath: string | undefined,
    readonly context: string,
  ) {
    const kc = new KubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
    if (!kc.getContextObject(context))
      throw new KubeError(
        `context "${context}" is not in ${kubeconfigPath ?? 'the default kubeconfig'} (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    kc.setCurrentContext(context);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.core = kc.makeApiClient(CoreV1Api);
    this.auth = kc.makeApiClient(AuthorizationV1Api);
    this.version = kc.makeApiClient(VersionApi);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.execApi = new Exec(kc);
  }

  async apply(object: KubeObject): Promise<Applied> {
    const answer = await call(
      `apply ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`,
      () =>
        this.objects.patch(
          toClientModel(object) as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        ),
    );
    const uid = answer.metadata?.uid;
    return uid ? { uid } : {};
  }

  async remove(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    try {
      await boundedCall(() =>
        this.objects.delete(object as KubernetesObject, undefined, undefined, 0, undefined, 'Background'),
      );
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return;
      throw new KubeError(`delete ${object.kind} ${object.metadata.name}: ${describe(e)}`, codeOf(e));
    }
  }

  async listNamespaces(labelSelector: string): Promise<string[]> {
    const list = await call('list namespaces', () => this.core.listNamespace({ labelSelector }));
    return list.items.map((n) => n.metadata?.name ?? '').filter(Boolean);
  }

  async namespaceExists(name: string): Promise<boolean> {
    try {
      await boundedCall(() => this.core.readNamespace({ name }));
      return true;
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return false;
      throw new KubeError(`read namespace ${name}: ${describe(e)}`, codeOf(e));
    }
  }

  async podStatuses(namespace: string): Promise<PodStatus[]> {
    const pods = await call(`list pods in ${namespace}`, () => this.core.listNamespacedPod({ namespace }));
    const needsEvents = pods.items.some((p) => !isReady(p));
    const events = needsEvents
      ? await call(`list events in ${namespace}`, () => this.core.listNamespacedEvent({ namespace })).catch(
          () => undefined,
        )
      : undefined;
    return pods.items.map((pod) => {
      const name = pod.metadata?.name ?? '';
      const podEvents = (events?.items ?? [])
        .filter((e) => e.involvedObject?.name === name && e.type === 'Warning')
        .map((e) => `${e.reason}: ${e.message}`);
      return {
        name,
        namespace,
        phase: pod.status?.phase ?? 'Unknown',
        ready: isReady(pod),
        ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
        ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
        problems: [...podProblems(pod), ...podEvents.slice(-3)],
      };
    });
  }

  exec(
    namespace: string,
    pod: string,
    container: string,
    argv: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult> {
    return execAndWait(this.execApi, namespace, pod, container, argv, timeoutMs);
  }

  openShell(namespace: string, pod: string, container: string): Promise<ShellSession> {
    return openLiveShell(this.execApi, namespace, pod, container);
  }

  async deniedAccess(checks: readonly AccessCheck[]): Promise<AccessCheck[]> {
    const results = await Promise.all(
      checks.map(async (check) => {
        const review = await call(`check access to ${check.verb} ${check.resource}`, () =>
          this.auth.createSelfSubjectAccessReview({
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  verb: check.verb,
                  resource: check.resource,
                  group: check.group,
                  ...(check.namespace ? { namespace: check.namespace } : {}),
                },
              },
            },
          }),
        );
        return review.status?.allowed ? undefined : check;
      }),
    );
    return results.filter((c): c is AccessCheck => c !== undefined);
  }

  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await boundedCall(() =>
        this.objects.read({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        }),
      )) as unknown as KubeObject;
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw new KubeError(`read ${ref.kind} ${ref.name}: ${describe(e)}`, codeOf(e));
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    const list = await call(`list ${kind}`, () => this.objects.list(apiVersion, kind, namespace));
    // client-node hands back its models (NetworkPolicy `from` as `_from`, no kind on items): back to wire JSON.
    const type = getSerializationType(apiVersion, kind);
    return list.items.map((item) => ObjectSerializer.serialize({ ...item, apiVersion, kind }, type) as KubeObject);
  }

  async servedKinds(groupVersion: string): Promise<string[] | undefined> {
    const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
    try {
      const list = await boundedCall(() =>
        group ? this.custom.getAPIResources({ group: group!, version: version! }) : this.core.getAPIResources(),
      );
      return list.resources.filter((r) => !r.name.includes('/')).map((r) => r.kind);
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw new KubeError(`discover ${groupVersion}: ${describe(e)}`, codeOf(e));
    }
  }

  async serverVersion(): Promise<string> {
    const info = await call('read server version', () => this.version.getCode());
    return info.gitVersion;
  }
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function podProblems(pod: V1Pod): string[] {
  const waiting = (pod.status?.containerStatuses ?? []).flatMap((c) =>
    c.state?.waiting
      ? [
          `container ${c.name}: ${c.state.waiting.reason ?? 'waiting'}` +
            (c.state.waiting.message ? ` (${c.state.waiting.message})` : ''),
        ]
      : [],
  );
  const terminated = (pod.status?.containerStatuses ?? []).flatMap((c) =>
    c.state?.terminated
      ? [`container ${c.name} exited ${c.state.terminated.exitCode}: ${c.state.terminated.reason ?? ''}`]
      : [],
  );
  const conditions = (pod.status?.conditions ?? [])
    .filter((c) => c.status !== 'True' && c.message)
    .map((c) => `${c.type}: ${c.message}`);
  return [...waiting, ...terminated, ...conditions];
}

function codeOf(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

/** A call to the API server, bounded in time and retried only while the server cannot be reached. */
async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await boundedCall(fn);
  } catch (e) {
    throw new KubeError(`${what}: ${describe(e)}`, codeOf(e));
  }
}
