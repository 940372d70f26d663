import { RUN_LABEL } from '../model/cluster-names.js';
import { OWNER_ANNOTATION, ownerState, parseOwner, type Here, type OwnerState } from '../model/run-owner.js';
import type { ServedPort } from '../model/world.js';
import type { ExecResult } from '../kube/gateway.js';
import type { ExternalClient } from '../target/session.js';
import { SERVER_BINARY } from '../model/probe-image.js';
import { explainFailure, runCommand, type CommandResult } from '../process/command.js';
import { pollUntil } from '../util/poll.js';
import { KIND_CLUSTER_BLOCKS } from '../model/reserved-blocks.js';
import { planExternals, type ExternalNetwork, type ReservedBlock } from './external-plan.js';
import { kindNodes } from './kind-cluster.js';
import type { Progress } from './kind-cluster.js';

/** Externals that are up: address -> the identity its server answers with; refused ones with why. */
export interface ProvisionedExternals {
  readonly servers: ReadonlyMap<string, string>;
  readonly refused: ReadonlyMap<string, string>;
  /** The same externals as clients: their containers, and each node's address on their network. */
  readonly clients: ReadonlyMap<string, ExternalClient>;
  /** Containers, node connections, NAT rules and networks go; safe to call twice. */
  remove(): Promise<void>;
}

async function docker(args: readonly string[], signal?: AbortSignal): Promise<CommandResult> {
  return runCommand('docker', args, { timeoutMs: 120_000, ...(signal ? { signal } : {}) });
}

/** Subnets of existing docker networks (kind's, the default bridge): an external there would shadow a node. */
async function dockerNetworkBlocks(): Promise<ReservedBlock[]> {
  const ids = await docker(['network', 'ls', '-q']);
  if (!ids.ok || !ids.stdout.trim()) return [];
  const inspected = await docker([
    'network',
    'inspect',
    '--format',
    '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{end}}',
    ...ids.stdout.split('\n').filter(Boolean),
  ]);
  return inspected.stdout.split('\n').flatMap((line) => {
    const [name, ...subnets] = line.trim().split(/\s+/);
    return subnets.filter((s) => s.includes('.')).map((cidr) => ({ cidr, what: `the docker network ${name}` }));
  });
}

const masquerade = (runId: string, subnet: string) => [
  '-t',
  'nat',
  '%s',
  'POSTROUTING',
  '-s',
  '10.244.0.0/16',
  '-d',
  subnet,
  '-m',
  'comment',
  '--comment',
  `netpol-harness-${runId}`,
  '-j',
  'MASQUERADE',
];

/**
 * Start every external the scenarios declare, with its declared address, reachable from every node
 * of the given kind clusters: an internal docker network per /24 (the host routes the block to
 * that bridge and nowhere else), joined by every node, with pod traffic to it masqueraded on the
 * node so replies come back. An external is offered to probes only once each node routes its
 * address over that network and its server has answered; otherwise its cells stay unsupported.
 */
export async function provisionExternals(
  run: { readonly id: string; readonly owner: string },
  externals: ReadonlyArray<{ ip: string; ports: readonly ServedPort[] }>,
  clusters: readonly string[],
  image: string,
  progress: Progress,
  signal?: AbortSignal,
): Promise<ProvisionedExternals> {
  const plan = planExternals(externals, [...KIND_CLUSTER_BLOCKS, ...(await dockerNetworkBlocks())]);
  const servers = new Map<string, string>();
  const clients = new Map<string, ExternalClient>();
  const refused = new Map(plan.refused);
  const nodes = (await Promise.all(clusters.map((c) => kindNodes(c)))).flat();
  const undo: Array<() => Promise<unknown>> = [];
  const remove = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    for (const [i, network] of plan.networks.entries()) {
      const name = `nph-ext-${run.id}-${i}`;
      const problem = await startNetwork(name, network, run, nodes, image, undo, signal);
      const nodeAddresses = problem ? new Map<string, string>() : await addressesOn(name, nodes, signal);
      for (const s of network.servers)
        if (problem) refused.set(s.ip, problem);
        else {
          servers.set(s.ip, s.identity);
          clients.set(s.ip, { container: externalContainer(name, s.ip), nodeAddresses });
        }
    }
  } catch (e) {
    await remove();
    throw e;
  }
  if (servers.size)
    progress(`externals up: ${[...servers.keys()].join(', ')} (reachable from ${nodes.length} node(s))`);
  for (const [ip, why] of refused) progress(`external ${ip} not provisioned: ${why}`);
  return { servers, refused, clients, remove };
}

const externalContainer = (network: string, ip: string): string => `${network}-${ip.replace(/\./g, '-')}`;

/** Each node's address on a docker network it joined (kind node containers are named as their nodes). */
async function addressesOn(
  network: string,
  nodes: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const node of nodes) {
    const r = await docker(
      ['inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, node],
      signal,
    );
    if (r.ok && r.stdout.trim()) out.set(node, r.stdout.trim());
  }
  return out;
}

/** A probe script in an external's container: how `nodeport` cells are probed from outside the cluster. */
export async function execInExternal(container: string, script: string, timeoutMs: number): Promise<ExecResult> {
  const started = Date.now();
  const r = await runCommand('docker', ['exec', container, 'sh', '-c', script], { timeoutMs });
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
    ...(r.ok || r.exitCode !== undefined ? {} : { failure: explainFailure(r) }),
    durationMs: Date.now() - started,
  };
}

/** What netpol-server serves (and `check` asks for) on an external: its identity and ports. */
function serverArgs(s: { identity: string; tcp: readonly number[]; udp: readonly number[] }): string[] {
  return ['--identity', s.identity, '--tcp', s.tcp.join(','), '--udp', s.udp.join(',')];
}

/** Docker labels of everything a run starts: the run id to find it, the owner to tell orphans (run-owner.ts). */
function runLabels(run: { readonly id: string; readonly owner: string }): string[] {
  return ['--label', `${RUN_LABEL}=${run.id}`, '--label', `${OWNER_ANNOTATION}=${run.owner}`];
}

/** One network with its servers; returns why it could not be made, or undefined when all is up. */
async function startNetwork(
  name: string,
  network: ExternalNetwork,
  run: { readonly id: string; readonly owner: string },
  nodes: readonly string[],
  image: string,
  undo: Array<() => Promise<unknown>>,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const created = await docker(
    [
      'network',
      'create',
      '--internal',
      '--subnet',
      network.subnet,
      '--gateway',
      network.gateway,
      ...runLabels(run),
      name,
    ],
    signal,
  );
  if (!created.ok) return `docker could not create a network for ${network.subnet}: ${created.stderr.split('\n')[0]}`;
  undo.push(() => docker(['network', 'rm', name]));
  for (const s of network.servers) {
    const container = externalContainer(name, s.ip);
    undo.push(() => docker(['rm', '-f', container]));
    const started = await docker(
      [
        'run',
        '-d',
        '--name',
        container,
        '--network',
        name,
        '--ip',
        s.ip,
        ...runLabels(run),
        '--read-only',
        '--cap-drop',
        'ALL',
        '--cap-add',
        'NET_BIND_SERVICE',
        '--entrypoint',
        SERVER_BINARY,
        image,
        'serve',
        ...serverArgs(s),
      ],
      signal,
    );
    if (!started.ok) throw new Error(`starting the external ${s.ip}: ${explainFailure(started)}`);
  }
  for (const node of nodes) {
    const joined = await docker(['network', 'connect', name, node], signal);
    if (!joined.ok)
      throw new Error(`connecting node ${node} to the externals network ${network.subnet}: ${explainFailure(joined)}`);
    undo.push(() => docker(['network', 'disconnect', '-f', name, node]));
    const rule = masquerade(run.id, network.subnet);
    const nat = await docker(['exec', node, 'iptables', ...rule.map((a) => (a === '%s' ? '-A' : a))], signal);
    if (!nat.ok) throw new Error(`masquerading pod traffic to ${network.subnet} on ${node}: ${explainFailure(nat)}`);
    undo.push(() => docker(['exec', node, 'iptables', ...rule.map((a) => (a === '%s' ? '-D' : a))]));
    for (const s of network.servers) {
      // Never probe an address the node would send to its default route: that could leave the machine.
      const route = await docker(['exec', node, 'ip', '-o', 'route', 'get', s.ip], signal);
      if (!route.ok || / via /.test(route.stdout))
        throw new Error(
          `node ${node} does not route ${s.ip} over the externals network: ${route.stdout || route.stderr}`,
        );
    }
  }
  for (const s of network.servers) {
    const container = externalContainer(name, s.ip);
    await pollUntil(
      `the external ${s.ip} to answer`,
      async () => {
        const check = await docker(['exec', container, SERVER_BINARY, 'check', ...serverArgs(s)], signal);
        return check.ok ? { done: true } : { waiting: check.stderr.split('\n')[0] ?? `exit ${check.exitCode}` };
      },
      { timeoutMs: 30_000, intervalMs: 500, ...(signal ? { signal } : {}) },
    );
  }
  return undefined;
}

/** Whatever a run left of its externals (an interrupted run, say), found by the run label. */
export async function removeRunExternals(runId: string): Promise<void> {
  const label = `label=${RUN_LABEL}=${runId}`;
  const containers = await docker(['ps', '-aq', '--filter', label]);
  if (containers.ok && containers.stdout.trim())
    await docker(['rm', '-f', ...containers.stdout.split('\n').filter(Boolean)]);
  const networks = await docker(['network', 'ls', '-q', '--filter', label]);
  for (const id of networks.stdout.split('\n').filter(Boolean)) {
    const attached = await docker(['network', 'inspect', '--format', '{{range .Containers}}{{.Name}} {{end}}', id]);
    for (const c of attached.stdout.split(/\s+/).filter(Boolean)) await docker(['network', 'disconnect', '-f', id, c]);
    await docker(['network', 'rm', id]);
  }
}

/** Runs with externals on this docker host, each with whether its process is gone. */
export async function findExternalRuns(
  here: Here,
): Promise<Array<{ runId: string; state: OwnerState; owner?: string }>> {
  const format = `{{.Label "${RUN_LABEL}"}}\t{{.Label "${OWNER_ANNOTATION}"}}`;
  const listed = [
    await docker(['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', format]),
    await docker(['network', 'ls', '--filter', `label=${RUN_LABEL}`, '--format', format]),
  ];
  const runs = new Map<string, string>();
  for (const r of listed)
    for (const line of r.ok ? r.stdout.split('\n').filter(Boolean) : []) {
      const [runId = '', owner = ''] = line.split('\t');
      if (runId && !runs.get(runId)) runs.set(runId, owner);
    }
  return [...runs].map(([runId, owner]) => ({
    runId,
    state: ownerState(parseOwner(owner), here),
    ...(owner ? { owner } : {}),
  }));
}
