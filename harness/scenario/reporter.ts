import type { Diagnostic, Severity } from './diagnostic.js';
import type { SourceDocument, YamlPath } from './source.js';

/**
 * The severity of notes: input that was accepted but partly ignored (server-set fields, objects
 * of other kinds in a policy file). Printed, never failing: `validate --strict` fails on warnings only.
 */
export const NOTE: Severity = 'note';

/** Collects diagnostics for one document, relative to a base path inside it. */
export class DiagnosticSink {
  constructor(
    readonly source: SourceDocument,
    readonly out: Diagnostic[],
    readonly base: YamlPath = [],
  ) {}

  at(path: YamlPath): DiagnosticSink {
    return new DiagnosticSink(this.source, this.out, [...this.base, ...path]);
  }

  error(path: YamlPath, message: string, options: { key?: boolean } = {}): void {
    this.report('error', path, message, options);
  }

  warning(path: YamlPath, message: string, options: { key?: boolean } = {}): void {
    this.report('warning', path, message, options);
  }

  note(path: YamlPath, message: string, options: { key?: boolean } = {}): void {
    this.report(NOTE, path, message, options);
  }

  position(path: YamlPath = []) {
    return this.source.locate([...this.base, ...path]);
  }

  private report(severity: Severity, path: YamlPath, message: string, options: { key?: boolean }): void {
    this.out.push(this.source.diagnostic(severity, [...this.base, ...path], message, options));
  }
}
