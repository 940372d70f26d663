/** `workloads[].service` and `spec.probe`: Services checked against what their workload serves. */
import type { Scenario, ScenarioWorkload } from '../model/scenario.js';
import {
  DEFAULT_PROBE_PATHS,
  defaultServiceName,
  implicitService,
  resolveTargetPort,
  type ProbePaths,
  type ScenarioService,
  type Via,
} from '../model/service.js';
import type { ServedPort } from '../model/world.js';
import { declaredHint } from './hints.js';
import type { RawProbe, RawService } from './raw.js';
import type { DiagnosticSink } from './reporter.js';

/** A workload's Service, with every port's targetPort resolved against the ports the workload serves. */
export function buildService(
  raw: RawService,
  workload: { readonly name: string; readonly ports: readonly ServedPort[] },
  sink: DiagnosticSink,
): ScenarioService {
  const type = raw.type ?? 'ClusterIP';
  if (raw.externalTrafficPolicy !== undefined && type !== 'NodePort')
    sink.error(['externalTrafficPolicy'], 'externalTrafficPolicy applies to a NodePort Service only (type: NodePort)');
  if (!workload.ports.length)
    sink.error(['ports'], `workload ${workload.name} serves no ports, so its Service would have nothing to reach`);
  const seen = new Set<string>();
  const names = new Set<string>();
  const ports = raw.ports.map((p, i) => {
    const at = sink.at(['ports', i]);
    const protocol = p.protocol ?? 'TCP';
    const id = `${p.port}/${protocol}`;
    if (seen.has(id)) at.error(['port'], `Service port ${id} is listed twice`);
    seen.add(id);
    if (p.name !== undefined) {
      if (names.has(p.name)) at.error(['name'], `Service port name "${p.name}" is used twice`);
      names.add(p.name);
    } else if (raw.ports.length > 1)
      at.error(['port'], 'a Service with more than one port needs a name on each (Kubernetes refuses it otherwise)', {
        key: true,
      });
    const port = { ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort ?? p.port, protocol };
    if (workload.ports.length && !resolveTargetPort(port, workload.ports)) {
      const served = workload.ports.map((s) => `${s.port}/${s.protocol}${s.name ? ` (${s.name})` : ''}`);
      at.error(
        [p.targetPort !== undefined ? 'targetPort' : 'port'],
        `targetPort ${port.targetPort}/${protocol} is not a port ${workload.name} serves ` +
          `(it serves ${served.join(', ')})` +
          (typeof port.targetPort === 'string'
            ? declaredHint(
                port.targetPort,
                workload.ports.flatMap((s) => (s.name ? [s.name] : [])),
              )
            : ''),
      );
    }
    return port;
  });
  return {
    name: raw.name ?? defaultServiceName(workload.name),
    type,
    ports,
    ...(raw.externalTrafficPolicy ? { externalTrafficPolicy: raw.externalTrafficPolicy } : {}),
  };
}

export function buildProbePaths(raw: RawProbe | undefined): ProbePaths {
  return {
    via: raw?.via ?? DEFAULT_PROBE_PATHS.via,
    services: raw?.services ?? DEFAULT_PROBE_PATHS.services,
    fromNodes: raw?.fromNodes ?? DEFAULT_PROBE_PATHS.fromNodes,
  };
}

/**
 * `services: all`: every serving workload without a Service gets the upstream suite's one. Pure; used
 * at load time and by `run --services all`.
 */
export function withImplicitServices(workloads: readonly ScenarioWorkload[]): ScenarioWorkload[] {
  return workloads.map((w) => (w.service || !w.ports.length ? w : { ...w, service: implicitService(w.name, w.ports) }));
}

/** Two Services with one name in a namespace: Kubernetes would keep only one. */
export function checkServiceNames(workloads: readonly ScenarioWorkload[], sink: DiagnosticSink): void {
  const owner = new Map<string, string>();
  workloads.forEach((w, i) => {
    if (!w.service) return;
    const key = `${w.namespace}/${w.service.name}`;
    const first = owner.get(key);
    if (first) sink.at(['workloads', i]).error(['service'], `Service ${key} is also the Service of ${first}`);
    else owner.set(key, `${w.namespace}/${w.name}`);
  });
}

/** A scenario probed on other paths than it says (`run --via`, `--services`): Services added as `all` asks. */
export function withProbePaths(
  scenario: Scenario,
  override: { readonly via?: readonly Via[]; readonly services?: 'declared' | 'all'; readonly fromNodes?: boolean },
): Scenario {
  if (!override.via && !override.services && !override.fromNodes) return scenario;
  const probe = {
    via: override.via ?? scenario.probe?.via ?? DEFAULT_PROBE_PATHS.via,
    services: override.services ?? scenario.probe?.services ?? DEFAULT_PROBE_PATHS.services,
    fromNodes: override.fromNodes ?? scenario.probe?.fromNodes ?? DEFAULT_PROBE_PATHS.fromNodes,
  };
  const workloads = probe.services === 'all' ? withImplicitServices(scenario.workloads) : scenario.workloads;
  return { ...scenario, probe, workloads };
}
