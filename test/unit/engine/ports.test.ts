import { expect } from 'chai';
import { allowed, policy, pod, port, world } from '../../support/world.js';

const w = world({ x: {}, y: {} }, [
  pod('x/web', { app: 'web' }, [
    port(8080, 'TCP', 'http'),
    port(9090, 'TCP', 'metrics'),
    port(53, 'UDP', 'dns'),
    port(5000, 'SCTP'),
  ]),
  pod('x/db', { app: 'db' }, [port(5432, 'TCP', 'pg'), port(9187, 'TCP', 'metrics')]),
  pod('y/prom', { app: 'prom' }, [port(9090, 'TCP', 'web')]),
]);
const ingress = (ports: object[]) => policy('x', 'p', { podSelector: {}, ingress: [{ ports: ports as never }] });

describe('NetworkPolicyPort', () => {
  it('protocol defaults to TCP', () => {
    const p = ingress([{ port: 53 }]);
    expect(allowed(w, [p], 'y/prom', 'x/web', 53, 'UDP')).to.equal(false);
    const udp = ingress([{ port: 53, protocol: 'UDP' }]);
    expect(allowed(w, [udp], 'y/prom', 'x/web', 53, 'UDP')).to.equal(true);
  });
  it('a port entry with only a protocol allows every port of that protocol', () => {
    const p = ingress([{ protocol: 'TCP' }]);
    expect(allowed(w, [p], 'y/prom', 'x/web', 8080)).to.equal(true);
    expect(allowed(w, [p], 'y/prom', 'x/web', 53, 'UDP')).to.equal(false);
  });
  it('SCTP is its own protocol: a TCP rule for the number does not cover it', () => {
    expect(allowed(w, [ingress([{ port: 5000 }])], 'y/prom', 'x/web', 5000, 'SCTP')).to.equal(false);
    expect(allowed(w, [ingress([{ port: 5000, protocol: 'SCTP' }])], 'y/prom', 'x/web', 5000, 'SCTP')).to.equal(true);
  });
  it('endPort opens an inclusive range', () => {
    const p = ingress([{ port: 8000, endPort: 8080 }]);
    expect(allowed(w, [p], 'y/prom', 'x/web', 8080)).to.equal(true);
    expect(allowed(w, [p], 'y/prom', 'x/web', 9090)).to.equal(false);
  });
  it('a named port resolves against each destination pod: one rule, different numbers', () => {
    const p = ingress([{ port: 'metrics' }]);
    expect(allowed(w, [p], 'y/prom', 'x/web', 9090)).to.equal(true);
    expect(allowed(w, [p], 'y/prom', 'x/db', 9187)).to.equal(true);
    expect(allowed(w, [p], 'y/prom', 'x/db', 5432)).to.equal(false);
  });
  it('a named egress port resolves against the destination, not the source', () => {
    const egress = policy('y', 'e', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 'metrics' }] }],
    });
    expect(allowed(w, [egress], 'y/prom', 'x/web', 9090)).to.equal(true);
    expect(allowed(w, [egress], 'y/prom', 'x/db', 9187)).to.equal(true);
    expect(allowed(w, [egress], 'y/prom', 'x/db', 5432)).to.equal(false);
  });
  it('a named port needs the protocol of the container port to match', () => {
    expect(
      allowed(w, [ingress([{ port: 'dns' }])], 'y/prom', 'x/web', 53, 'UDP'),
      'dns is UDP; the rule defaults to TCP',
    ).to.equal(false);
    expect(allowed(w, [ingress([{ port: 'dns', protocol: 'UDP' }])], 'y/prom', 'x/web', 53, 'UDP')).to.equal(true);
  });
  it('a named port that no container declares matches nothing', () => {
    expect(allowed(w, [ingress([{ port: 'nope' }])], 'y/prom', 'x/web', 8080)).to.equal(false);
  });
  it('ports and peers of one rule are ANDed; rules are ORed', () => {
    const p = policy('x', 'p', {
      podSelector: {},
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }],
          ports: [{ port: 9090 }],
        },
        { from: [{ podSelector: {} }], ports: [{ port: 8080 }] },
      ],
    });
    expect(allowed(w, [p], 'y/prom', 'x/web', 9090)).to.equal(true);
    expect(allowed(w, [p], 'y/prom', 'x/web', 8080)).to.equal(false);
    expect(allowed(w, [p], 'x/db', 'x/web', 8080)).to.equal(true);
    expect(allowed(w, [p], 'x/db', 'x/web', 9090)).to.equal(false);
  });
});
