/**
 * Parts of a NetworkPolicy that do nothing in a given world: rules of a direction the policy does
 * not isolate, selectors that select nobody, named ports no selected pod serves. Each finding is a
 * path inside the manifest and a message; the scenario layer turns paths into file:line:col.
 */
import type {
  IPBlock,
  LabelSelector,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../model/network-policy.js';
import type { Endpoint, World, WorldNamespace } from '../model/world.js';
import { ipBlockContains } from './peers.js';
import { effectivePolicyTypes, policyNamespace } from './policy.js';
import { selectorMatches } from './selector.js';

export type ManifestPath = ReadonlyArray<string | number>;

export interface PolicyFinding {
  readonly path: ManifestPath;
  /** Point at the map key (`egress:`) rather than its value. */
  readonly key?: boolean;
  readonly message: string;
}

const DIRECTIONS = [
  { field: 'ingress', type: 'Ingress' },
  { field: 'egress', type: 'Egress' },
] as const;

/** Rules the API server keeps but never enforces: policyTypes is explicit and lacks their direction. */
export function ignoredRules(policy: NetworkPolicy): PolicyFinding[] {
  const declared = policy.spec.policyTypes;
  if (!declared || declared.length === 0) return [];
  return DIRECTIONS.flatMap(({ field, type }): PolicyFinding[] => {
    const rules = policy.spec[field] ?? [];
    if (rules.length === 0 || declared.includes(type)) return [];
    return [
      {
        path: ['spec', field],
        key: true,
        message:
          `${rules.length === 1 ? `this ${field} rule is` : `these ${rules.length} ${field} rules are`} ignored: ` +
          `policyTypes is [${declared.join(', ')}] and lacks ${type}, so this policy does not isolate ${field} ` +
          `(add ${type} to policyTypes, or remove ${rules.length === 1 ? 'it' : 'them'})`,
      },
    ];
  });
}

function listed(keys: readonly string[]): string {
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown}, …${keys.length - 4} more` : shown;
}

/**
 * One world's pods and namespaces, indexed once: a scenario is linted policy by policy, step by
 * step, and the benchmark's 300 policies over 200 workloads must stay well under a second.
 */
export class LintWorld {
  /** Pods (workloads and cluster DNS), never externals: selectors and named ports only concern pods. */
  readonly pods: readonly Endpoint[];
  private readonly namespaceLabels: ReadonlyMap<string, Labels>;
  private readonly ipBlocks = new Map<string, ReadonlySet<Endpoint>>();

  constructor(readonly world: World) {
    this.pods = world.endpoints.filter((e) => e.kind !== 'external');
    this.namespaceLabels = new Map(world.namespaces.map((n) => [n.name, n.labels]));
  }

  get namespaces(): readonly WorldNamespace[] {
    return this.world.namespaces;
  }

  /** Does the peer select pod `e` (for a policy in namespace `ns`)? */
  selects(peer: NetworkPolicyPeer, ns: string, e: Endpoint): boolean {
    if (peer.ipBlock) return this.inIpBlock(peer.ipBlock, e);
    const inNamespace = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.namespaceLabels.get(e.namespace ?? '') ?? {})
      : e.namespace === ns;
    return inNamespace && selectorMatches(peer.podSelector ?? {}, e.labels);
  }

  private inIpBlock(block: IPBlock, e: Endpoint): boolean {
    const key = `${block.cidr}|${(block.except ?? []).join(',')}`;
    let members = this.ipBlocks.get(key);
    if (!members) {
      members = new Set(this.pods.filter((p) => ipBlockContains(block, p.ip)));
      this.ipBlocks.set(key, members);
    }
    return members.has(e);
  }
}

function hasNamedPort(ports: readonly NetworkPolicyPort[] | undefined): boolean {
  return (ports ?? []).some((p) => typeof p.port === 'string');
}

/** Selectors that select nothing, and named ports that no pod they would apply to serves. */
export function idlePolicyParts(world: LintWorld, policy: NetworkPolicy): PolicyFinding[] {
  const ns = policyNamespace(policy);
  const subjects = world.pods.filter(
    (e) => e.namespace === ns && selectorMatches(policy.spec.podSelector ?? {}, e.labels),
  );
  // A policy that selects no pod does nothing: its rules are not worth a word more.
  if (subjects.length === 0)
    return [
      {
        path: ['spec', 'podSelector'],
        key: true,
        message: `podSelector matches no workload in namespace ${ns}: this policy selects no pod and does nothing`,
      },
    ];
  // Rules of a direction the policy does not isolate have their own warning (ignoredRules).
  const types = effectivePolicyTypes(policy);
  const findings: PolicyFinding[] = [];
  (types.has('Ingress') ? (policy.spec.ingress ?? []) : []).forEach((rule, i) => {
    const base = ['spec', 'ingress', i] as const;
    (rule.from ?? []).forEach((peer, j) => findings.push(...idlePeer(world, peer, ns, [...base, 'from', j])));
    findings.push(...unservedNamedPorts(rule.ports, subjects, [...base, 'ports'], 'this policy selects'));
  });
  (types.has('Egress') ? (policy.spec.egress ?? []) : []).forEach((rule, i) => {
    const base = ['spec', 'egress', i] as const;
    const peers = rule.to ?? [];
    peers.forEach((peer, j) => findings.push(...idlePeer(world, peer, ns, [...base, 'to', j])));
    if (!hasNamedPort(rule.ports)) return;
    const open = peers.length === 0;
    const targets = open ? world.pods : world.pods.filter((e) => peers.some((p) => world.selects(p, ns, e)));
    const ipBlocksOnly = peers.length > 0 && peers.every((p) => p.ipBlock);
    if (targets.length)
      findings.push(
        ...unservedNamedPorts(
          rule.ports,
          targets,
          [...base, 'ports'],
          open ? 'any pod (the rule is open to all peers)' : "this rule's peers select",
        ),
      );
    else if (ipBlocksOnly) findings.push(...namedPortsToNoPod(rule.ports, [...base, 'ports']));
  });
  return findings;
}

function idlePeer(world: LintWorld, peer: NetworkPolicyPeer, ns: string, path: ManifestPath): PolicyFinding[] {
  if (peer.ipBlock) return [];
  let namespaces: readonly WorldNamespace[] = world.namespaces.filter((n) => n.name === ns);
  if (peer.namespaceSelector) {
    namespaces = world.namespaces.filter((n) => selectorMatches(peer.namespaceSelector!, n.labels));
    if (namespaces.length === 0)
      return [
        {
          path: [...path, 'namespaceSelector'],
          key: true,
          message:
            `namespaceSelector matches no namespace (${selectorText(peer.namespaceSelector)}; ` +
            `the scenario's: ${listed(world.namespaces.map((n) => n.name))}): this peer selects nobody`,
        },
      ];
  }
  if (!peer.podSelector) return [];
  const names = new Set(namespaces.map((n) => n.name));
  if (world.pods.some((e) => names.has(e.namespace ?? '') && selectorMatches(peer.podSelector!, e.labels))) return [];
  const where = peer.namespaceSelector
    ? `the namespaces its namespaceSelector selects (${listed([...names])})`
    : `namespace ${ns}`;
  return [
    {
      path: [...path, 'podSelector'],
      key: true,
      message:
        `podSelector (${selectorText(peer.podSelector)}) matches no workload in ${where}: ` +
        'this peer selects nobody',
    },
  ];
}

function unservedNamedPorts(
  ports: readonly NetworkPolicyPort[] | undefined,
  candidates: readonly Endpoint[],
  path: ManifestPath,
  whose: string,
): PolicyFinding[] {
  return (ports ?? []).flatMap((p, j): PolicyFinding[] => {
    if (typeof p.port !== 'string') return [];
    const name = p.port;
    const protocol = p.protocol ?? 'TCP';
    const serving = candidates.filter((e) => e.ports.some((s) => s.name === name));
    if (serving.some((e) => e.ports.some((s) => s.name === name && s.protocol === protocol))) return [];
    const others = [...new Set(serving.flatMap((e) => e.ports.filter((s) => s.name === name).map((s) => s.protocol)))];
    const detail = others.length
      ? ` (they serve it as ${others.join('/')} only, and this rule's protocol is ${protocol})`
      : whose.startsWith('any pod')
        ? ''
        : ` (${listed(candidates.map((e) => e.key))})`;
    const by = whose.startsWith('any pod') ? whose : `any pod ${whose}`;
    return [
      {
        path: [...path, j, 'port'],
        message: `named port "${name}" (${protocol}) is not served by ${by}${detail}: it opens nothing`,
      },
    ];
  });
}

function namedPortsToNoPod(ports: readonly NetworkPolicyPort[] | undefined, path: ManifestPath): PolicyFinding[] {
  return (ports ?? []).flatMap((p, j): PolicyFinding[] =>
    typeof p.port === 'string'
      ? [
          {
            path: [...path, j, 'port'],
            message:
              `named port "${p.port}" matches only a pod's container port, ` +
              "and this rule's ipBlock peers contain no pod: it opens nothing (use the port number)",
          },
        ]
      : [],
  );
}

/** `app=web, tier in (a,b)`: a selector as kubectl prints one. */
export function selectorText(selector: LabelSelector): string {
  const terms = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((r) => {
      switch (r.operator) {
        case 'In':
          return `${r.key} in (${(r.values ?? []).join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${(r.values ?? []).join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    }),
  ];
  return terms.length ? terms.join(', ') : 'everything';
}
