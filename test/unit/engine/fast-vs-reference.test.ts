import { expect } from 'chai';
import { explainCell } from '../../../harness/engine/explain.js';
import { Prediction } from '../../../harness/engine/predict.js';
import type {
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../../../harness/model/network-policy.js';
import type { Endpoint } from '../../../harness/model/world.js';
import { pick, rng } from '../../support/random.js';
import { external, policy, pod, port, world } from '../../support/world.js';

const NAMESPACES = ['a', 'b', 'c'];
const LABEL_VALUES = ['1', '2'];

function randomSelector(random: () => number): LabelSelector {
  const roll = random();
  if (roll < 0.25) return {};
  if (roll < 0.6) return { matchLabels: { [pick(random, ['app', 'tier'])]: pick(random, LABEL_VALUES) } };
  const operator = pick(random, ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
  const values = operator === 'In' || operator === 'NotIn' ? [pick(random, LABEL_VALUES)] : undefined;
  return { matchExpressions: [{ key: pick(random, ['app', 'tier', 'ns']), operator, ...(values ? { values } : {}) }] };
}

function randomPeer(random: () => number): NetworkPolicyPeer {
  const roll = random();
  if (roll < 0.2)
    return {
      ipBlock: {
        cidr: pick(random, ['10.244.0.0/16', '10.244.1.0/24', '0.0.0.0/0', '203.0.113.0/24']),
        ...(random() < 0.5 ? { except: ['10.244.1.0/28'] } : {}),
      },
    };
  if (roll < 0.45) return { podSelector: randomSelector(random) };
  if (roll < 0.7) return { namespaceSelector: randomSelector(random) };
  return { podSelector: randomSelector(random), namespaceSelector: randomSelector(random) };
}

function randomPorts(random: () => number): NetworkPolicyPort[] | undefined {
  if (random() < 0.4) return undefined;
  return [
    pick(random, [
      { port: 80 },
      { port: 81, protocol: 'UDP' },
      { port: 'http' },
      { port: 'alt', protocol: 'UDP' },
      { protocol: 'TCP' },
      { port: 79, endPort: 81 },
    ]),
  ] as NetworkPolicyPort[];
}

function randomPolicy(random: () => number, i: number): NetworkPolicy {
  const rules = () =>
    Array.from({ length: Math.floor(random() * 3) }, () => ({
      peers:
        random() < 0.2 ? undefined : Array.from({ length: 1 + Math.floor(random() * 2) }, () => randomPeer(random)),
      ports: randomPorts(random),
    }));
  const types = pick(random, [undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']] as const);
  return policy(pick(random, NAMESPACES), `p${i}`, {
    podSelector: randomSelector(random),
    ...(types ? { policyTypes: [...types] } : {}),
    ingress: rules().map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })),
    egress: rules().map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })),
  });
}

describe('the fast (bitset) prediction agrees with the rule-by-rule reference', () => {
  it('on 300 random worlds and policy sets, for every cell', function () {
    // CPU-bound: a few seconds on a quiet machine, several times that beside a cluster; this is a
    // guard against a hang, not a speed target (those live in npm run bench).
    this.timeout(180_000);
    let cells = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      const endpoints: Endpoint[] = [];
      NAMESPACES.forEach((ns, n) => {
        for (let p = 0; p < 3; p++) {
          const ports = [port(80, 'TCP', pick(random, ['http', 'web'])), port(81, 'UDP', pick(random, ['alt', 'dns']))];
          endpoints.push(
            pod(
              `${ns}/p${p}`,
              { app: pick(random, LABEL_VALUES), tier: pick(random, LABEL_VALUES) },
              ports,
              `10.244.${n}.${p + 1}`,
            ),
          );
        }
      });
      endpoints.push(external('ext', '203.0.113.5', [port(80)]));
      const w = world(Object.fromEntries(NAMESPACES.map((ns) => [ns, { ns: pick(random, LABEL_VALUES) }])), endpoints);
      const policies = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => randomPolicy(random, i));
      const fast = new Prediction(w, policies);
      w.endpoints.forEach((from, i) => {
        if (from.kind !== 'workload') return;
        w.endpoints.forEach((to, j) => {
          for (const p of to.ports) {
            const reference = explainCell(w, policies, from, to, p).allowed;
            expect(fast.allowed(i, j, p), `seed ${seed}: ${from.key} -> ${to.key} ${p.port}/${p.protocol}`).to.equal(
              reference,
            );
            cells++;
          }
        });
      });
    }
    expect(cells).to.be.greaterThan(50_000);
  });
});
