import { expect } from 'chai';
import { allowed, external, policy, pod, world } from '../../support/world.js';

const w = world({ x: { team: 'x' }, y: { team: 'y', env: 'prod' }, z: { team: 'z' } }, [
  pod('x/a', { app: 'a' }, undefined, '10.244.1.1'),
  pod('x/b', { app: 'b' }, undefined, '10.244.1.2'),
  pod('y/a', { app: 'a' }, undefined, '10.244.2.1'),
  pod('z/b', { app: 'b' }, undefined, '10.244.3.2'),
  external('partner', '203.0.113.10'),
]);
const toXa = (from: object[]) =>
  policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: from as never }] });

describe('NetworkPolicyPeer', () => {
  it('podSelector alone selects pods in the policy namespace only', () => {
    const p = toXa([{ podSelector: { matchLabels: { app: 'b' } } }]);
    expect(allowed(w, [p], 'x/b', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'z/b', 'x/a'), 'same labels in another namespace').to.equal(false);
  });
  it('podSelector: {} alone means every pod of the policy namespace', () => {
    const p = toXa([{ podSelector: {} }]);
    expect(allowed(w, [p], 'x/b', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(false);
  });
  it('namespaceSelector: {} means every pod in every namespace', () => {
    const p = toXa([{ namespaceSelector: {} }]);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'z/b', 'x/a')).to.equal(true);
  });
  it('namespaceSelector alone selects all pods of matching namespaces', () => {
    const p = toXa([{ namespaceSelector: { matchLabels: { env: 'prod' } } }]);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'x/b', 'x/a'), 'its own namespace does not match').to.equal(false);
  });
  it('namespaceSelector and podSelector in one peer are ANDed', () => {
    const p = toXa([{ namespaceSelector: { matchLabels: { team: 'z' } }, podSelector: { matchLabels: { app: 'b' } } }]);
    expect(allowed(w, [p], 'z/b', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'x/b', 'x/a')).to.equal(false);
  });
  it('two peers in one rule are ORed', () => {
    const p = toXa([
      { namespaceSelector: { matchLabels: { team: 'z' } } },
      { podSelector: { matchLabels: { app: 'b' } } },
    ]);
    expect(allowed(w, [p], 'z/b', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'x/b', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(false);
  });
  it('the implicit kubernetes.io/metadata.name label selects a namespace by name', () => {
    const p = toXa([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }]);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'z/b', 'x/a')).to.equal(false);
  });
  it('absent from (or an empty list) allows every source', () => {
    expect(allowed(w, [toXa([])], 'z/b', 'x/a')).to.equal(true);
    const absent = policy('x', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [{ ports: [{ port: 80 }] }],
    });
    expect(allowed(w, [absent], 'z/b', 'x/a')).to.equal(true);
  });
  it('ipBlock matches pod IPs, honouring except', () => {
    const p = toXa([{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.3.0/24'] } }]);
    expect(allowed(w, [p], 'y/a', 'x/a')).to.equal(true);
    expect(allowed(w, [p], 'z/b', 'x/a'), 'z/b is in the except block').to.equal(false);
  });
  it('egress to an external is allowed only by ipBlock, never by selectors', () => {
    const bySelector = policy('x', 'e', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    });
    expect(allowed(w, [bySelector], 'x/a', 'external:partner')).to.equal(false);
    const byIp = policy('x', 'e', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }],
    });
    expect(allowed(w, [byIp], 'x/a', 'external:partner')).to.equal(true);
    const excepted = policy('x', 'e', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.10/32'] } }] }],
    });
    expect(allowed(w, [excepted], 'x/a', 'external:partner')).to.equal(false);
  });
  it('an ingress policy never affects traffic to an external', () => {
    const deny = policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(allowed(w, [deny], 'x/a', 'external:partner')).to.equal(true);
  });
});
