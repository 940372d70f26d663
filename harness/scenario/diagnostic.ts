/** note: input accepted but partly ignored (server-set fields, other kinds): never fails, even --strict. */
export type Severity = 'error' | 'warning' | 'note';

import type { SourcePosition } from '../model/position.js';

export type { SourcePosition };

export interface Diagnostic extends SourcePosition {
  readonly severity: Severity;
  readonly message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

/** Bad input: carries every error found, each pointing at its file:line:col. */
export class ScenarioError extends Error {
  readonly kind = 'scenario' as const;

  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ScenarioError';
  }
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}
