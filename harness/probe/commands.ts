import type { Protocol } from '../model/protocol.js';
import { AGNHOST, SERVER_BINARY } from '../model/probe-image.js';
import { assertNever } from '../util/assert-never.js';

export interface ProbeTimeouts {
  /** Connect timeout for TCP, reply timeout for UDP, per-try timeout for DNS. */
  readonly connectSeconds: number;
  /** Whole-request ceiling for curl. */
  readonly totalSeconds: number;
}

export type ProbeTarget =
  | {
      readonly kind: 'connect';
      /** An IP, or for a `dns` cell a Service DNS name (the prober resolves it, as an application would). */
      readonly ip: string;
      readonly port: number;
      readonly protocol: Protocol;
      /** A TCP handshake is the evidence (a server that is not ours and may not speak HTTP). */
      readonly handshakeOnly?: boolean;
    }
  /** A TCP handshake to a DNS name (a Service's), resolved in the pod by the prober first. */
  | { readonly kind: 'connect-name'; readonly host: string; readonly port: number }
  | { readonly kind: 'dns'; readonly name: string };

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The argv that probes one target from inside a pod: curl for TCP (every server we start speaks
 * HTTP, so an allowed result carries a status and the server's identity), agnhost connect for UDP
 * (request/reply: it exits 0 only when the server answered) and SCTP, nslookup for DNS.
 */
export function probeArgv(target: ProbeTarget, t: ProbeTimeouts): string[] {
  if (target.kind === 'dns') return ['nslookup', `-timeout=${t.connectSeconds}`, '-retry=0', target.name];
  if (target.kind === 'connect-name')
    return [AGNHOST, 'connect', '--protocol=tcp', `--timeout=${t.connectSeconds}s`, `${target.host}:${target.port}`];
  switch (target.protocol) {
    case 'TCP':
      if (target.handshakeOnly)
        return [
          AGNHOST,
          'connect',
          '--protocol=tcp',
          `--timeout=${t.connectSeconds}s`,
          hostPort(target.ip, target.port),
        ];
      return [
        'curl',
        '-sS',
        '--noproxy',
        '*',
        '--connect-timeout',
        String(t.connectSeconds),
        '-m',
        String(t.totalSeconds),
        '-w',
        '\\nHTTP %{http_code}',
        `http://${hostPort(target.ip, target.port)}/`,
      ];
    case 'UDP':
      return [AGNHOST, 'connect', '--protocol=udp', `--timeout=${t.connectSeconds}s`, hostPort(target.ip, target.port)];
    case 'SCTP':
      return [
        AGNHOST,
        'connect',
        '--protocol=sctp',
        `--timeout=${t.connectSeconds}s`,
        hostPort(target.ip, target.port),
      ];
    default:
      return assertNever(target.protocol, 'protocol');
  }
}

/**
 * How probes run. `batch` (default): one netpol-server process per source pod and round probes every
 * target with goroutines; process start-up, not the network, dominated rounds on small machines.
 * `tools`: one curl / agnhost connect / nslookup process per cell, the classic tools.
 * SCTP always uses agnhost connect (Go's standard library has no SCTP).
 */
export type Prober = 'batch' | 'tools';

/** The batch prober's spec for a target, or undefined when it cannot probe it (SCTP). */
export function batchSpec(target: ProbeTarget): string | undefined {
  if (target.kind === 'dns') return `dns:${target.name}`;
  if (target.kind === 'connect-name') return `tcpconnect:${target.host}:${target.port}`;
  if (target.protocol === 'SCTP') return undefined;
  if (target.protocol === 'TCP' && target.handshakeOnly) return `tcpconnect:${hostPort(target.ip, target.port)}`;
  return `${target.protocol.toLowerCase()}:${hostPort(target.ip, target.port)}`;
}

/** The argv that runs one probe with the batch prober (what a reproduce line shows). */
export function batchArgv(specs: ReadonlyArray<{ id: number; spec: string }>, t: ProbeTimeouts): string[] {
  return [SERVER_BINARY, 'probe', '--timeout', `${t.connectSeconds}s`, ...specs.map((s) => `${s.id}=${s.spec}`)];
}

/** Quote one word for POSIX sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The line that reproduces one probe by hand: `kubectl exec` into a source pod, or `docker exec` into
 * an external's container (no namespace: a `nodeport` cell's client outside the cluster).
 */
export function reproduceCommand(namespace: string, pod: string, argv: readonly string[], context?: string): string {
  const words = namespace
    ? ['kubectl', ...(context ? ['--context', context] : []), 'exec', '-n', namespace, pod, '--', ...argv]
    : ['docker', 'exec', pod, ...argv];
  return words.map(shellQuote).join(' ');
}
