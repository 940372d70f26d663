import { InvalidArgumentError } from 'commander';
import { explainCell, type Explanation } from '../engine/explain.js';
import { explainServiceCell } from '../engine/service-paths.js';
import {
  explainReadings,
  HOST_NETWORK_UNDEFINED,
  NODE_LOCAL_REASON,
  nodeEndpoint,
  remoteNodeReadings,
  SYNTHETIC_NODE_IP,
  tunnelAddress,
  withHostProbeNamespace,
  type ReadingsExplanation,
} from '../engine/node-sources.js';
import { CLUSTER_SNAT, nodePortReadings } from '../engine/nodeport.js';
import { EXTERNAL_PREFIX } from '../model/peer-pattern.js';
import { resolveTargetPort, type ServicePortSpec, type Via } from '../model/service.js';
import { predictStep } from '../engine/predict-step.js';
import { dnsLookupTarget } from '../engine/predict.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import type { Scenario, Step } from '../model/scenario.js';
import { NODE_LOCAL, NODE_REMOTE, type Endpoint, type ServedPort, type World } from '../model/world.js';
import { makeStyle, type Style } from '../report/console-style.js';
import { renderExplanation, renderReadings, type ExplainedCell } from '../report/explain-text.js';
import { errorsOf, formatDiagnostic } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { didYouMean } from '../util/suggest.js';
import { expandScenarioPaths, type CommandIO } from './io.js';
import { isSingleFile } from './predict.js';

export const EXPLAIN_OUTPUTS = ['text', 'json'] as const;

export interface ExplainOptions {
  readonly from: string;
  readonly to?: string;
  readonly port?: string;
  /** A DNS lookup instead of a cell: the 53/UDP path to cluster DNS (kube-system/kube-dns). */
  readonly dns?: string;
  readonly protocol?: string;
  readonly step?: string;
  readonly output?: (typeof EXPLAIN_OUTPUTS)[number];
  readonly podCidr?: string;
  /** Through the destination's Service (`--port` is then a Service port): by cluster IP, or by DNS name. */
  readonly via?: Via;
}

interface Answer {
  readonly step: Step;
  readonly explanations: readonly Explanation[];
  readonly text: (style: Style) => string;
}

/** One file's answer: its explanations, or why the question does not apply to it. */
type FileAnswer =
  { readonly file: string; readonly error: string } | ({ readonly file: string; readonly scenario: Scenario } & Answer);

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** --protocol in any case, as kubectl takes it; anything else is exit 3 with the choices. */
export function parseProtocol(value: string): string {
  const upper = value.toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(upper))
    throw new InvalidArgumentError(`Must be one of ${PROTOCOLS.join(', ')}, got "${value}".`);
  return upper;
}

/**
 * Why the engine allows or blocks one cell (or one DNS lookup), in each file given. Like
 * `kubectl auth can-i`, the exit code is the answer: 0 ALLOWED, 1 BLOCKED (any explained cell), 3
 * when a file is invalid or lacks the workloads, port or step asked about.
 */
export function explainCommand(
  paths: readonly string[],
  options: ExplainOptions,
  io: CommandIO,
  color = false,
): ExitCode {
  checkQuestion(options);
  const files = expandScenarioPaths(paths);
  if (files.length === 0) throw new UsageError(`no scenario files (*.yaml, *.yml) in ${paths.join(', ')}`);
  const answers = files.map((file) => answerFor(file, options, io));
  const answered = answers.flatMap((a) => ('error' in a ? [] : [a]));
  for (const a of answers) if ('error' in a) io.err(`error: ${a.file}: ${a.error}`);
  if (options.output === 'json') {
    const docs = answered.map((a) => ({
      file: a.file,
      scenario: a.scenario.name,
      step: a.step.name,
      ...(options.dns ? { dns: options.dns } : {}),
      explanations: a.explanations,
    }));
    if (docs.length) io.out(JSON.stringify(isSingleFile(paths) ? docs[0] : { scenarios: docs }, null, 2));
  } else {
    const style = makeStyle(color);
    const several = files.length > 1;
    const blocks = answered.map((a) => `${several ? `${a.file} (${a.scenario.name})\n` : ''}${a.text(style)}`);
    if (blocks.length) io.out(blocks.join('\n\n'));
  }
  if (answered.length < answers.length) return EXIT.invalidInput;
  return answered.every((a) => a.explanations.every((e) => e.allowed)) ? EXIT.ok : EXIT.mismatch;
}

/** Flags that belong together: --to with --port for a cell, or --dns alone. */
function checkQuestion(options: ExplainOptions): void {
  if (options.dns !== undefined) return;
  if (options.to === undefined)
    throw new UsageError("required option '--to <peer>' not specified (or --dns <name> to explain a DNS lookup)");
  if (options.port === undefined) throw new UsageError("required option '--port <port>' not specified");
}

function answerFor(file: string, options: ExplainOptions, io: CommandIO): FileAnswer {
  const { scenario, diagnostics } = loadScenario(file, options.podCidr ? { podCIDR: options.podCidr } : {});
  if (!scenario) {
    for (const d of errorsOf(diagnostics)) io.err(formatDiagnostic(d));
    return { file, error: `invalid scenario (${errorsOf(diagnostics).length} error(s) above)` };
  }
  try {
    return { file, scenario, ...explainIn(scenario, options) };
  } catch (e) {
    if (e instanceof UsageError) return { file, error: e.message };
    throw e;
  }
}

function explainIn(scenario: Scenario, options: ExplainOptions): Answer {
  const step = pickStep(scenario, options.step);
  const { world, policies, clusterPolicies } = predictStep(scenario, step);
  const keys = world.endpoints.filter((e) => e.kind !== 'dns').map((e) => e.key);
  const other = otherSource(scenario, step, options, keys);
  if (other) return other;
  const from = world.endpoints.find((e) => e.key === options.from && e.kind === 'workload');
  if (!from)
    throw new UsageError(
      `--from ${options.from} is not a workload of ${scenario.name}${didYouMean(options.from, keys)}`,
    );
  const asked: ExplainedCell = options.dns !== undefined ? { kind: 'dns', name: options.dns } : { kind: 'cell' };
  const { to, ports } =
    options.dns !== undefined ? dnsTarget(world) : cellTarget(scenario, keys, world.endpoints, options);
  const explanations =
    options.via === 'service' || options.via === 'dns'
      ? servicePorts(scenario, to, options).map((port) =>
          explainServiceCell(world, policies, from, to, port, options.via as 'service' | 'dns', clusterPolicies)!,
        )
      : ports.map((port) => explainCell(world, policies, from, to, port, clusterPolicies));
  return {
    step,
    explanations,
    text: (style) => explanations.map((e) => renderExplanation(e, step.name, policies, style, asked)).join('\n\n'),
  };
}

/**
 * Sources that are not workloads: a node (`node:local`, `node:remote`) and, through a NodePort, an
 * external (`--from external:<name> --via nodeport`). Each is explained under every reading of the
 * source a CNI may take; undefined for a workload source.
 */
function otherSource(
  scenario: Scenario,
  step: Step,
  options: ExplainOptions,
  keys: readonly string[],
): Answer | undefined {
  const node = options.from === NODE_LOCAL || options.from === NODE_REMOTE;
  const external = options.from.startsWith(EXTERNAL_PREFIX);
  if (!node && !external) return undefined;
  if (options.dns !== undefined) throw new UsageError(`--dns explains a workload's lookup, not ${options.from}'s`);
  const { world, policies } = predictStep(scenario, step);
  const to = world.endpoints.find((e) => e.key === options.to && e.kind === 'workload');
  if (!to)
    throw new UsageError(`--to ${options.to} is not a workload of ${scenario.name}${didYouMean(options.to!, keys)}`);
  let explanations: ReadingsExplanation[];
  if (node) {
    const ports = cellTarget(scenario, keys, world.endpoints, { ...options, via: 'pod' }).ports;
    explanations = ports.map((port) =>
      options.from === NODE_LOCAL
        ? {
            ...explainCell(world, policies, nodeEndpoint(NODE_LOCAL), to, port),
            allowed: true,
            readings: [],
            rule: NODE_LOCAL_REASON,
          }
        : explainReadings(
            withHostProbeNamespace(world),
            policies,
            nodeEndpoint(NODE_REMOTE),
            to,
            port,
            remoteNodeReadings(SYNTHETIC_NODE_IP, tunnelAddress(scenario.podCIDR)),
            1,
            HOST_NETWORK_UNDEFINED,
          ),
    );
  } else {
    const from = world.endpoints.find((e) => e.key === options.from && e.kind === 'external');
    if (!from)
      throw new UsageError(
        `--from ${options.from} is not an external of ${scenario.name}${didYouMean(options.from, keys)}`,
      );
    if (options.via !== 'nodeport')
      throw new UsageError(`an external is a client only through a NodePort: add --via nodeport`);
    const service = scenario.workloads.find((w) => `${w.namespace}/${w.name}` === to.key)?.service;
    if (service?.type !== 'NodePort') throw new UsageError(`${to.key} has no NodePort Service`);
    explanations = servicePorts(scenario, to, options).map(({ port }) => ({
      path: `via NodePort ${service.name} port ${port.port}/${port.protocol}`,
      ...explainReadings(
        world,
        policies,
        from,
        to,
        resolveTargetPort(port, to.ports)!,
        nodePortReadings(from, service.externalTrafficPolicy, SYNTHETIC_NODE_IP, scenario.podCIDR),
        0,
        CLUSTER_SNAT,
      ),
    }));
  }
  return {
    step,
    explanations,
    text: (style) => explanations.map((e) => renderReadings(e, step.name, policies, style)).join('\n\n'),
  };
}

/** `--via service|dns`: the Service ports of the destination's Service that --port names (number or name). */
function servicePorts(
  scenario: Scenario,
  to: Endpoint,
  options: ExplainOptions,
): Array<{ name: string; port: ServicePortSpec }> {
  const service = scenario.workloads.find((w) => `${w.namespace}/${w.name}` === to.key)?.service;
  if (!service) throw new UsageError(`${to.key} has no Service: --via ${options.via} needs one (workloads[].service)`);
  const ports = service.ports.filter(
    (p) =>
      (String(p.port) === options.port || p.name === options.port) &&
      (!options.protocol || p.protocol === options.protocol) &&
      resolveTargetPort(p, to.ports),
  );
  if (!ports.length)
    throw new UsageError(
      `Service ${service.name} of ${to.key} has no port ${options.port}; ` +
        `its ports are ${service.ports.map(servicePortText).join(', ')}`,
    );
  return ports.map((port) => ({ name: service.name, port }));
}

const servicePortText = (p: ServicePortSpec): string => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`;

/** nslookup's transport: the engine says a name resolves when cluster DNS is reachable on 53/UDP. */
function dnsTarget(world: World): { to: Endpoint; ports: ServedPort[] } {
  const lookup = dnsLookupTarget(world)!;
  return { to: lookup.endpoint, ports: [lookup.port] };
}

function cellTarget(
  scenario: Scenario,
  keys: readonly string[],
  endpoints: readonly Endpoint[],
  options: ExplainOptions,
): { to: Endpoint; ports: ServedPort[] } {
  const wanted = options.to!;
  const to = endpoints.find((e) => e.key === wanted && e.kind !== 'dns');
  if (!to)
    throw new UsageError(`--to ${wanted} is not a workload or external of ${scenario.name}${didYouMean(wanted, keys)}`);
  // Through a Service, --port names a Service port: servicePorts() checks it.
  if (options.via === 'service' || options.via === 'dns') return { to, ports: [] };
  const ports = to.ports.filter(
    (p) =>
      (String(p.port) === options.port || p.name === options.port) &&
      (!options.protocol || p.protocol === options.protocol),
  );
  if (!ports.length)
    throw new UsageError(
      `${to.key} serves no port ${options.port}${options.protocol ? `/${options.protocol}` : ''}; ` +
        `it serves ${to.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}`,
    );
  return { to, ports };
}

function pickStep(scenario: Scenario, wanted: string | undefined): Step {
  if (wanted === undefined) {
    if (scenario.steps.length > 1)
      throw new UsageError(
        `${scenario.name} has ${scenario.steps.length} steps; ` +
          `choose one with --step (${scenario.steps.map((s, i) => `${i}=${s.name}`).join(', ')})`,
      );
    return scenario.steps[0]!;
  }
  const step = /^\d+$/.test(wanted) ? scenario.steps[Number(wanted)] : scenario.steps.find((s) => s.name === wanted);
  if (!step)
    throw new UsageError(
      `--step ${wanted}: no such step; steps are ${scenario.steps.map((s, i) => `${i}=${s.name}`).join(', ')}`,
    );
  return step;
}
