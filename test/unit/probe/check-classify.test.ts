import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  classifyCheckProbe,
  confirmRefusals,
  evidenceOf,
  judgeCheckCell,
  type CheckObservation,
} from '../../../harness/probe/check-classify.js';
import type { CheckCell } from '../../../harness/probe/check-plan.js';
import { parseProbeOutput } from '../../../harness/probe/script.js';

/** netpol-server probe, recorded: 0 handshake, 1 closed port (RST), 2 dropped SYN. */
const handshakes = parseProbeOutput(readFileSync('test/fixtures/live/check-probe-outputs.txt', 'utf8'));
const nslookup = (file: string) => parseProbeOutput(readFileSync(`test/fixtures/probe-outputs/${file}.txt`, 'utf8'));

describe('check evidence: a TCP handshake to a real server', () => {
  it('a completed handshake is allowed', () => {
    expect(classifyCheckProbe('tcpconnect', handshakes.get(0))).to.deep.include({
      evidence: 'allowed',
      outcome: 'allowed',
    });
  });
  it('a RST is ambiguous on a real server: the app may not listen on that port', () => {
    const o = classifyCheckProbe('tcpconnect', handshakes.get(1));
    expect(o).to.deep.include({ evidence: 'ambiguous', outcome: 'refused' });
    expect(o.detail).to.match(/nothing confirmed that this port listens/);
  });
  it('a dropped SYN (timeout) is blocked', () => {
    expect(classifyCheckProbe('tcpconnect', handshakes.get(2))).to.deep.include({
      evidence: 'blocked',
      outcome: 'dropped',
    });
  });
  it('no line is an error, never blocked', () => {
    expect(classifyCheckProbe('tcpconnect', undefined).evidence).to.equal('error');
  });
  it('a missing tool is an error', () => {
    expect(
      classifyCheckProbe('tcpconnect', { id: 0, exitCode: 127, output: 'sh: /netpol-server: not found' }).evidence,
    ).to.equal('error');
  });
});

describe('check evidence: a DNS query to a DNS server (the UDP exception)', () => {
  const run = nslookup('tcp-and-dns');
  it('an answer is allowed', () => {
    expect(classifyCheckProbe('dns', run.get(4)).evidence).to.equal('allowed');
  });
  it('a negative answer is allowed too: the server was reached and replied', () => {
    expect(classifyCheckProbe('dns', run.get(5)).evidence).to.equal('allowed');
  });
  it('no reply at all is blocked', () => {
    expect(classifyCheckProbe('dns', nslookup('dns-dropped').get(0)).evidence).to.equal('blocked');
  });
  it('ICMP port unreachable is ambiguous (a rejecting policy, or no server)', () => {
    expect(classifyCheckProbe('dns', nslookup('dns-refused').get(0)).evidence).to.equal('ambiguous');
  });
});

describe('check evidence: a refusal is a block once the port is confirmed listening', () => {
  const port = { port: 8080, protocol: 'TCP' as const };
  const cells: CheckCell[] = [
    { from: 'shop/frontend', to: 'shop/backend', ip: '10.244.1.21', port, predicted: true, via: 'tcpconnect' },
    { from: 'shop/redis-0', to: 'shop/backend', ip: '10.244.1.21', port, predicted: false, via: 'tcpconnect' },
    { from: 'shop/redis-0', to: 'shop/other', ip: '10.244.9.9', port, predicted: false, via: 'tcpconnect' },
  ];
  const seen = [
    classifyCheckProbe('tcpconnect', handshakes.get(0)),
    classifyCheckProbe('tcpconnect', handshakes.get(1)),
    classifyCheckProbe('tcpconnect', handshakes.get(1)),
  ];
  const resolved = confirmRefusals(cells, seen);
  it("another source completed a handshake to that pod and port: the refusal is the path's, blocked", () => {
    expect(resolved[1]!.evidence).to.equal('blocked');
    expect(resolved[1]!.detail).to.match(/the port listens \(shop\/frontend reached it\)/);
  });
  it('no source reached that pod and port: the refusal stays ambiguous', () => {
    expect(resolved[2]!.evidence).to.equal('ambiguous');
  });
});

describe('check evidence: a refusal through a Service', () => {
  const served = { port: 8080, protocol: 'TCP' as const, name: 'http' };
  const route = (backends: string[]) => ({
    address: 'dns-name' as const,
    service: {
      service: 'shop/backend',
      port: { port: 80, protocol: 'TCP' as const },
      dnsName: 'backend.shop.svc.cluster.local.',
      backends: backends.map((key) => ({ key, port: served, hostNetwork: false })),
    },
  });
  const pod = (from: string, to: string): CheckCell => ({ from, to, ip: '10.244.1.21', port: served, predicted: true });
  const svc = (backends: string[]): CheckCell => ({
    from: 'shop/redis-0',
    to: 'svc-dns:shop/backend',
    port: { port: 80, protocol: 'TCP' },
    predicted: false,
    via: 'tcpconnect',
    route: route(backends),
  });
  const ok = classifyCheckProbe('tcpconnect', handshakes.get(0));
  const rst = classifyCheckProbe('tcpconnect', handshakes.get(1));
  it('is blocked once every class behind it was reached on the port it serves', () => {
    const [, seen] = confirmRefusals([pod('shop/frontend', 'shop/backend'), svc(['shop/backend'])], [ok, rst]);
    expect(seen!.evidence).to.equal('blocked');
  });
  it('stays ambiguous while one class behind it was not: the refusal may be that one not listening', () => {
    const cells = [pod('shop/frontend', 'shop/backend'), svc(['shop/backend', 'shop/backend~2'])];
    expect(confirmRefusals(cells, [ok, rst])[1]!.evidence).to.equal('ambiguous');
  });
});

describe('check verdicts against the prediction', () => {
  const of = (evidence: CheckObservation['evidence']): CheckObservation => ({ evidence, outcome: 'error', detail: '' });
  it('allowed where predicted allowed passes; blocked where predicted allowed fails', () => {
    expect(judgeCheckCell({ predicted: true }, of('allowed'))).to.equal('pass');
    expect(judgeCheckCell({ predicted: true }, of('blocked'))).to.equal('fail');
    expect(judgeCheckCell({ predicted: false }, of('allowed'))).to.equal('fail');
  });
  it('ambiguous, unverifiable and error evidence never fails a cell: inconclusive', () => {
    for (const e of ['ambiguous', 'unverifiable', 'error'] as const)
      expect(judgeCheckCell({ predicted: false }, of(e))).to.equal('inconclusive');
  });
  it('a cell a policy of another kind governs is not judged by the prediction', () => {
    expect(judgeCheckCell({ predicted: true, governedBy: ['GlobalNetworkPolicy x'] }, of('blocked'))).to.equal(
      'not judged',
    );
  });
});

describe('check evidence from outcomes probeRound already classified', () => {
  const tcp = { via: 'tcpconnect' as const };
  it('allowed, dropped and refused map as on raw lines: allowed, blocked, ambiguous', () => {
    expect(evidenceOf(tcp, { outcome: 'allowed', detail: 'OK' }).evidence).to.equal('allowed');
    expect(evidenceOf(tcp, { outcome: 'dropped', detail: 'TIMEOUT' }).evidence).to.equal('blocked');
    expect(evidenceOf(tcp, { outcome: 'refused', detail: 'REFUSED' }).evidence).to.equal('ambiguous');
  });
  it("a DNS server's negative answer is a reply (allowed); elsewhere a dns-error is an error", () => {
    expect(evidenceOf({ via: 'dns' }, { outcome: 'dns-error', detail: 'NXDOMAIN' }).evidence).to.equal('allowed');
    expect(evidenceOf(tcp, { outcome: 'dns-error', detail: 'x' }).evidence).to.equal('error');
  });
  it('an unverifiable cell stays unverifiable, with its reason, whatever was seen', () => {
    const o = evidenceOf({ unverifiable: 'UDP of an unknown protocol' }, { outcome: 'error', detail: 'not probed' });
    expect(o).to.deep.include({ evidence: 'unverifiable', detail: 'UDP of an unknown protocol' });
  });
});
