import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { classifyProbe } from '../../../harness/probe/classify.js';
import { batchSpec, type ProbeTarget } from '../../../harness/probe/commands.js';
import { parseProbeOutput } from '../../../harness/probe/script.js';

const tcp: ProbeTarget = { kind: 'connect', ip: '10.250.0.1', port: 8080, protocol: 'TCP' };
const udp: ProbeTarget = { kind: 'connect', ip: '10.250.0.1', port: 53, protocol: 'UDP' };
const sctp: ProbeTarget = { kind: 'connect', ip: '10.250.0.1', port: 80, protocol: 'SCTP' };
const dns: ProbeTarget = { kind: 'dns', name: 'kubernetes.default.svc.cluster.local' };

function recorded(file: string) {
  return parseProbeOutput(readFileSync(`test/fixtures/probe-outputs/${file}.txt`, 'utf8'));
}

describe('probe classification from recorded tool output', () => {
  const run = recorded('tcp-and-dns');
  it('curl with an HTTP status is allowed, with the server identity as evidence', () => {
    const o = classifyProbe(tcp, run.get(0));
    expect(o.outcome).to.equal('allowed');
    expect(o.detail).to.contain('HTTP 200').and.contain('x/a 8080/TCP');
  });
  it('curl exit 7 on a closed port (RST) is refused', () => {
    expect(classifyProbe(tcp, run.get(1)).outcome).to.equal('refused');
  });
  it('curl exit 28 on a dropped SYN is dropped', () => {
    expect(classifyProbe(tcp, run.get(2)).outcome).to.equal('dropped');
  });
  it('curl exit 7 on an ICMP host-prohibited reject is refused', () => {
    expect(classifyProbe(tcp, run.get(3)).outcome).to.equal('refused');
  });
  it('nslookup with an answer resolves, even when the AAAA query failed and it exited 1', () => {
    const line = run.get(4)!;
    expect(line.exitCode).to.equal(1);
    expect(classifyProbe(dns, line).outcome).to.equal('allowed');
  });
  it('nslookup with a negative answer is a dns-error (the resolver was reached)', () => {
    expect(classifyProbe(dns, run.get(5)).outcome).to.equal('dns-error');
  });
  it('nslookup timing out is dropped', () => {
    expect(classifyProbe(dns, recorded('dns-dropped').get(0)).outcome).to.equal('dropped');
  });
  it('nslookup getting ICMP port unreachable is refused', () => {
    expect(classifyProbe(dns, recorded('dns-refused').get(0)).outcome).to.equal('refused');
  });
});

describe('probe classification: what is never counted as blocked', () => {
  it('no result line at all (exec cut short) is an error', () => {
    expect(classifyProbe(tcp, undefined).outcome).to.equal('error');
  });
  it('a missing tool (exit 127) is an error, not blocked', () => {
    const o = classifyProbe(tcp, { id: 0, exitCode: 127, output: 'sh: 1: curl: not found' });
    expect(o.outcome).to.equal('error');
    expect(o.detail).to.contain('missing');
  });
  it('curl that connected but got no answer in time is an error, not dropped', () => {
    expect(
      classifyProbe(tcp, {
        id: 0,
        exitCode: 28,
        output: 'curl: (28) Operation timed out after 2001 milliseconds with 0 bytes received HTTP 000',
      }).outcome,
    ).to.equal('error');
  });
  it('an answer from a different server than the one meant is an error, not allowed', () => {
    const line = { id: 0, exitCode: 0, output: 'netpol-harness shop/api@shop-r2 8080/TCP  HTTP 200' };
    expect(classifyProbe(tcp, line, 'shop/api@shop-r2').outcome).to.equal('allowed');
    const wrong = classifyProbe(tcp, line, 'shop/api@shop-r1');
    expect(wrong.outcome).to.equal('error');
    expect(wrong.detail).to.contain('different server');
  });
  it('curl exit 0 without a status is an error: allowed needs evidence', () => {
    expect(classifyProbe(tcp, { id: 0, exitCode: 0, output: '' }).outcome).to.equal('error');
  });
});

describe('agnhost connect (UDP and SCTP), by its documented prefixes', () => {
  it('exit 0 means a reply came back: allowed', () => {
    expect(classifyProbe(udp, { id: 0, exitCode: 0, output: '' }).outcome).to.equal('allowed');
  });
  it('TIMEOUT is dropped, REFUSED is refused', () => {
    expect(
      classifyProbe(udp, {
        id: 0,
        exitCode: 1,
        output: 'TIMEOUT: read udp 10.244.1.2:4000->10.250.0.1:53: i/o timeout',
      }).outcome,
    ).to.equal('dropped');
    expect(
      classifyProbe(udp, { id: 0, exitCode: 1, output: 'REFUSED: read udp: connection refused' }).outcome,
    ).to.equal('refused');
  });
  it('a kernel without SCTP makes the cell unsupported, not blocked', () => {
    expect(
      classifyProbe(sctp, { id: 0, exitCode: 1, output: 'OTHER: socket: protocol not supported' }).outcome,
    ).to.equal('unsupported');
  });
  it('UNKNOWN is an error', () => {
    expect(classifyProbe(udp, { id: 0, exitCode: 1, output: 'UNKNOWN: bad args' }).outcome).to.equal('error');
  });
});

describe('batch prober (netpol-server probe) lines, recorded in a network namespace', () => {
  const line = (output: string, exitCode = 1) => ({ id: 0, exitCode, output });
  it('OK with the server identity is allowed', () => {
    const o = classifyProbe(tcp, line('OK netpol-harness x/a 8080/TCP  HTTP 200', 0), 'x/a', true);
    expect(o.outcome).to.equal('allowed');
    expect(o.detail).to.equal('netpol-harness x/a 8080/TCP HTTP 200');
  });
  it('REFUSED (RST, ICMP reject) is refused; TIMEOUT is dropped', () => {
    expect(
      classifyProbe(tcp, line('REFUSED: dial tcp 10.250.0.1:7: connect: connection refused'), undefined, true).outcome,
    ).to.equal('refused');
    expect(
      classifyProbe(tcp, line('REFUSED: dial tcp 10.250.0.1:10: connect: no route to host'), undefined, true).outcome,
    ).to.equal('refused');
    expect(classifyProbe(tcp, line('TIMEOUT: dial tcp 10.250.0.1:9: i/o timeout'), undefined, true).outcome).to.equal(
      'dropped',
    );
    expect(
      classifyProbe(udp, line('TIMEOUT: read udp 10.250.0.1:37452->10.250.0.1:54: i/o timeout'), undefined, true)
        .outcome,
    ).to.equal('dropped');
  });
  it('NXDOMAIN is a dns-error; ERROR and a missing line are errors', () => {
    expect(
      classifyProbe(dns, line('NXDOMAIN: lookup missing.example: no such host'), undefined, true).outcome,
    ).to.equal('dns-error');
    expect(
      classifyProbe(tcp, line('ERROR: connected, but no HTTP answer (0 bytes)'), undefined, true).outcome,
    ).to.equal('error');
    expect(classifyProbe(tcp, undefined, undefined, true).outcome).to.equal('error');
  });
  it('an OK from another pod than the one meant is an error', () => {
    expect(classifyProbe(tcp, line('OK netpol-harness x/b 8080/TCP HTTP 200', 0), 'x/a', true).outcome).to.equal(
      'error',
    );
  });
  it('a handshake-only probe (a server that is not ours) is allowed on the handshake alone, refused on RST', () => {
    const foreign: ProbeTarget = { ...tcp, handshakeOnly: true };
    // Recorded from netpol-server probe 0=tcpconnect:127.0.0.1:18080 1=tcpconnect:127.0.0.1:18081 (nothing on 18081).
    const o = classifyProbe(
      foreign,
      line('OK connected to 127.0.0.1:18080 from 127.0.0.1:53140 (handshake only)', 0),
      undefined,
      true,
    );
    expect(o).to.deep.include({
      outcome: 'allowed',
      detail: 'connected to 127.0.0.1:18080 from 127.0.0.1:53140 (handshake only)',
    });
    expect(
      classifyProbe(foreign, line('REFUSED: dial tcp 127.0.0.1:18081: connect: connection refused'), undefined, true)
        .outcome,
    ).to.equal('refused');
  });
  it('with the tools prober a handshake-only probe reads agnhost connect, not curl', () => {
    const foreign: ProbeTarget = { ...tcp, handshakeOnly: true };
    expect(classifyProbe(foreign, { id: 0, exitCode: 0, output: '' }).outcome).to.equal('allowed');
    expect(classifyProbe(foreign, { id: 0, exitCode: 1, output: 'TIMEOUT' }).outcome).to.equal('dropped');
  });
  it('a handshake to a DNS name: a name that did not resolve is an error, never a dropped SYN', () => {
    const name: ProbeTarget = { kind: 'connect-name', host: 'backend.shop.svc.cluster.local.', port: 80 };
    expect(batchSpec(name)).to.equal('tcpconnect:backend.shop.svc.cluster.local.:80');
    const ok =
      'OK connected to backend.shop.svc.cluster.local.:80 (10.96.12.41:80) from 10.244.1.9:40112 (handshake only)';
    expect(classifyProbe(name, line(ok, 0), undefined, true).outcome).to.equal('allowed');
    const unresolved =
      'ERROR: backend.shop.svc.cluster.local. did not resolve, so nothing was sent: lookup backend.shop.svc.cluster.local.: i/o timeout';
    expect(classifyProbe(name, line(unresolved), undefined, true).outcome).to.equal('error');
  });
});
