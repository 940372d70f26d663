/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2 and v1beta1, network-policy-api v0.2.0 on),
 * rule by rule of its API reference: the Admin tier before NetworkPolicy, the Baseline tier after it,
 * each by priority; Accept, Deny, Pass; ports as `protocols`. Read from manifests as a scenario writes
 * them, and asked of the fast path and explain together.
 */
import { expect } from 'chai';
import { clusterPolicyOf, type ClusterPolicy } from '../../../harness/model/admin-policy.js';
import { policy, pod, port, tiered, world } from '../../support/world.js';

type Rule = { action: string; from?: unknown[]; to?: unknown[]; protocols?: unknown[]; name?: string };

function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  subject: unknown,
  rules: { ingress?: Rule[]; egress?: Rule[] },
  apiVersion = 'policy.networking.k8s.io/v1beta1',
): ClusterPolicy {
  return clusterPolicyOf({
    apiVersion,
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: { tier, priority, subject, ...rules },
  });
}

const w = world({ prod: { env: 'prod' }, dev: { env: 'dev' }, mon: { team: 'platform' } }, [
  pod('prod/web', { app: 'web' }, [port(80), port(8080, 'TCP', 'http'), port(53, 'UDP'), port(5353, 'UDP')]),
  pod('dev/toy', { app: 'toy' }, [port(80)]),
  pod('mon/prom', { app: 'prom' }, [port(9090)]),
]);
const prod = { namespaces: { matchLabels: { env: 'prod' } } };
const everyone = [{ namespaces: {} }];
const fromDev = [{ namespaces: { matchLabels: { env: 'dev' } } }];
const denyWeb = policy('prod', 'deny', { podSelector: { matchLabels: { app: 'web' } }, ingress: [] });
const allowDevToWeb = policy('prod', 'from-dev', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }] }],
});

describe('ClusterNetworkPolicy: the Admin tier', () => {
  it('Accept admits what NetworkPolicy blocks; Deny blocks what it admits', () => {
    const accept = cnp('accept', 'Admin', 1, prod, { ingress: [{ action: 'Accept', from: fromDev }] });
    const deny = cnp('deny', 'Admin', 1, prod, { ingress: [{ action: 'Deny', from: fromDev }] });
    expect(tiered(w, [denyWeb], [accept], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [allowDevToWeb], [deny], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });

  it('Pass skips the rest of the Admin tier and goes to NetworkPolicy', () => {
    const pass = cnp('pass', 'Admin', 1, prod, { ingress: [{ action: 'Pass', from: everyone }] });
    const deny = cnp('deny', 'Admin', 2, prod, { ingress: [{ action: 'Deny', from: everyone }] });
    expect(tiered(w, [allowDevToWeb], [pass, deny], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('both API versions read the same', () => {
    const a = cnp(
      'x',
      'Admin',
      3,
      prod,
      { ingress: [{ action: 'Deny', from: fromDev }] },
      'policy.networking.k8s.io/v1alpha2',
    );
    expect(tiered(w, [], [a], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });
});

describe('ClusterNetworkPolicy: the Baseline tier', () => {
  it('applies only where no NetworkPolicy isolates the pod, by ascending priority', () => {
    const allowMon = cnp(
      'allow-mon',
      'Baseline',
      10,
      { namespaces: {} },
      {
        ingress: [{ action: 'Accept', from: [{ namespaces: { matchLabels: { team: 'platform' } } }] }],
      },
    );
    const denyAll = cnp(
      'deny-all',
      'Baseline',
      20,
      { namespaces: {} },
      { ingress: [{ action: 'Deny', from: everyone }] },
    );
    expect(tiered(w, [], [denyAll, allowMon], 'mon/prom', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [], [denyAll, allowMon], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [allowDevToWeb], [denyAll], 'dev/toy', 'prod/web', 80), 'isolated: no baseline').to.equal(
      'allowed',
    );
  });

  it('Pass in the Baseline tier skips the rest of it: the default, allowed', () => {
    const pass = cnp('pass', 'Baseline', 1, prod, { ingress: [{ action: 'Pass', from: fromDev }] });
    const deny = cnp('deny', 'Baseline', 2, prod, { ingress: [{ action: 'Deny', from: everyone }] });
    expect(tiered(w, [], [pass, deny], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [], [pass, deny], 'mon/prom', 'prod/web', 80)).to.equal('blocked');
  });

  it('an Admin-tier Pass lands in the Baseline tier when no NetworkPolicy selects the pod', () => {
    const pass = cnp('pass', 'Admin', 1, prod, { ingress: [{ action: 'Pass', from: everyone }] });
    const deny = cnp('deny', 'Baseline', 1, prod, { ingress: [{ action: 'Deny', from: everyone }] });
    expect(tiered(w, [], [pass, deny], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });

  it('two of one tier and priority that disagree: unspecified (the implementation may apply either)', () => {
    const accept = cnp('a', 'Baseline', 5, prod, { ingress: [{ action: 'Accept', from: everyone }] });
    const deny = cnp('b', 'Baseline', 5, prod, { ingress: [{ action: 'Deny', from: everyone }] });
    expect(tiered(w, [], [accept, deny], 'dev/toy', 'prod/web', 80)).to.equal('unspecified');
    const admin = cnp('c', 'Admin', 5, prod, { ingress: [{ action: 'Deny', from: everyone }] });
    expect(tiered(w, [], [accept, admin], 'dev/toy', 'prod/web', 80), 'different tiers: Admin first').to.equal(
      'blocked',
    );
  });
});

describe('ClusterNetworkPolicy protocols', () => {
  const deny = (protocols: unknown[]) =>
    cnp('p', 'Admin', 1, prod, { ingress: [{ action: 'Deny', from: fromDev, protocols }] });

  it('tcp with a destination port number', () => {
    const p = deny([{ tcp: { destinationPort: { number: 80 } } }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 8080)).to.equal('allowed');
  });

  it('udp with a range, inclusive at both ends', () => {
    const p = deny([{ udp: { destinationPort: { range: { start: 53, end: 5353 } } } }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 5353, 'UDP')).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('a protocol without a destination port: every port of it', () => {
    const p = deny([{ tcp: {} }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 8080)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('allowed');
  });

  it('destinationNamedPort: the container port of that name', () => {
    const p = deny([{ destinationNamedPort: 'http' }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 8080)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('no protocols: every port of every protocol', () => {
    const p = cnp('p', 'Admin', 1, prod, { ingress: [{ action: 'Deny', from: fromDev }] });
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('blocked');
  });
});

describe('ClusterNetworkPolicy: a pods selector without namespaceSelector (optional from v1alpha2)', () => {
  // "NamespaceSelector follows standard label selector semantics; if empty, it selects all Namespaces."
  it('as a subject: the pods of every namespace the podSelector matches', () => {
    const p = cnp(
      'web-anywhere',
      'Admin',
      1,
      { pods: { podSelector: { matchLabels: { app: 'web' } } } },
      {
        ingress: [{ action: 'Deny', from: fromDev }],
      },
    );
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'mon/prom', 9090)).to.equal('allowed');
  });

  it('as a peer: the matching pods of every namespace, the same as namespaceSelector: {}', () => {
    const without = cnp('deny-toy', 'Admin', 1, prod, {
      ingress: [{ action: 'Deny', from: [{ pods: { podSelector: { matchLabels: { app: 'toy' } } } }] }],
    });
    const empty = cnp('deny-toy', 'Admin', 1, prod, {
      ingress: [
        { action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'toy' } } } }] },
      ],
    });
    for (const p of [without, empty]) {
      expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
      expect(tiered(w, [], [p], 'mon/prom', 'prod/web', 80)).to.equal('allowed');
    }
  });
});
