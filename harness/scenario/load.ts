import path from 'node:path';
import { parseCidr } from '../model/cidr.js';
import { logicalBindings } from '../model/step-world.js';
import { workloadKey } from '../model/peer-pattern.js';
import {
  DEFAULT_POD_CIDR,
  type LabelOverrides,
  type PolicySource,
  type Scenario,
  type Step,
} from '../model/scenario.js';
import type { Labels } from '../model/network-policy.js';
import { declaredHint } from './hints.js';
import { errorsOf, type Diagnostic } from './diagnostic.js';
import { buildExpectations } from './expectations.js';
import { buildPolicies, stripInlineServerFields } from './policies.js';
import type { ReadText } from './read-text.js';
import { lintScenario, type LintSites } from './lint.js';
import type { RawScenario, RawStep } from './raw.js';
import { DiagnosticSink } from './reporter.js';
import { checkSchema } from './schema-check.js';
import { parseSource, toPlain } from './source.js';
import { readTextFile } from './files.js';
import { buildTopology, checkLabels, checkMatrixSize, type Topology } from './topology.js';

export interface LoadOptions {
  /** Overrides spec.podCIDR (the block synthetic pod IPs come from). */
  readonly podCIDR?: string;
  readonly readText?: ReadText;
}

export interface LoadResult {
  readonly scenario?: Scenario;
  /** Errors and warnings, in the order found. No scenario when any is an error. */
  readonly diagnostics: Diagnostic[];
}

/** file -> Scenario, or every problem found, each at file:line:col. Never throws for bad input. */
export function loadScenario(file: string, options: LoadOptions = {}): LoadResult {
  const readText = options.readText ?? readTextFile;
  const display = path.relative(process.cwd(), file) || file;
  if (options.podCIDR !== undefined && !parseCidr(options.podCIDR)) {
    return {
      diagnostics: [
        {
          file: display,
          line: 1,
          col: 1,
          severity: 'error',
          message: `--pod-cidr "${options.podCIDR}" is not a valid CIDR (e.g. 10.244.0.0/16 or fd00:10:244::/64)`,
        },
      ],
    };
  }
  const read = readText(file);
  if ('error' in read)
    return {
      diagnostics: [
        { file: display, line: 1, col: 1, severity: 'error', message: `cannot read scenario: ${read.error}` },
      ],
    };
  const parsed = parseSource(display, read.text);
  if (parsed.diagnostics.length) return { diagnostics: parsed.diagnostics };
  if (parsed.documents.length !== 1) {
    return {
      diagnostics: [
        {
          file: display,
          line: 1,
          col: 1,
          severity: 'error',
          message: parsed.documents.length ? 'a scenario file holds exactly one YAML document' : 'the file is empty',
        },
      ],
    };
  }
  const document = parsed.documents[0]!;
  const plain = toPlain(document);
  if (plain.diagnostic) return { diagnostics: [plain.diagnostic] };
  const diagnostics: Diagnostic[] = [];
  stripInlineServerFields(plain.value, document, diagnostics);
  diagnostics.push(...checkSchema('scenario', plain.value, document));
  if (errorsOf(diagnostics).length) return { diagnostics };
  const { scenario, sites } = buildScenario(plain.value as RawScenario, new DiagnosticSink(document, diagnostics), {
    ...options,
    readText,
    file,
  });
  if (errorsOf(diagnostics).length) return { diagnostics: unique(diagnostics) };
  lintScenario(scenario, sites);
  return { scenario, diagnostics: unique(diagnostics) };
}

/** A policy file used by several steps is read once per step: say each thing about it once. */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function buildScenario(
  raw: RawScenario,
  sink: DiagnosticSink,
  options: LoadOptions & { readText: ReadText; file: string },
): { scenario: Scenario; sites: LintSites } {
  const located = new Map<PolicySource, DiagnosticSink>();
  const expects: DiagnosticSink[] = [];
  const podCIDR = options.podCIDR ?? raw.spec.podCIDR ?? DEFAULT_POD_CIDR;
  const topology = buildTopology(raw, sink, podCIDR);
  if (!checkMatrixSize(topology, raw.spec.steps?.length ?? 1, sink))
    return {
      scenario: { file: options.file, name: raw.metadata.name, ...topology, steps: [] },
      sites: { policies: located, expects },
    };
  const namespaces = new Set(topology.namespaces.map((n) => n.name));
  const workloadKeys = new Set(topology.workloads.map((w) => workloadKey(w.namespace, w.name)));
  const spec = sink.at(['spec']);
  if (raw.spec.steps && raw.spec.policies)
    spec.error(['policies'], 'use either top-level policies/expect (one step) or steps, not both', { key: true });
  if (raw.spec.steps && raw.spec.expect)
    spec.error(['expect'], 'with steps, each step has its own expect; move this block into the steps', { key: true });
  let bindings;
  try {
    bindings = logicalBindings(topology);
  } catch (err) {
    // An unparsable podCIDR is already reported by buildTopology; report only what it did not.
    if (parseCidr(podCIDR)) spec.error(['podCIDR'], (err as Error).message);
    bindings = { namespace: () => undefined, podIP: () => undefined };
  }
  const policyCtx = {
    scenarioFile: options.file,
    readText: options.readText,
    namespaces,
    workloadKeys,
    bindings,
    diagnostics: sink.out,
    located,
  };
  const expectCtx = {
    namespaces,
    workloads: topology.workloads,
    externals: topology.externals,
    fromNodes: topology.probe.fromNodes,
    nodePorts: topology.probe.via.includes('nodeport'),
  };
  const rawSteps: Array<{ raw: RawStep; at: DiagnosticSink }> = raw.spec.steps
    ? raw.spec.steps.map((s, i) => ({ raw: s, at: spec.at(['steps', i]) }))
    : [
        {
          raw: {
            name: 'default',
            ...(raw.spec.policies ? { policies: raw.spec.policies } : {}),
            ...(raw.spec.expect ? { expect: raw.spec.expect } : {}),
          },
          at: spec,
        },
      ];
  const stepNames = new Set<string>();
  const steps = rawSteps.map(({ raw: step, at }, index): Step => {
    if (stepNames.has(step.name)) at.error(['name'], `duplicate step name "${step.name}"`);
    stepNames.add(step.name);
    expects.push(at.at(['expect']));
    const { policies, clusterPolicies } = buildPolicies(step.policies ?? [], at.at(['policies']), policyCtx);
    return {
      name: step.name,
      index,
      policies,
      clusterPolicies,
      labels: buildOverrides(step, at.at(['labels']), topology),
      expect: buildExpectations(step.expect, at.at(['expect']), expectCtx),
    };
  });
  const scenario: Scenario = {
    file: options.file,
    name: raw.metadata.name,
    ...(raw.metadata.description ? { description: raw.metadata.description } : {}),
    ...(raw.metadata.tags?.length ? { tags: raw.metadata.tags } : {}),
    ...(raw.metadata.environment ? { environment: raw.metadata.environment } : {}),
    ...topology,
    steps,
  };
  return { scenario, sites: { policies: located, expects } };
}

function buildOverrides(step: RawStep, sink: DiagnosticSink, topology: Topology): LabelOverrides {
  const namespaces = new Map<string, Labels>();
  const workloads = new Map<string, Labels>();
  const nsNames = topology.namespaces.map((n) => n.name);
  const keys = topology.workloads.map((w) => workloadKey(w.namespace, w.name));
  for (const [ns, labels] of Object.entries(step.labels?.namespaces ?? {})) {
    if (!nsNames.includes(ns))
      sink.error(
        ['namespaces', ns],
        `namespace "${ns}" is not declared in spec.namespaces${declaredHint(ns, nsNames)}`,
        { key: true },
      );
    checkLabels(labels, sink.at(['namespaces', ns]));
    namespaces.set(ns, labels);
  }
  for (const [key, labels] of Object.entries(step.labels?.workloads ?? {})) {
    if (!keys.includes(key))
      sink.error(
        ['workloads', key],
        `workload "${key}" is not declared in spec.workloads (write it as namespace/name)${declaredHint(key, keys)}`,
        { key: true },
      );
    checkLabels(labels, sink.at(['workloads', key]));
    workloads.set(key, labels);
  }
  return { namespaces, workloads };
}
