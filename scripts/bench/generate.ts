import { stringify } from 'yaml';
import { pick, rng } from '../../test/support/random.js';

export interface GeneratedSize {
  readonly namespaces: number;
  readonly workloads: number;
  readonly policies: number;
  readonly portsPerWorkload: number;
  readonly seed: number;
}

export const BENCH_SIZE: GeneratedSize = {
  namespaces: 10,
  workloads: 200,
  policies: 300,
  portsPerWorkload: 2,
  seed: 42,
};

const APPS = ['web', 'api', 'db', 'cache', 'worker', 'auth', 'search', 'queue'];
const TIERS = ['front', 'back', 'data'];

/**
 * A realistic, seeded scenario: apps and tiers as labels, namespaces with team/env labels, and a mix
 * of policies (default denies, app-to-app allows across namespaces, named ports, ipBlocks, egress).
 */
export function generateScenario(size: GeneratedSize): string {
  const random = rng(size.seed);
  const namespaces = Array.from({ length: size.namespaces }, (_, i) => `ns${i}`);
  const workloads = Array.from({ length: size.workloads }, (_, i) => ({
    name: `w${i}`,
    namespace: namespaces[i % size.namespaces]!,
    labels: { app: pick(random, APPS), tier: pick(random, TIERS), version: `v${1 + (i % 3)}` },
    ports: Array.from({ length: size.portsPerWorkload }, (_, p) =>
      p === 0
        ? { port: 8080 + (i % 4), name: 'http' }
        : { port: 9000 + p, protocol: pick(random, ['TCP', 'UDP']), name: `p${p}` },
    ),
  }));
  const policies = Array.from({ length: size.policies }, (_, i) => ({
    manifest: generatePolicy(random, i, namespaces),
  }));
  return stringify({
    apiVersion: 'netpol-harness/v1alpha1',
    kind: 'Scenario',
    metadata: {
      name: 'bench',
      description: `${size.workloads} workloads, ${size.namespaces} namespaces, ${size.policies} policies`,
    },
    spec: {
      namespaces: Object.fromEntries(
        namespaces.map((n, i) => [n, { labels: { team: `t${i % 4}`, env: i % 2 ? 'prod' : 'staging' } }]),
      ),
      workloads,
      policies,
      expect: { default: 'predicted' },
    },
  });
}

function generatePolicy(random: () => number, i: number, namespaces: string[]) {
  const namespace = pick(random, namespaces);
  const kind = random();
  const podSelector = kind < 0.1 ? {} : { matchLabels: { app: pick(random, APPS) } };
  const peer = () => {
    const r = random();
    if (r < 0.3) return { podSelector: { matchLabels: { tier: pick(random, TIERS) } } };
    if (r < 0.6)
      return {
        namespaceSelector: { matchLabels: { team: `t${Math.floor(random() * 4)}` } },
        podSelector: { matchLabels: { app: pick(random, APPS) } },
      };
    if (r < 0.8) return { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } };
    return { ipBlock: { cidr: '10.244.0.0/16', except: [`10.244.0.${16 + Math.floor(random() * 200)}/32`] } };
  };
  const ports = () => (random() < 0.5 ? [{ port: 'http' }] : [{ port: 9001, protocol: pick(random, ['TCP', 'UDP']) }]);
  const rules = (n: number) => Array.from({ length: n }, () => ({ peers: [peer(), peer()], ports: ports() }));
  if (kind < 0.1)
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `deny-${i}`, namespace },
      spec: { podSelector, policyTypes: ['Ingress'] },
    };
  const egress = kind > 0.8;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `p-${i}`, namespace },
    spec: egress
      ? { podSelector, policyTypes: ['Egress'], egress: rules(2).map((r) => ({ to: r.peers, ports: r.ports })) }
      : { podSelector, ingress: rules(2).map((r) => ({ from: r.peers, ports: r.ports })) },
  };
}
