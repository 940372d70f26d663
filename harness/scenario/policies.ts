import path from 'node:path';
import { BANP_KIND, clusterPolicyKind, clusterPolicyRef, clusterPolicyOf, CNP_KIND } from '../model/admin-policy.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { findPlaceholders, substitutePlaceholders, type PlaceholderBindings } from '../model/placeholders.js';
import type { PolicySource } from '../model/scenario.js';
import { declaredHint } from './hints.js';
import type { Diagnostic } from './diagnostic.js';
import { warnUndeclaredNamespaceSelectors } from './namespace-refs.js';
import { checkNetworkPolicy } from './policy-check.js';
import { checkClusterPolicy } from './cluster-policy-check.js';
import type { RawPolicyEntry } from './raw.js';
import { DiagnosticSink, NOTE } from './reporter.js';
import { checkSchema } from './schema-check.js';
import { parseSource, toPlain, type SourceDocument, type YamlPath } from './source.js';
import { classifyDocument, serverFieldsNote, stripServerFields, type Classified } from './kube-documents.js';

/** Reads a file the scenario refers to; undefined text with a reason when it cannot. */
import type { ReadText } from './read-text.js';

export interface PolicyContext {
  readonly scenarioFile: string;
  readonly readText: ReadText;
  readonly namespaces: ReadonlySet<string>;
  readonly workloadKeys: ReadonlySet<string>;
  readonly bindings: PlaceholderBindings;
  /** The one list every diagnostic of this scenario goes to (also the sinks' `out`). */
  readonly diagnostics: Diagnostic[];
  /** Where each accepted policy was written, so later checks can point inside it. */
  readonly located: Map<PolicySource, DiagnosticSink>;
}

/** A step's policies: NetworkPolicies, and the cluster-scoped AdminNetworkPolicies and baseline. */
export interface StepPolicySources {
  readonly policies: PolicySource[];
  readonly clusterPolicies: PolicySource[];
}

/** One step's policy list: inline manifests and files, each checked where it was written. */
export function buildPolicies(
  entries: readonly RawPolicyEntry[],
  sink: DiagnosticSink,
  ctx: PolicyContext,
): StepPolicySources {
  const sources: PolicySource[] = [];
  const clusterSources: PolicySource[] = [];
  const names = new Map<string, string>();
  const add = (manifest: NetworkPolicy, at: DiagnosticSink) => {
    const cluster = clusterPolicyKind(manifest) !== undefined;
    if (!(cluster ? checkClusterManifest(manifest, at, ctx) : checkManifest(manifest, at, ctx))) return;
    const id = cluster
      ? clusterPolicyRef(clusterPolicyOf(manifest as unknown as Record<string, unknown>))
      : `${manifest.metadata.namespace}/${manifest.metadata.name}`;
    const origin = at.position();
    const previous = names.get(id);
    if (previous) at.error(['metadata', 'name'], `policy ${id} is already defined at ${previous}`);
    names.set(id, `${origin.file}:${origin.line}`);
    const source = { manifest: manifest as unknown as Record<string, unknown>, origin };
    ctx.located.set(source, at);
    (cluster ? clusterSources : sources).push(source);
  };
  entries.forEach((entry, i) => {
    if (entry.manifest) add(withNamespace(normalize(entry.manifest) as NetworkPolicy, ctx), sink.at([i, 'manifest']));
    else if (entry.file !== undefined)
      loadPolicyFile(entry.file, sink.at([i, 'file']), ctx).forEach(({ manifest, at }) => add(manifest, at));
  });
  warnEqualPriorities(clusterSources, ctx);
  refuseMixedApis(clusterSources, ctx);
  return { policies: sources, clusterPolicies: clusterSources };
}

/**
 * ClusterNetworkPolicy (v1alpha2 on) next to AdminNetworkPolicy or the baseline (v1alpha1) in one step:
 * neither API says how the two order against each other, and a cluster serves one or the other.
 */
function refuseMixedApis(sources: readonly PolicySource[], ctx: PolicyContext): void {
  const kinds = sources.map((s) => clusterPolicyKind(s.manifest));
  const firstOld = kinds.findIndex((k) => k !== CNP_KIND);
  const firstCnp = kinds.findIndex((k) => k === CNP_KIND);
  if (firstOld < 0 || firstCnp < 0) return;
  const old = sources[firstOld]!;
  ctx.located
    .get(sources[firstCnp]!)
    ?.error(
      ['kind'],
      `a ClusterNetworkPolicy in the same step as the ${kinds[firstOld]} at ${old.origin.file}:${old.origin.line}: ` +
        'the v1alpha1 and v1alpha2 APIs do not say how their tiers order against each other; use one of them',
    );
}

/** Cluster-scoped: no namespace, placeholders bound as in a NetworkPolicy, then the rules the schema cannot say. */
function checkClusterManifest(manifest: NetworkPolicy, sink: DiagnosticSink, ctx: PolicyContext): boolean {
  const errors = () => sink.out.filter((d) => d.severity === 'error').length;
  const before = errors();
  checkPlaceholders(manifest, sink, ctx);
  if (errors() === before)
    checkClusterPolicy(substitutePlaceholders(manifest, ctx.bindings) as unknown as Record<string, unknown>, sink);
  return errors() === before;
}

/**
 * Two policies of one tier and priority (ANPs, or CNPs of a tier): the API leaves their order
 * undefined. A warning here; the cells where they disagree are predicted `unspecified`.
 */
function warnEqualPriorities(sources: readonly PolicySource[], ctx: PolicyContext): void {
  const byPriority = new Map<string, PolicySource>();
  for (const source of sources) {
    const policy = clusterPolicyOf(source.manifest);
    if (policy.kind === BANP_KIND) continue;
    const key = `${policy.tier}|${policy.priority}`;
    const first = byPriority.get(key);
    if (first)
      ctx.located
        .get(source)
        ?.warning(
          ['spec', 'priority'],
          `priority ${policy.priority} is also ${clusterPolicyRef(clusterPolicyOf(first.manifest))}'s, in the ` +
            `${policy.tier} tier (${first.origin.file}:${first.origin.line}): the API leaves their order ` +
            'undefined, so cells where they disagree are predicted unspecified',
        );
    else byPriority.set(key, source);
  }
}

type Located = Array<{ manifest: NetworkPolicy; at: DiagnosticSink }>;
type Entries = Array<{ document: SourceDocument; entry: Classified }>;

function loadPolicyFile(relative: string, sink: DiagnosticSink, ctx: PolicyContext): Located {
  const read = readPolicyEntries(relative, sink, ctx);
  if (!read) return [];
  // Other objects next to policies (a bundle's Deployment) are skipped; a file of nothing else is refused.
  const skipOthers = read.broken || read.entries.some(({ entry }) => entry.kind === 'policy');
  if (read.entries.length === 0 && read.documents > 0 && !read.broken)
    sink.error([], `policy file ${relative} holds no NetworkPolicy: its List has no items`);
  return acceptEntries(read.entries, skipOthers, ctx);
}

/** The file's documents, Lists opened into their items; `broken` when one could not be read. */
function readPolicyEntries(
  relative: string,
  sink: DiagnosticSink,
  ctx: PolicyContext,
): { entries: Entries; documents: number; broken: boolean } | undefined {
  const file = path.resolve(path.dirname(ctx.scenarioFile), relative);
  const read = ctx.readText(file);
  if ('error' in read) {
    sink.error([], `cannot read policy file ${relative}: ${read.error}`);
    return undefined;
  }
  const parsed = parseSource(path.relative(process.cwd(), file) || file, read.text);
  ctx.diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.length === 0 && parsed.documents.length === 0)
    sink.error([], `policy file ${relative} holds no documents`);
  let broken = parsed.diagnostics.length > 0;
  const entries: Entries = [];
  for (const document of parsed.documents) {
    const plain = toPlain(document);
    if (plain.diagnostic) {
      ctx.diagnostics.push(plain.diagnostic);
      broken = true;
      continue;
    }
    for (const entry of classifyDocument(plain.value)) entries.push({ document, entry });
  }
  return { entries, documents: parsed.documents.length, broken };
}

/** Policies checked by the schema without their server-set fields; other objects skipped or refused. */
function acceptEntries(entries: Entries, skipOthers: boolean, ctx: PolicyContext): Located {
  const out: Located = [];
  const removedIn = new Map<SourceDocument, Array<{ at: YamlPath; label: string }>>();
  for (const { document, entry } of entries) {
    const at = new DiagnosticSink(document, ctx.diagnostics, entry.path);
    if (entry.kind === 'problem') {
      ctx.diagnostics.push(document.diagnostic('error', entry.path, entry.message));
      continue;
    }
    if (entry.kind === 'other' && skipOthers) {
      at.note(
        ['kind'],
        `skipping ${entry.what}: only NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy objects ` +
          'are read from policy files',
      );
      continue;
    }
    const stripped = stripServerFields(entry.value);
    const removed = removedIn.get(document) ?? [];
    removedIn.set(document, removed);
    removed.push(...stripped.removed.map((r) => ({ at: [...entry.path, ...r.path], label: r.label })));
    const schemaErrors = checkSchema('policyManifest', stripped.value, document, entry.path);
    ctx.diagnostics.push(...schemaErrors);
    if (schemaErrors.length === 0)
      out.push({ manifest: withNamespace(normalize(stripped.value) as NetworkPolicy, ctx), at });
  }
  for (const [document, removed] of removedIn) {
    const policies = entries.filter((e) => e.document === document && e.entry.kind === 'policy').length;
    noteServerFields(document, removed, policies, ctx.diagnostics);
  }
  return out;
}

/**
 * Inline manifests pasted from `kubectl get -o yaml`: server-set fields are removed from the plain
 * scenario before its schema check (which would refuse them as unknown), with one note per manifest.
 */
export function stripInlineServerFields(scenario: unknown, source: SourceDocument, out: Diagnostic[]): void {
  const spec = (scenario as { spec?: { policies?: unknown; steps?: unknown } } | undefined)?.spec;
  if (!spec || typeof spec !== 'object') return;
  const lists: Array<{ entries: unknown; path: YamlPath }> = [{ entries: spec.policies, path: ['spec', 'policies'] }];
  if (Array.isArray(spec.steps))
    spec.steps.forEach((step: unknown, s) =>
      lists.push({
        entries: (step as { policies?: unknown } | null)?.policies,
        path: ['spec', 'steps', s, 'policies'],
      }),
    );
  for (const { entries, path: base } of lists) {
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, i) => {
      if (!entry || typeof entry !== 'object' || !('manifest' in entry)) return;
      const stripped = stripServerFields((entry as { manifest: unknown }).manifest);
      (entry as { manifest: unknown }).manifest = stripped.value;
      const removed = stripped.removed.map((r) => ({ at: [...base, i, 'manifest', ...r.path], label: r.label }));
      noteServerFields(source, removed, 1, out);
    });
  }
}

/** One note per document, at the first server-set field in it, naming them in the order written. */
function noteServerFields(
  document: SourceDocument,
  removed: ReadonlyArray<{ at: YamlPath; label: string }>,
  policies: number,
  out: Diagnostic[],
): void {
  if (removed.length === 0) return;
  const placed = removed
    .map((r) => ({ ...r, position: document.locate(r.at, { key: true }) }))
    .sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col);
  const labels = placed.map((r) => r.label);
  out.push({ ...placed[0]!.position, severity: NOTE, message: serverFieldsNote(labels, policies) });
}

/** Namespace-less manifests land in the scenario's only namespace, as kubectl's default would. */
function withNamespace(manifest: NetworkPolicy, ctx: PolicyContext): NetworkPolicy {
  if (clusterPolicyKind(manifest) !== undefined) return manifest;
  if (manifest.metadata.namespace !== undefined || ctx.namespaces.size !== 1) return manifest;
  return { ...manifest, metadata: { ...manifest.metadata, namespace: [...ctx.namespaces][0]! } };
}

function checkManifest(manifest: NetworkPolicy, sink: DiagnosticSink, ctx: PolicyContext): boolean {
  const errors = () => sink.out.filter((d) => d.severity === 'error').length;
  const before = errors();
  const ns = manifest.metadata.namespace;
  if (ns === undefined)
    sink.error(
      ['metadata'],
      'metadata.namespace is required when the scenario declares several namespaces ' +
        `(one of: ${[...ctx.namespaces].join(', ')})`,
    );
  else if (!ctx.namespaces.has(ns))
    sink.error(
      ['metadata', 'namespace'],
      `namespace "${ns}" is not declared in spec.namespaces${declaredHint(ns, ctx.namespaces)}`,
    );
  checkPlaceholders(manifest, sink, ctx);
  if (errors() === before) checkNetworkPolicy(substitutePlaceholders(manifest, ctx.bindings), sink);
  if (errors() === before) warnUndeclaredNamespaceSelectors(manifest, sink, ctx.namespaces);
  return errors() === before;
}

/** `${ns:<namespace>}` and `${podIP:<ns>/<workload>}`, each naming something the scenario declares. */
function checkPlaceholders(manifest: NetworkPolicy, sink: DiagnosticSink, ctx: PolicyContext): void {
  for (const use of findPlaceholders(manifest)) {
    const ok =
      use.kind === 'ns'
        ? ctx.namespaces.has(use.argument)
        : use.kind === 'podIP'
          ? ctx.workloadKeys.has(use.argument)
          : false;
    if (!ok) {
      const what =
        use.kind === 'ns'
          ? `namespace "${use.argument}" is not declared${declaredHint(use.argument, ctx.namespaces)}`
          : use.kind === 'podIP'
            ? `workload "${use.argument}" is not declared${declaredHint(use.argument, ctx.workloadKeys)}`
            : `unknown placeholder \${${use.kind}:…}; use \${ns:<namespace>} or \${podIP:<ns>/<workload>}`;
      sink.error(use.path, `placeholder: ${what}`);
    }
  }
}

/** YAML nulls mean "absent" to the API server; podSelector defaults to {} (it is not a pointer). */
export function normalize(value: unknown): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null)
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  const out = strip(value) as { kind?: unknown; spec?: { podSelector?: unknown } };
  if (clusterPolicyKind(out) === undefined && out.spec && out.spec.podSelector === undefined) out.spec.podSelector = {};
  return out;
}
