import { parseCidr, parseIp, cidrContains } from '../model/cidr.js';
import { workloadKey } from '../model/peer-pattern.js';
import type { ScenarioExternal, ScenarioNamespace, ScenarioWorkload } from '../model/scenario.js';
import { DNS_NAMESPACE, type ServedPort } from '../model/world.js';
import { labelKeyProblem } from '../model/k8s-names.js';
import type { Labels } from '../model/network-policy.js';
import type { RawPort, RawScenario } from './raw.js';
import type { DiagnosticSink } from './reporter.js';
import { declaredHint } from './hints.js';
import { buildProbePaths, buildService, checkServiceNames, withImplicitServices } from './services.js';
import type { ProbePaths } from '../model/service.js';
import { HOST_PROBE_NAMESPACE } from '../engine/node-sources.js';

export interface Topology {
  readonly namespaces: ScenarioNamespace[];
  readonly workloads: ScenarioWorkload[];
  readonly externals: ScenarioExternal[];
  readonly podCIDR: string;
  readonly probe: ProbePaths;
}

/**
 * Most cells (steps x source workloads x served destination ports) a scenario may ask the engine
 * for. A 1 MiB file can list ~19k one-line workloads: hundreds of millions of cells, minutes and
 * gigabytes in validate's intent check. The benchmark's 200-workload cluster is 80,000 cells.
 */
export const MAX_CELLS = 1_000_000;

/** Refuses a scenario whose matrix would be too large to predict; true when it fits. */
export function checkMatrixSize(topology: Topology, stepCount: number, sink: DiagnosticSink): boolean {
  const paths = topology.probe.via.filter((v) => v !== 'pod').length;
  const destinationPorts =
    [...topology.workloads, ...topology.externals].reduce((n, w) => n + w.ports.length, 0) +
    topology.workloads.reduce((n, w) => n + (w.service?.ports.length ?? 0) * paths, 0);
  const cells = stepCount * topology.workloads.length * destinationPorts;
  if (cells <= MAX_CELLS) return true;
  sink.error(
    ['spec', 'workloads'],
    `the scenario asks for ${cells.toLocaleString('en-US')} cells ` +
      `(${stepCount} step(s) x ${topology.workloads.length} workloads x ${destinationPorts} served ports and paths); ` +
      `at most ${MAX_CELLS.toLocaleString('en-US')} are allowed, split it into smaller scenarios`,
    { key: true },
  );
  return false;
}

/** Namespaces, workloads and externals, with duplicates, dangling references and bad ports refused. */
export function buildTopology(raw: RawScenario, sink: DiagnosticSink, podCIDR: string): Topology {
  const spec = sink.at(['spec']);
  const namespaces = Object.entries(raw.spec.namespaces).map(([name, value]) => {
    if (name === DNS_NAMESPACE)
      spec.error(
        ['namespaces', name],
        `"${DNS_NAMESPACE}" is reserved: cluster DNS lives there; select it with namespaceSelector instead`,
        { key: true },
      );
    if (name === HOST_PROBE_NAMESPACE)
      spec.error(
        ['namespaces', name],
        `"${name}" is reserved: the host-network probe pods of node sources live there`,
        {
          key: true,
        },
      );
    checkLabels(value?.labels ?? {}, spec.at(['namespaces', name, 'labels']));
    return { name, labels: value?.labels ?? {} };
  });
  const declared = new Set(namespaces.map((n) => n.name));

  const cidr = parseCidr(podCIDR);
  if (!cidr) spec.error(['podCIDR'], `"${podCIDR}" is not a valid CIDR`);

  const seen = new Set<string>();
  const workloads = raw.spec.workloads.map((w, i) => {
    const at = spec.at(['workloads', i]);
    if (!declared.has(w.namespace))
      at.error(
        ['namespace'],
        `namespace "${w.namespace}" is not declared in spec.namespaces${declaredHint(w.namespace, declared)}`,
      );
    const key = workloadKey(w.namespace, w.name);
    if (seen.has(key)) at.error(['name'], `duplicate workload ${key}`);
    seen.add(key);
    checkLabels(w.labels ?? {}, at.at(['labels']));
    const ports = buildPorts(w.ports ?? [], at.at(['ports']));
    return {
      namespace: w.namespace,
      name: w.name,
      labels: w.labels ?? {},
      ports,
      ...(w.service ? { service: buildService(w.service, { name: w.name, ports }, at.at(['service'])) } : {}),
    };
  });
  const probe = buildProbePaths(raw.spec.probe);
  const served = probe.services === 'all' ? withImplicitServices(workloads) : workloads;
  checkServiceNames(served, spec);

  const externalNames = new Set<string>();
  const externals = (raw.spec.externals ?? []).map((e, i) => {
    const at = spec.at(['externals', i]);
    if (externalNames.has(e.name)) at.error(['name'], `duplicate external ${e.name}`);
    externalNames.add(e.name);
    const ip = parseIp(e.ip);
    if (!ip) at.error(['ip'], `"${e.ip}" is not an IPv4 or IPv6 address`);
    else if (cidr && cidrContains(cidr, ip))
      at.error(
        ['ip'],
        `external ${e.name} (${e.ip}) lies inside the pod CIDR ${podCIDR}; externals must be outside the cluster`,
      );
    return { name: e.name, ip: e.ip, ports: buildPorts(e.ports, at.at(['ports'])) };
  });
  return { namespaces, workloads: served, externals, podCIDR, probe };
}

function buildPorts(raw: RawPort[], sink: DiagnosticSink): ServedPort[] {
  const byNumber = new Set<string>();
  const byName = new Set<string>();
  return raw.map((p, i) => {
    const protocol = p.protocol ?? 'TCP';
    const id = `${p.port}/${protocol}`;
    if (byNumber.has(id)) sink.error([i, 'port'], `port ${id} is listed twice`);
    byNumber.add(id);
    if (p.name !== undefined) {
      if (byName.has(p.name)) sink.error([i, 'name'], `port name "${p.name}" is used twice in this workload`);
      byName.add(p.name);
    }
    return p.name === undefined ? { port: p.port, protocol } : { port: p.port, protocol, name: p.name };
  });
}

/** Label syntax beyond what the schema's patterns say (prefix length). */
export function checkLabels(labels: Labels, sink: DiagnosticSink): void {
  for (const key of Object.keys(labels)) {
    const problem = labelKeyProblem(key);
    if (problem) sink.error([key], problem, { key: true });
  }
}
