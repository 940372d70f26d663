import { expect } from 'chai';
import { effectivePolicyTypes } from '../../../harness/engine/policy.js';
import { allowed, policy, pod, world } from '../../support/world.js';

const w = world({ x: {}, y: {} }, [pod('x/a', { app: 'a' }), pod('x/b', { app: 'b' }), pod('y/c', { app: 'c' })]);

describe('policyTypes defaulting (as the API server does it)', () => {
  it('no policyTypes and no egress rules means Ingress only', () => {
    expect([...effectivePolicyTypes(policy('x', 'p', { podSelector: {}, ingress: [{}] }))]).to.deep.equal(['Ingress']);
  });
  it('no policyTypes with egress rules means Ingress and Egress', () => {
    expect([...effectivePolicyTypes(policy('x', 'p', { podSelector: {}, egress: [{}] }))]).to.have.members([
      'Ingress',
      'Egress',
    ]);
  });
  it('an empty egress list does not add Egress', () => {
    expect([...effectivePolicyTypes(policy('x', 'p', { podSelector: {}, egress: [] }))]).to.deep.equal(['Ingress']);
  });
  it('an empty policyTypes list is defaulted like an absent one', () => {
    expect([
      ...effectivePolicyTypes(policy('x', 'p', { podSelector: {}, policyTypes: [], egress: [{}] })),
    ]).to.have.members(['Ingress', 'Egress']);
  });
  it('explicit policyTypes win, even over rules of the other direction', () => {
    const p = policy('x', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [] });
    expect([...effectivePolicyTypes(p)]).to.deep.equal(['Egress']);
    expect(allowed(w, [p], 'y/c', 'x/a'), 'ingress is not isolated by an Egress-only policy').to.equal(true);
    expect(allowed(w, [p], 'x/a', 'y/c'), 'egress is isolated with no rules').to.equal(false);
  });
});

describe('isolation', () => {
  it('with no policies everything is allowed', () => {
    expect(allowed(w, [], 'x/a', 'x/b')).to.equal(true);
    expect(allowed(w, [], 'y/c', 'x/a')).to.equal(true);
  });
  it('a pod selected by an Ingress policy with no rules accepts nothing', () => {
    const deny = policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(allowed(w, [deny], 'y/c', 'x/a')).to.equal(false);
    expect(allowed(w, [deny], 'x/b', 'x/a')).to.equal(false);
    expect(allowed(w, [deny], 'x/a', 'y/c'), 'egress from x stays open').to.equal(true);
  });
  it('only pods the policy selects are isolated', () => {
    const deny = policy('x', 'deny-a', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'] });
    expect(allowed(w, [deny], 'y/c', 'x/a')).to.equal(false);
    expect(allowed(w, [deny], 'y/c', 'x/b')).to.equal(true);
  });
  it('a policy selects pods only in its own namespace', () => {
    const deny = policy('y', 'deny-all-in-y', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(allowed(w, [deny], 'x/b', 'x/a'), 'x pods are not selected by a policy in y').to.equal(true);
    expect(allowed(w, [deny], 'x/a', 'y/c')).to.equal(false);
    expect(allowed(w, [deny], 'y/c', 'x/a')).to.equal(false);
  });
  it('ingress: [{}] allows everything to the selected pods', () => {
    const all = policy('x', 'allow-all', { podSelector: {}, ingress: [{}] });
    expect(allowed(w, [all], 'y/c', 'x/a')).to.equal(true);
  });
  it('policies are a union: one allowing rule anywhere is enough', () => {
    const deny = policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    const fromC = policy('x', 'from-c', {
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'c' } } }] }],
    });
    expect(allowed(w, [deny, fromC], 'y/c', 'x/a')).to.equal(true);
    expect(allowed(w, [deny, fromC], 'x/b', 'x/a')).to.equal(false);
    expect(allowed(w, [fromC, deny], 'y/c', 'x/a'), 'order does not matter').to.equal(true);
  });
  it('a connection needs the source egress and the destination ingress', () => {
    const ingressOk = policy('x', 'in', { podSelector: {}, ingress: [{}] });
    const egressDeny = policy('y', 'out', { podSelector: {}, policyTypes: ['Egress'] });
    expect(allowed(w, [ingressOk, egressDeny], 'y/c', 'x/a'), 'the client-side deny wins').to.equal(false);
    const egressOk = policy('y', 'out-ok', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const ingressDeny = policy('x', 'in-deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(allowed(w, [egressOk, ingressDeny], 'y/c', 'x/a'), 'the server-side deny wins').to.equal(false);
  });
  it('ingress rules of a policy that is not of type Ingress are ignored', () => {
    const p = policy('x', 'p', {
      podSelector: {},
      policyTypes: ['Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'none' } } }] }],
      egress: [{}],
    });
    expect(allowed(w, [p], 'y/c', 'x/a')).to.equal(true);
  });
});
