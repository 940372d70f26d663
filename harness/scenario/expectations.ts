import { isVersionRange } from '../model/cni-version.js';
import { parsePeerPattern, workloadKey, dnsDeviationName } from '../model/peer-pattern.js';
import type { SourcePosition } from '../model/position.js';
import type {
  DeviationObservation,
  ExpectMatrix,
  Expectations,
  PortPattern,
  ProtocolPattern,
} from '../model/scenario.js';
import type { ScenarioExternal, ScenarioWorkload } from '../model/scenario.js';
import { declaredHint } from './hints.js';
import { parseMatrix } from './matrix-table.js';
import type { RawExpect } from './raw.js';
import type { DiagnosticSink } from './reporter.js';

export interface ExpectContext {
  readonly namespaces: ReadonlySet<string>;
  readonly workloads: readonly ScenarioWorkload[];
  readonly externals: readonly ScenarioExternal[];
  /** `nodeport` among spec.probe.via: externals are sources (clients from outside). */
  readonly nodePorts?: boolean;
  /** `spec.probe.fromNodes`: node:local and node:remote are sources. */
  readonly fromNodes?: boolean;
  /** Where peers are declared, as errors name it (a scenario's spec; a live cluster's classes for an intent). */
  readonly declaredIn?: { readonly namespaces: string; readonly workloads: string };
}

const IN_SPEC = { namespaces: 'declared in spec.namespaces', workloads: 'declared in spec.workloads' };

type Role = 'source' | 'destination';

/** Checks a peer pattern against what the scenario declares; reports and returns false when it names nothing. */
function peerProblem(text: string, role: Role, ctx: ExpectContext, exact: boolean): string | undefined {
  const pattern = parsePeerPattern(text);
  if ('error' in pattern) return pattern.error;
  switch (pattern.kind) {
    case 'any':
      return exact ? `a matrix names one peer per row and column, not "*"` : undefined;
    case 'external':
      if (role === 'source' && !ctx.nodePorts)
        return (
          `externals are probe sources only through NodePorts (spec.probe.via with nodeport): ` +
          `"${text}" cannot be a source here`
        );
      if (!ctx.externals.some((e) => e.name === pattern.name))
        return `external "${pattern.name}" is not declared in spec.externals${declaredHint(
          pattern.name,
          ctx.externals.map((e) => e.name),
        )}`;
      return undefined;
    case 'node':
      if (role === 'destination') return `nodes are probe sources, not destinations: "${text}" cannot be a destination`;
      if (!ctx.fromNodes) return `"${text}" is probed only with spec.probe.fromNodes: true`;
      return exact && pattern.name === '*' ? `a matrix names one peer per row and column, not "${text}"` : undefined;
    case 'pod': {
      if (exact && (pattern.namespace === '*' || pattern.name === '*'))
        return `a matrix names one peer per row and column, not "${text}"`;
      if (pattern.namespace !== '*' && !ctx.namespaces.has(pattern.namespace))
        return (
          `namespace "${pattern.namespace}" is not ${(ctx.declaredIn ?? IN_SPEC).namespaces}` +
          declaredHint(pattern.namespace, ctx.namespaces)
        );
      const keys = ctx.workloads.map((w) => workloadKey(w.namespace, w.name));
      if (pattern.name === '*') return undefined;
      const found =
        pattern.namespace === '*' ? ctx.workloads.some((w) => w.name === pattern.name) : keys.includes(text);
      if (found) return undefined;
      const hint =
        pattern.namespace === '*'
          ? declaredHint(pattern.name, new Set(ctx.workloads.map((w) => w.name)))
          : declaredHint(text, keys);
      return `workload "${text}" is not ${(ctx.declaredIn ?? IN_SPEC).workloads}${hint}`;
    }
  }
}

function portProblem(port: PortPattern, ctx: ExpectContext): string | undefined {
  if (typeof port === 'number' || port === '*') return undefined;
  if (/^\d+$/.test(port)) return `port "${port}" is a string, so it would name a port; write the number unquoted`;
  const names = new Set(
    [...ctx.workloads, ...ctx.externals].flatMap((w) => w.ports.flatMap((p) => (p.name ? [p.name] : []))),
  );
  return names.has(port) ? undefined : `port name "${port}" is not served by any workload${declaredHint(port, names)}`;
}

/** One `expect` block: defaults applied, every reference checked against the declared topology. */
export function buildExpectations(raw: RawExpect | undefined, sink: DiagnosticSink, ctx: ExpectContext): Expectations {
  const check = (at: DiagnosticSink, field: string, text: string, role: Role) => {
    const problem = peerProblem(text, role, ctx, false);
    if (problem) at.error([field], problem);
  };
  const checkPort = (at: DiagnosticSink, port: PortPattern) => {
    const problem = portProblem(port, ctx);
    if (problem) at.error(['port'], problem);
  };
  const origin = (at: DiagnosticSink): SourcePosition => at.position();
  const rules = (raw?.rules ?? []).map((r, i) => {
    const at = sink.at(['rules', i]);
    check(at, 'from', r.from, 'source');
    check(at, 'to', r.to, 'destination');
    checkPort(at, r.port ?? '*');
    return {
      from: r.from,
      to: r.to,
      port: r.port ?? '*',
      protocol: (r.protocol ?? '*') as ProtocolPattern,
      via: r.via ?? '*',
      allowed: r.allowed,
      origin: origin(at),
    };
  });
  const matrices = (raw?.matrix ?? []).flatMap((m, i): ExpectMatrix[] => {
    const at = sink.at(['matrix', i]);
    checkPort(at, m.port);
    const exactPeer = (role: Role) => (text: string, position: SourcePosition) => {
      const problem = peerProblem(text, role, ctx, true);
      if (problem) at.out.push({ ...position, severity: 'error', message: problem });
      return !problem;
    };
    const header = {
      port: m.port,
      protocol: (m.protocol ?? '*') as ProtocolPattern,
      via: m.via ?? '*',
      table: m.table,
    };
    const parsed = parseMatrix(header, at, {
      source: exactPeer('source'),
      destination: exactPeer('destination'),
    });
    return parsed ? [parsed] : [];
  });
  const dns = (raw?.dns ?? []).map((d, i) => {
    const at = sink.at(['dns', i]);
    check(at, 'from', d.from, 'source');
    return { from: d.from, name: d.name, resolves: d.resolves, origin: origin(at) };
  });
  const knownDeviations = (raw?.knownDeviations ?? []).map((d, i) => {
    const at = sink.at(['knownDeviations', i]);
    check(at, 'from', d.from, 'source');
    const dnsName = dnsDeviationName(d.to);
    if (dnsName === undefined) {
      check(at, 'to', d.to, 'destination');
      checkPort(at, d.port ?? '*');
    } else if (!dnsName) at.error(['to'], `"${d.to}" names no DNS name: use dns:<name> or dns:* (every name)`);
    else if (d.port !== undefined || d.protocol !== undefined)
      at.error(
        [d.port !== undefined ? 'port' : 'protocol'],
        'a DNS deviation (to: dns:...) covers lookups: it takes no port or protocol',
      );
    if (d.versions !== undefined && !isVersionRange(d.versions))
      at.error(['versions'], `"${d.versions}" is not a version range: write e.g. "<1.19", ">=3.30 <3.32" or "1.18.x"`);
    return {
      cni: d.cni,
      ...(d.versions !== undefined ? { versions: d.versions } : {}),
      from: d.from,
      to: d.to,
      port: d.port ?? '*',
      protocol: (d.protocol ?? '*') as ProtocolPattern,
      via: d.via ?? '*',
      observed: d.observed as DeviationObservation,
      reason: d.reason.trim(),
      origin: origin(at),
    };
  });
  return {
    default: raw?.default ?? 'predicted',
    ignoreSelf: raw?.ignoreSelf ?? true,
    rules,
    matrices,
    dns,
    knownDeviations,
  };
}
