/**
 * `check --expect intent.yaml`: the user's intent over a live cluster, in a scenario's expect
 * notation, with peers named as the cluster names them (`shop/frontend`: namespace and owner name).
 * Read in two phases, both before anything is created: the file alone (YAML and schema, so a typo
 * fails before any cluster is asked), then against each context's classes (a peer naming nothing
 * there is an error at its file:line).
 */
import type { Expectations, ScenarioWorkload } from '../model/scenario.js';
import { errorsOf, type Diagnostic } from './diagnostic.js';
import { buildExpectations } from './expectations.js';
import { readTextFile } from './files.js';
import type { RawExpect } from './raw.js';
import type { ReadText } from './read-text.js';
import { DiagnosticSink } from './reporter.js';
import { loadSchemaDocument } from './document-file.js';
import type { SourceDocument } from './source.js';

export interface Intent {
  readonly file: string;
  readonly name: string;
  readonly expect: RawExpect;
  readonly document: SourceDocument;
}

export function loadIntent(
  file: string,
  readText: ReadText = readTextFile,
): { intent?: Intent; diagnostics: Diagnostic[] } {
  const { loaded, diagnostics } = loadSchemaDocument(file, 'intent', 'an intent', readText);
  if (!loaded) return { diagnostics };
  const value = loaded.value as { metadata: { name: string }; expect: RawExpect };
  return {
    intent: { file: loaded.file, name: value.metadata.name, expect: value.expect, document: loaded.document },
    diagnostics,
  };
}

/** The intent against one context's namespaces and classes: every peer must name something there. */
export function intentExpectations(
  intent: Intent,
  context: string,
  namespaces: readonly string[],
  classes: readonly ScenarioWorkload[],
): { expectations?: Expectations; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sink = new DiagnosticSink(intent.document, diagnostics).at(['expect']);
  const expectations = buildExpectations(intent.expect, sink, {
    namespaces: new Set(namespaces),
    workloads: classes,
    externals: [],
    declaredIn: {
      namespaces: `a namespace checked on ${context}`,
      workloads: `a workload class on ${context} (classes are named namespace/owner-name)`,
    },
  });
  return errorsOf(diagnostics).length ? { diagnostics } : { expectations, diagnostics };
}
