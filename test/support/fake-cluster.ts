import { Prediction } from '../../harness/engine/predict.js';
import type { TargetSession } from '../../harness/target/session.js';
import type {
  AccessCheck,
  ExecResult,
  KubeGateway,
  ObjectRef,
  PodStatus,
  ShellSession,
  Applied,
} from '../../harness/kube/gateway.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import type { NetworkPolicy } from '../../harness/model/network-policy.js';
import {
  ADMIN_API_VERSION,
  ANP_KIND,
  BANP_KIND,
  CNP_KIND,
  clusterPolicyKind,
  clusterPolicyOf,
  type ClusterPolicy,
} from '../../harness/model/admin-policy.js';
import {
  DNS_KEY,
  NAMESPACE_NAME_LABEL,
  type Endpoint,
  type ServedPort,
  type World,
} from '../../harness/model/world.js';
import { DNS_PORTS, dnsEndpoint } from '../../harness/model/step-world.js';
import { shellWords } from './shell-words.js';

export interface FakeClusterOptions {
  /** false: policies are accepted and nothing is enforced (kindnet without NFT_QUEUE). */
  enforce?: boolean;
  /** How long an applied or deleted policy takes to take effect. */
  propagationMs?: number;
  /** How blocked traffic shows: a timeout or an active reject. */
  blocked?: 'dropped' | 'refused';
  /** `ns/pod` whose exec fails as if the pod were gone. */
  brokenExec?: Set<string>;
  /** Access checks the fake denies. */
  denied?: AccessCheck[];
  /** Servers outside the cluster (what `provisionExternals` starts beside a kind cluster). */
  externals?: ReadonlyArray<{ ip: string; identity: string; ports: readonly ServedPort[] }>;
  /** Open paths answer only probes that wait at least this long (a loaded node): shorter ones time out. */
  slowConnectSeconds?: number;
  /** A deleted namespace stays terminating this long; nothing can be created in it meanwhile. */
  terminatingMs?: number;
  /**
   * `ns/pod` on a node that stopped (docker pause): its exec never finishes and nothing it serves
   * answers, so probes to it time out as a dropped packet would. Mutable, to pause mid-run.
   */
  unresponsive?: Set<string>;
  /**
   * A CoreDNS pod in kube-system, up or scaled to zero (then lookups are rejected, as kube-proxy
   * rejects traffic to a Service without endpoints). Unset: no kube-system pods at all. Mutable.
   */
  coreDns?: 'up' | 'down';
  /**
   * Node names: pods are spread over them (or pinned by spec.nodeName), a hostNetwork pod takes its
   * node's IP, and traffic from a node to a pod on it is always allowed (the spec's rule). Unset: no
   * nodes are listed.
   */
  nodes?: readonly string[];
  /**
   * false: the cluster does not serve policy.networking.k8s.io/v1alpha1 (no AdminNetworkPolicy CRDs,
   * as on Cilium); otherwise ANPs and the BANP are stored and enforced by the engine's tiers.
   */
  clusterScoped?: boolean;
  /** ClusterNetworkPolicy served (v1beta1) and enforced; unset: not served, as on Calico v3.31. */
  clusterNetworkPolicy?: boolean;
}

interface Stored<P> {
  policy: P;
  appliedAt: number;
  deletedAt?: number;
}
type StoredPolicy = Stored<NetworkPolicy>;

/**
 * A cluster in memory that enforces the NetworkPolicy spec over the objects the harness really
 * applied (real namespace names, rewritten selectors, real IPs), answering probe scripts in the
 * recorded output formats of curl, agnhost connect and nslookup. Faults are injectable.
 */
export class FakeCluster implements KubeGateway {
  readonly namespaces = new Map<string, Record<string, string>>();
  readonly pods = new Map<string, { object: KubeObject; ip: string; node?: string }>();
  readonly policies = new Map<string, StoredPolicy[]>();
  /** AdminNetworkPolicies and the BaselineAdminNetworkPolicy by `kind/name`, as applied (confined selectors). */
  readonly clusterPolicies = new Map<string, Array<Stored<KubeObject>>>();
  /** Services by `ns/name`, with the cluster IP the fake gave them. */
  readonly services = new Map<string, { object: KubeObject; clusterIP: string }>();
  private nextServiceIp = 10;
  private nextNodePort = 30080;
  readonly execs: string[] = [];
  /** Pods created (applied while absent), as opposed to pods re-applied with new labels. */
  podCreations = 0;
  private nextIp = 10;

  constructor(readonly options: FakeClusterOptions = {}) {}

  private readonly terminating = new Map<string, number>();
  /** Namespaces as applied (annotations included), for list(). */
  private readonly namespaceObjects = new Map<string, KubeObject>();

  async apply(object: KubeObject): Promise<Applied | void> {
    const ns = object.metadata.namespace ?? '';
    const gone = this.terminating.get(object.kind === 'Namespace' ? object.metadata.name : ns);
    if (gone !== undefined && Date.now() < gone)
      throw new Error(
        `namespace ${object.kind === 'Namespace' ? object.metadata.name : ns} is being terminated (HTTP 403)`,
      );
    if (clusterPolicyKind(object)) {
      const served =
        object.kind === CNP_KIND ? this.options.clusterNetworkPolicy : this.options.clusterScoped !== false;
      if (!served) throw new Error(`no matches for kind "${object.kind}" (HTTP 404)`);
      record(this.clusterPolicies, `${object.kind}/${object.metadata.name}`, object);
    } else if (object.kind === 'Namespace') {
      // As the API server does: every namespace carries its name as a label.
      const labels = { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: object.metadata.name };
      this.namespaces.set(object.metadata.name, labels);
      this.namespaceObjects.set(object.metadata.name, { ...object, metadata: { ...object.metadata, labels } });
    } else if (!this.namespaces.has(ns)) throw new Error(`namespaces "${ns}" not found`);
    else if (object.kind === 'Pod') {
      const key = `${ns}/${object.metadata.name}`;
      if (!this.pods.has(key)) this.podCreations++;
      const spec = object['spec'] as { nodeName?: string; hostNetwork?: boolean };
      const nodes = this.options.nodes ?? [];
      const node = this.pods.get(key)?.node ?? spec.nodeName ?? nodes[this.podCreations % Math.max(nodes.length, 1)];
      const ip = spec.hostNetwork && node ? this.nodeIp(node) : (this.pods.get(key)?.ip ?? `10.244.1.${this.nextIp++}`);
      this.pods.set(key, { object, ip, ...(node ? { node } : {}) });
    } else if (object.kind === 'Service') {
      const key = `${ns}/${object.metadata.name}`;
      const spec = object['spec'] as { type?: string; ports: Array<Record<string, unknown>> };
      // As the API server does: a NodePort Service gets a node port on each port.
      if (spec.type === 'NodePort')
        object = {
          ...object,
          spec: { ...spec, ports: spec.ports.map((p) => ({ ...p, nodePort: p['nodePort'] ?? this.nextNodePort++ })) },
        };
      this.services.set(key, {
        object,
        clusterIP: this.services.get(key)?.clusterIP ?? `10.96.7.${this.nextServiceIp++}`,
      });
    } else if (object.kind === 'NetworkPolicy') {
      record(this.policies, `${ns}/${object.metadata.name}`, object as unknown as NetworkPolicy);
    }
  }

  async remove(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    if (object.kind === 'Namespace') {
      const name = object.metadata.name;
      if (this.namespaces.has(name)) this.terminating.set(name, Date.now() + (this.options.terminatingMs ?? 0));
      this.namespaces.delete(name);
      this.namespaceObjects.delete(name);
      for (const key of [...this.pods.keys()]) if (key.startsWith(`${name}/`)) this.pods.delete(key);
      for (const key of [...this.policies.keys()]) if (key.startsWith(`${name}/`)) this.policies.delete(key);
      for (const key of [...this.services.keys()]) if (key.startsWith(`${name}/`)) this.services.delete(key);
    } else if (object.kind === 'NetworkPolicy') {
      for (const h of this.policies.get(`${object.metadata.namespace}/${object.metadata.name}`) ?? [])
        h.deletedAt ??= Date.now();
    } else if (clusterPolicyKind(object)) {
      for (const h of this.clusterPolicies.get(`${object.kind}/${object.metadata.name}`) ?? [])
        h.deletedAt ??= Date.now();
    }
  }

  async listNamespaces(labelSelector: string): Promise<string[]> {
    const wanted = labelSelector
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]);
    return [...this.namespaces].filter(([, labels]) => wanted.every(([k, v]) => labels[k] === v)).map(([name]) => name);
  }

  async namespaceExists(name: string): Promise<boolean> {
    return this.namespaces.has(name);
  }

  async podStatuses(namespace: string): Promise<PodStatus[]> {
    if (namespace === 'kube-system' && this.options.coreDns === 'up')
      return [{ name: 'coredns-7c5f-x1', namespace, phase: 'Running', ready: true, ip: '10.244.0.2', problems: [] }];
    return [...this.pods]
      .filter(([key]) => key.startsWith(`${namespace}/`))
      .map(([, p]) => ({
        name: p.object.metadata.name,
        namespace,
        phase: 'Running',
        ready: true,
        ip: p.ip,
        ...(p.node ? { node: p.node } : {}),
        problems: [],
      }));
  }

  private nodeIp(node: string): string {
    return `172.18.0.${2 + (this.options.nodes ?? []).indexOf(node)}`;
  }

  async deniedAccess(checks: readonly AccessCheck[]): Promise<AccessCheck[]> {
    return checks.filter((c) => this.options.denied?.some((d) => d.verb === c.verb && d.resource === c.resource));
  }

  async serverVersion(): Promise<string> {
    return 'v1.34.4-fake';
  }

  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    if (ref.kind === 'Namespace')
      return this.namespaces.has(ref.name)
        ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.name, labels: this.namespaces.get(ref.name)! } }
        : undefined;
    if (ref.kind === 'Pod') return this.pods.get(`${ref.namespace}/${ref.name}`)?.object;
    if (clusterPolicyKind(ref))
      return this.clusterPolicies.get(`${ref.kind}/${ref.name}`)?.find((h) => h.deletedAt === undefined)?.policy;
    if (ref.kind === 'Service') {
      const service = this.services.get(`${ref.namespace}/${ref.name}`);
      return (
        service && { ...service.object, spec: { ...(service.object['spec'] as object), clusterIP: service.clusterIP } }
      );
    }
    return undefined;
  }

  /** The fake serves the built-in kinds it stores and no CRDs. */
  async servedKinds(groupVersion: string): Promise<string[] | undefined> {
    const served: Record<string, string[]> = {
      v1: ['Namespace', 'Pod'],
      'networking.k8s.io/v1': ['NetworkPolicy'],
      ...(this.options.clusterScoped === false ? {} : { [ADMIN_API_VERSION]: [ANP_KIND, BANP_KIND] }),
      ...(this.options.clusterNetworkPolicy ? { 'policy.networking.k8s.io/v1beta1': [CNP_KIND] } : {}),
    };
    return served[groupVersion];
  }

  /** As the API server lists them: pods Running and Ready with their IP, the policies in force. */
  async list(_apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    const inNamespace = (key: string) => !namespace || key.startsWith(`${namespace}/`);
    if (kind === 'Namespace') return [...this.namespaceObjects.values()];
    if (kind === 'Node')
      return (this.options.nodes ?? []).map((name) => ({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name },
        status: { addresses: [{ type: 'InternalIP', address: this.nodeIp(name) }] },
      }));
    if (kind === 'Pod')
      return [...this.pods]
        .filter(([key]) => inNamespace(key))
        .map(([, p]) => ({
          ...p.object,
          status: {
            phase: 'Running',
            podIP: p.ip,
            podIPs: [{ ip: p.ip }],
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        }));
    if (kind === 'Service')
      return [...this.services]
        .filter(([key]) => inNamespace(key))
        .map(([, { object, clusterIP }]) => ({
          ...object,
          spec: { ...(object['spec'] as object), clusterIP, clusterIPs: [clusterIP] },
        }));
    if (kind === 'EndpointSlice')
      return [...this.services]
        .filter(([key]) => inNamespace(key))
        .map(([, { object }]) => ({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: `${object.metadata.name}-abc12`,
            labels: { 'kubernetes.io/service-name': object.metadata.name },
          },
          endpoints: this.backends(object).map((p) => ({ addresses: [p.ip], conditions: { ready: true } })),
        }));
    if (kind === 'NetworkPolicy')
      return [...this.policies]
        .filter(([key]) => inNamespace(key))
        .flatMap(([, history]) => history.filter((h) => h.deletedAt === undefined))
        .map((h) => h.policy as unknown as KubeObject);
    if (clusterPolicyKind({ kind }))
      return [...this.clusterPolicies]
        .filter(([key]) => key.startsWith(`${kind}/`))
        .flatMap(([, history]) => history.filter((h) => h.deletedAt === undefined).map((h) => h.policy));
    return [];
  }

  /** `shells` counts opened sessions; each run answers like a one-shot exec of the script. */
  shells = 0;

  async openShell(namespace: string, pod: string, container: string): Promise<ShellSession> {
    this.shells++;
    let closed = false;
    return {
      get closed() {
        return closed;
      },
      run: (script) => this.exec(namespace, pod, container, ['sh', '-c', script]),
      close: () => {
        closed = true;
      },
    };
  }

  /**
   * A probe script in an external's container (`ext-<ip>`), the way TargetSession.execInExternal runs
   * one: a node address and node port is translated to the Service behind it, as kube-proxy does; the
   * client keeps its address (no SNAT, whatever externalTrafficPolicy says).
   */
  readonly execInExternal = async (container: string, script: string): Promise<ExecResult> => {
    const ip = container.replace(/^ext-/, '');
    const { world, policies, clusterPolicies } = this.snapshot();
    const prediction = new Prediction(world, policies, clusterPolicies);
    const from = world.endpoints.findIndex((e) => e.key === `external:${ip}`);
    this.lookupFails = false;
    const lines = script.split('\n').flatMap((l) => {
      const words = shellWords(l.replace(/ &$/, ''));
      if (words[0] !== '/netpol-server' || words[1] !== 'probe') return [];
      return words
        .slice(4)
        .map((spec) =>
          this.batchLine(prediction, world, from, this.throughNodePort(spec), Number.parseFloat(words[3] ?? '1')),
        );
    });
    return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0, durationMs: 1 };
  };

  /** `id=tcp:NODE-ADDRESS:NODEPORT` as the Service's cluster IP and port (answer() then goes to the pod). */
  private throughNodePort(spec: string): string {
    const m = /^(\d+)=(tcp|udp):([\d.]+):(\d+)$/.exec(spec);
    if (!m) return spec;
    for (const { object, clusterIP } of this.services.values()) {
      const port = (object['spec'] as { ports: Array<{ port: number; nodePort?: number }> }).ports.find(
        (p) => p.nodePort === Number(m[4]),
      );
      if (port) return `${m[1]}=${m[2]}:${clusterIP}:${port.port}`;
    }
    return spec;
  }

  async exec(namespace: string, pod: string, _container: string, argv: readonly string[]): Promise<ExecResult> {
    const key = `${namespace}/${pod}`;
    this.execs.push(key);
    if (this.options.brokenExec?.has(key) || !this.pods.has(key))
      return { stdout: '', stderr: '', failure: `pods "${pod}" not found`, durationMs: 1 };
    if (this.options.unresponsive?.has(key))
      return { stdout: '', stderr: '', failure: `exec in ${key} did not finish within 30000 ms`, durationMs: 30_000 };
    const script = argv.at(-1) ?? '';
    const { world, policies, clusterPolicies } = this.snapshot();
    const prediction = new Prediction(world, policies, clusterPolicies);
    const from = world.endpoints.findIndex((e) => e.key === key);
    this.lookupFails =
      this.options.coreDns === 'down' || (this.options.enforce !== false && !prediction.dnsReachable(from));
    const lines = script.split('\n').flatMap((l) => {
      const words = shellWords(l.replace(/ &$/, ''));
      if (words[0] === '/netpol-server' && words[1] === 'probe')
        return words
          .slice(4)
          .map((spec) => this.batchLine(prediction, world, from, spec, Number.parseFloat(words[3] ?? '1')));
      if (words[0] !== 'p') return [];
      const { code, output } = this.answer(prediction, world, from, words.slice(2));
      return [`@@np\t${words[1]}\t${code}\t${output}`];
    });
    return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0, durationMs: 1 };
  }

  /** netpol-server probe's line for one `id=kind:target` spec, from the same verdict as the tools. */
  private batchLine(prediction: Prediction, world: World, from: number, spec: string, timeoutSeconds: number): string {
    const [id, target] = spec.split('=') as [string, string];
    const kind = target.slice(0, target.indexOf(':'));
    const address = target.slice(kind.length + 1);
    const words =
      kind === 'dns'
        ? ['nslookup', address]
        : kind === 'tcp'
          ? ['curl', `http://${address}/`]
          : ['/agnhost', 'connect', `--protocol=${kind === 'tcpconnect' ? 'tcp' : 'udp'}`, address];
    const { code, output } = this.answer(prediction, world, from, words);
    if (code === 6)
      return `@@np\t${id}\t1\tTIMEOUT: dial ${kind === 'udp' ? 'udp' : 'tcp'}: lookup ${address.slice(0, address.lastIndexOf(':'))} on 10.96.0.10:53: i/o timeout`;
    const blocked =
      (this.options.blocked ?? 'dropped') === 'dropped' ? 'TIMEOUT: i/o timeout' : 'REFUSED: connection refused';
    const ok =
      kind === 'tcp'
        ? `OK ${output.replace(/\s+HTTP 200$/, '')} HTTP 200`
        : kind === 'tcpconnect'
          ? `OK connected to ${address} (handshake only)`
          : kind === 'udp'
            ? `OK netpol-harness ${this.identityAt(address.slice(0, address.lastIndexOf(':')))} udp`
            : 'OK 10.96.0.1';
    if (kind === 'dns' && this.options.coreDns === 'down')
      return `@@np\t${id}\t1\tREFUSED: lookup ${address} on 10.96.0.10:53: read udp: connection refused`;
    if (code === 0 && kind !== 'dns' && timeoutSeconds < (this.options.slowConnectSeconds ?? 0))
      return `@@np\t${id}\t1\tTIMEOUT: dial tcp ${address}: i/o timeout`;
    return `@@np\t${id}\t${code === 0 ? 0 : 1}\t${code === 0 ? ok : blocked}`;
  }

  private answer(
    prediction: Prediction,
    world: World,
    from: number,
    words: string[],
  ): { code: number; output: string } {
    const blocked = this.options.blocked ?? 'dropped';
    if (words[0] === 'nslookup') {
      if (this.options.coreDns === 'down')
        return { code: 1, output: ';; communications error to 10.96.0.10#53: connection refused' };
      const dns = world.endpoints.findIndex((e) => e.key === DNS_KEY);
      const ok = this.options.enforce === false || prediction.allowed(from, dns, DNS_PORTS[0]);
      return ok
        ? { code: 0, output: `Server:  10.96.0.10 Address: 10.96.0.10#53  Name: ${words.at(-1)} Address: 10.96.0.1` }
        : { code: 1, output: ';; communications error to 10.96.0.10#53: timed out ;; no servers could be reached' };
    }
    const tcp = words[0] === 'curl';
    const address = tcp ? (/http:\/\/([^/]+)\//.exec(words.at(-1) ?? '')?.[1] ?? '') : (words.at(-1) ?? '');
    const [host, servicePortText] = [
      address.slice(0, address.lastIndexOf(':')),
      address.slice(address.lastIndexOf(':') + 1),
    ];
    const translated = this.throughService(host, Number(servicePortText), tcp || words.includes('--protocol=tcp'));
    if (translated === 'no-lookup') return { code: 6, output: `curl: (6) Could not resolve host: ${host}` };
    const [ip, portText] = translated ? [translated.ip, String(translated.port)] : [host, servicePortText];
    const protocol =
      tcp || words.includes('--protocol=tcp') ? 'TCP' : words.includes('--protocol=udp') ? 'UDP' : 'SCTP';
    const to = world.endpoints.findIndex((e) => e.ip === ip);
    const port: ServedPort | undefined = world.endpoints[to]?.ports.find(
      (p) => p.port === Number(portText) && p.protocol === protocol,
    );
    const allowed =
      to >= 0 &&
      port !== undefined &&
      (this.options.enforce === false || this.fromOwnNode(world, from, to) || prediction.allowed(from, to, port));
    if (allowed)
      return tcp
        ? { code: 0, output: `netpol-harness ${this.identityAt(ip)} ${portText}/TCP  HTTP 200` }
        : { code: 0, output: '' };
    if (tcp)
      return blocked === 'dropped'
        ? {
            code: 28,
            output: `curl: (28) Failed to connect to ${ip} port ${portText} after 1000 ms: Timeout was reached  HTTP 000`,
          }
        : {
            code: 7,
            output: `curl: (7) Failed to connect to ${ip} port ${portText} after 0 ms: Couldn't connect to server  HTTP 000`,
          };
    return blocked === 'dropped'
      ? { code: 1, output: 'TIMEOUT: read udp: i/o timeout' }
      : { code: 1, output: 'REFUSED: read udp: connection refused' };
  }

  /** A hostNetwork source on the destination pod's node: the spec always allows it. */
  private fromOwnNode(world: World, from: number, to: number): boolean {
    const source = this.pods.get(world.endpoints[from]?.key ?? '');
    const destination = this.pods.get(world.endpoints[to]?.key ?? '');
    const hostNetwork = (source?.object['spec'] as { hostNetwork?: boolean } | undefined)?.hostNetwork === true;
    return hostNetwork && source?.node !== undefined && source.node === destination?.node;
  }

  /** The pods a Service selects (by the harness's workload label, as its selector says). */
  private backends(service: KubeObject): Array<{ object: KubeObject; ip: string }> {
    const selector = (service['spec'] as { selector?: Record<string, string> }).selector ?? {};
    return [...this.pods]
      .filter(([key]) => key.startsWith(`${service.metadata.namespace}/`))
      .map(([, p]) => p)
      .filter((p) => Object.entries(selector).every(([k, v]) => p.object.metadata.labels?.[k] === v));
  }

  /**
   * kube-proxy's part: a cluster IP or a Service DNS name (`name.ns.svc`) and a Service port, as the
   * backend pod's IP and the resolved targetPort. `no-lookup` when the name cannot be resolved from
   * the prober (DNS blocked for it: the fake answers lookups only when the source may reach DNS).
   */
  private throughService(
    host: string,
    port: number,
    tcp: boolean,
  ): { ip: string; port: number } | 'no-lookup' | undefined {
    const byName = [...this.services.values()].find(
      (s) => `${s.object.metadata.name}.${s.object.metadata.namespace}.svc` === host,
    );
    const service = byName ?? [...this.services.values()].find((s) => s.clusterIP === host);
    if (!service) return undefined;
    if (byName && this.lookupFails) return 'no-lookup';
    const ports = (
      service.object['spec'] as { ports: Array<{ port: number; targetPort: number | string; protocol: string }> }
    ).ports;
    const servicePort = ports.find((p) => p.port === port && (p.protocol === 'TCP') === tcp);
    const backend = this.backends(service.object)[0];
    if (!servicePort || !backend) return { ip: '0.0.0.0', port };
    const containers = (
      backend.object['spec'] as { containers: Array<{ ports?: Array<{ containerPort: number; name?: string }> }> }
    ).containers;
    const target =
      typeof servicePort.targetPort === 'number'
        ? servicePort.targetPort
        : (containers.flatMap((c) => c.ports ?? []).find((p) => p.name === servicePort.targetPort)?.containerPort ?? 0);
    return { ip: backend.ip, port: target };
  }

  /** Set per exec by answer()'s caller: may the probing pod reach cluster DNS? */
  private lookupFails = false;

  /** The identity the pod at `ip` serves with (from its netpol-server command line). */
  private identityAt(ip: string): string {
    const external = this.options.externals?.find((e) => e.ip === ip);
    if (external) return external.identity;
    const pod = [...this.pods.values()].find((p) => p.ip === ip);
    const command =
      (pod?.object['spec'] as { containers: Array<{ command?: string[] }> } | undefined)?.containers[0]?.command ?? [];
    return command[command.indexOf('--identity') + 1] ?? '?';
  }

  /** The world and the policies in effect now, given the propagation delay. */
  private snapshot(): { world: World; policies: NetworkPolicy[]; clusterPolicies: ClusterPolicy[] } {
    const now = Date.now();
    const delay = this.options.propagationMs ?? 0;
    const effective = <P>(h: Stored<P>) =>
      now - h.appliedAt >= delay && (h.deletedAt === undefined || now - h.deletedAt < delay);
    const inForce = <P>(histories: Iterable<Array<Stored<P>>>): P[] =>
      [...histories].flatMap((history) => {
        const live = history.filter(effective);
        return live.length ? [live.at(-1)!.policy] : [];
      });
    const policies = inForce(this.policies.values());
    const clusterPolicies = inForce(this.clusterPolicies.values()).map(clusterPolicyOf);
    const answering = [...this.pods].filter(([key]) => !this.options.unresponsive?.has(key));
    const endpoints: Endpoint[] = answering.map(([key, p]) => {
      const container = (
        p.object['spec'] as {
          containers: Array<{
            ports?: Array<{ containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP'; name?: string }>;
          }>;
        }
      ).containers[0]!;
      return {
        key,
        kind: 'workload',
        namespace: p.object.metadata.namespace!,
        name: p.object.metadata.name,
        labels: p.object.metadata.labels ?? {},
        ip: p.ip,
        ports: (container.ports ?? []).map((c) => ({
          port: c.containerPort,
          protocol: c.protocol,
          ...(c.name ? { name: c.name } : {}),
        })),
      };
    });
    for (const e of this.options.externals ?? [])
      endpoints.push({
        key: `external:${e.ip}`,
        kind: 'external',
        name: e.ip,
        labels: {},
        ip: e.ip,
        ports: [...e.ports],
      });
    endpoints.push(dnsEndpoint('10.244.0.2'));
    const namespaces = [...this.namespaces, ['kube-system', {}] as const].map(([name, labels]) => ({
      name,
      labels: { ...labels, [NAMESPACE_NAME_LABEL]: name },
    }));
    return { world: { namespaces, endpoints }, policies, clusterPolicies };
  }
}

/** A new version of a stored policy: the one before it counts as deleted from now. */
function record<P>(store: Map<string, Array<Stored<P>>>, key: string, policy: P): void {
  const history = store.get(key) ?? [];
  const now = Date.now();
  history.forEach((h) => {
    h.deletedAt ??= now;
  });
  history.push({ policy, appliedAt: now });
  store.set(key, history);
}

/** The fake as a kind-like target the runner uses (a cluster of our own, no SCTP). */
export function fakeSession(cluster: FakeCluster): TargetSession {
  return { name: 'fake', cni: 'fake', context: 'kind-fake', gw: cluster, sctp: false, ownCluster: true };
}
