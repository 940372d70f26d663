import type { Expected, ExpectationSource } from '../../harness/model/expectations.js';
import type { Protocol } from '../../harness/model/protocol.js';
import {
  findDivergences,
  REPORT_SCHEMA_VERSION,
  type CellResult,
  type DnsResult,
  type RunReport,
  type ScenarioRun,
  type StepResult,
  type TargetInfo,
} from '../../harness/model/run-report.js';
import type { KnownDeviation } from '../../harness/model/scenario.js';
import { isCorrectButSlow } from '../../harness/model/slow.js';
import { probeTimeouts, RUN_DEFAULTS } from '../../harness/run/settings.js';

const DEFAULT_SLOW_AFTER_MS = RUN_DEFAULTS.slowAfterSeconds * 1000;
import { judge, judgeDns } from '../../harness/model/verdict.js';
import { probeArgv, reproduceCommand } from '../../harness/probe/commands.js';
import type { Outcome } from '../../harness/model/observation.js';

/**
 * A realistic run over three kind targets, built with the real verdict functions so every
 * verdict and diagnosis is one the harness would produce:
 * - calico and cilium enforce policy; kindnet's canary shows it does not (it fails open), so it has no runs;
 * - `frontend-isolation` step `isolate-backend`: a policy fault on both targets (the author expects
 *   other/client to reach shop/backend on 80, the policy only admits shop/frontend), a cluster fault on
 *   cilium only (UDP 81 from other/client gets through), which is the one divergence; an inconclusive DNS
 *   cell on calico; on calico the two UDP 81 cells to shop/backend end up blocked as expected but only
 *   after 6 to 7 s: correct but slow;
 * - `ipblock-pod-cidr`: a deviation accepted on cilium (cilium/cilium#9209), and on calico the scenario errored.
 */

const SUFFIX = '7f3a';
const IPS: Record<string, string> = {
  'shop/frontend': '10.244.1.11',
  'shop/backend': '10.244.1.12',
  'other/client': '10.244.2.21',
  'net/a': '10.244.1.31',
  'net/b': '10.244.2.32',
};
const DNS_NAME = 'kubernetes.default.svc.cluster.local';

export const SAMPLE_TARGETS: TargetInfo[] = [
  {
    name: 'calico',
    kind: 'kind',
    cni: 'calico',
    context: 'kind-netpol-calico',
    kubernetesVersion: 'v1.31.2',
    enforcement: {
      enforced: true,
      evidence: 'default-deny blocked canary/client -> canary/server 80/TCP (dropped after 1.0s)',
    },
    capabilities: { sctp: false },
  },
  {
    name: 'cilium',
    kind: 'kind',
    cni: 'cilium',
    context: 'kind-netpol-cilium',
    kubernetesVersion: 'v1.31.2',
    enforcement: {
      enforced: true,
      evidence: 'default-deny blocked canary/client -> canary/server 80/TCP (dropped after 1.0s)',
    },
    capabilities: { sctp: true },
  },
  {
    name: 'kindnet',
    kind: 'kind',
    cni: 'kindnet',
    context: 'kind-netpol-kindnet',
    kubernetesVersion: 'v1.31.2',
    enforcement: {
      enforced: false,
      evidence:
        'default-deny in place, yet canary/client -> canary/server 80/TCP was allowed (HTTP 200 from canary/server) for 10s; kindnet fails open without NFT_QUEUE',
    },
    capabilities: { sctp: false },
  },
];

interface CellSpec {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  expected: Expected;
  source: ExpectationSource;
  predicted: boolean;
  observed: Outcome;
  settledAfterMs?: number;
}

function realPod(key: string): { namespace: string; pod: string } {
  const [ns, name] = key.split('/') as [string, string];
  return { namespace: `${ns}-${SUFFIX}`, pod: name };
}

function evidence(s: CellSpec): string {
  switch (s.observed) {
    case 'allowed':
      return s.protocol === 'TCP' ? `HTTP 200 from ${s.to}` : `reply from ${s.to}`;
    case 'dropped':
      return s.protocol === 'TCP'
        ? 'curl: (28) Connection timed out after 1001 milliseconds'
        : 'agnhost connect: timeout after 1s';
    case 'refused':
      return 'curl: (7) Failed to connect: Connection refused';
    default:
      return 'exec failed: container "workload" in pod not running';
  }
}

function cell(target: TargetInfo, s: CellSpec, deviation?: KnownDeviation): CellResult {
  const j = judge(s.expected, s.predicted, s.observed, deviation);
  const { namespace, pod } = realPod(s.from);
  return {
    from: s.from,
    to: s.to,
    port: s.port,
    protocol: s.protocol,
    ...(s.port === 80 ? { portName: 'http' } : {}),
    expected: s.expected,
    expectationSource: s.source,
    predicted: s.predicted,
    observed: s.observed,
    detail: evidence(s),
    verdict: j.verdict,
    ...(j.diagnosis ? { diagnosis: j.diagnosis } : {}),
    clusterDeviatesFromSpec: j.clusterDeviatesFromSpec,
    ...(j.deviation ? { deviationReason: j.deviation.reason } : {}),
    settledAfterMs: s.settledAfterMs ?? 0,
    flapping: false,
    slow: isCorrectButSlow(
      { verdict: j.verdict, settledAfterMs: s.settledAfterMs ?? 0, settled: true },
      DEFAULT_SLOW_AFTER_MS,
    ),
    reproduce: reproduceCommand(
      namespace,
      pod,
      probeArgv({ kind: 'connect', ip: IPS[s.to]!, port: s.port, protocol: s.protocol }, probeTimeouts(1)),
      target.context,
    ),
  };
}

function dns(target: TargetInfo, from: string, observed: Outcome, detail: string): DnsResult {
  const j = judgeDns(true, true, observed);
  const { namespace, pod } = realPod(from);
  return {
    from,
    name: DNS_NAME,
    expected: true,
    predicted: true,
    observed,
    detail,
    verdict: j.verdict,
    ...(j.diagnosis ? { diagnosis: j.diagnosis } : {}),
    reproduce: reproduceCommand(
      namespace,
      pod,
      probeArgv({ kind: 'dns', name: DNS_NAME }, probeTimeouts(1)),
      target.context,
    ),
  };
}

const SHOP = ['shop/frontend', 'shop/backend', 'other/client'];
const PORTS: Array<[number, Protocol]> = [
  [80, 'TCP'],
  [81, 'UDP'],
];

/** Every pair on every port; `decide` returns what differs from "allowed, expected allow". */
function grid(pods: string[], decide: (from: string, to: string, port: number) => Partial<CellSpec>): CellSpec[] {
  return PORTS.flatMap(([port, protocol]) =>
    pods.flatMap((from) =>
      pods.map((to): CellSpec => {
        const base: CellSpec = {
          from,
          to,
          port,
          protocol,
          expected: 'allow',
          source: 'default',
          predicted: true,
          observed: 'allowed',
        };
        if (from === to) return { ...base, expected: 'unasserted', source: 'self' };
        return { ...base, ...decide(from, to, port) };
      }),
    ),
  );
}

function step(
  name: string,
  cells: CellResult[],
  dnsCells: DnsResult[],
  settledAfterMs: number,
  rounds: number,
): StepResult {
  return {
    name,
    cells,
    dns: dnsCells,
    convergence: { rounds, settledAfterMs, stable: true },
    durationMs: settledAfterMs + 2400,
  };
}

/** Only shop/frontend may reach shop/backend, on 80/TCP; the author also expects other/client on 80. */
function isolateBackend(from: string, to: string, port: number, cilium: boolean): Partial<CellSpec> {
  if (to !== 'shop/backend') return {};
  const predicted = from === 'shop/frontend' && port === 80;
  const expected: Expected = predicted || (from === 'other/client' && port === 80) ? 'allow' : 'deny';
  const leaks = cilium && from === 'other/client' && port === 81;
  const calicoSettled = (port === 81 ? CALICO_LATE_UDP[from] : undefined) ?? 1400;
  return {
    predicted,
    expected,
    source: 'rule',
    observed: predicted || leaks ? 'allowed' : 'dropped',
    settledAfterMs: predicted ? 0 : cilium ? 2900 : calicoSettled,
  };
}

/** On calico, UDP 81 to shop/backend was blocked only once the earlier flows' conntrack entries expired. */
const CALICO_LATE_UDP: Record<string, number> = { 'shop/frontend': 7200, 'other/client': 6100 };

function frontendIsolation(target: TargetInfo): ScenarioRun {
  const cilium = target.name === 'cilium';
  const open = grid(SHOP, () => ({})).map((s) => cell(target, s));
  const isolated = grid(SHOP, (f, t, p) => isolateBackend(f, t, p, cilium)).map((s) => cell(target, s));
  const resolves = (from: string) =>
    dns(target, from, 'allowed', 'Name: kubernetes.default.svc.cluster.local Address: 10.96.0.1');
  const isolatedDns = SHOP.map((from) =>
    !cilium && from === 'other/client'
      ? dns(target, from, 'error', 'exec failed: pod other/client is being evicted (node pressure)')
      : resolves(from),
  );
  return {
    scenario: 'frontend-isolation',
    file: 'scenarios/frontend-isolation.yaml',
    target: target.name,
    steps: [
      step('open', open, SHOP.map(resolves), 0, 2),
      step('isolate-backend', isolated, isolatedDns, cilium ? 2900 : 7200, cilium ? 5 : 8),
    ],
    durationMs: cilium ? 14_800 : 16_400,
  };
}

const CILIUM_IPBLOCK: KnownDeviation = {
  cni: 'cilium',
  from: 'net/a',
  to: 'net/b',
  port: '*',
  protocol: '*',
  via: '*',
  observed: 'allowed',
  reason: 'ipBlock except does not exclude pod IPs (cilium/cilium#9209)',
  origin: { file: 'scenarios/ipblock-pod-cidr.yaml', line: 41, col: 7 },
};

function ipblockPodCidr(target: TargetInfo): ScenarioRun {
  const base = { scenario: 'ipblock-pod-cidr', file: 'scenarios/ipblock-pod-cidr.yaml', target: target.name };
  if (target.name === 'calico') {
    return {
      ...base,
      steps: [],
      error:
        'pods not Ready after 120s: net/b ImagePullBackOff (registry.local/netpol-harness/workload:0.1.0: not found)',
      durationMs: 120_300,
    };
  }
  const pods = ['net/a', 'net/b'];
  const cells = grid(pods, (from, to) =>
    from === 'net/a' && to === 'net/b'
      ? { expected: 'deny', source: 'matrix', predicted: false, observed: 'allowed' }
      : {},
  )
    .filter((s) => s.protocol === 'TCP')
    .map((s) => cell(target, s, s.from === 'net/a' && s.to === 'net/b' ? CILIUM_IPBLOCK : undefined));
  return { ...base, steps: [step('except-a', cells, [], 1100, 3)], durationMs: 6_900 };
}

/** A fresh copy each call, so a test may alter it freely. */
export function sampleReport(): RunReport {
  const enforcing = SAMPLE_TARGETS.filter((t) => t.enforcement?.enforced);
  const runs = enforcing.flatMap((t) => [frontendIsolation(t), ipblockPodCidr(t)]);
  return structuredClone({
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: `run-20261121-2306-${SUFFIX}`,
    startedAt: '2026-11-21T23:06:09.000Z',
    durationMs: 151_400,
    slowAfterMs: DEFAULT_SLOW_AFTER_MS,
    targets: SAMPLE_TARGETS,
    runs,
    divergences: findDivergences(runs),
  });
}
