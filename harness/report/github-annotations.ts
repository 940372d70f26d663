/**
 * GitHub Actions workflow commands (`::error file=F,line=L,col=C::message`), escaped as the runner
 * expects: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
 */
import type { SourcePosition } from '../model/position.js';

export interface Annotation extends SourcePosition {
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
}

/** A command's message: % first (so our own escapes are not escaped twice), then CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as a message, plus the separators of the property list. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub's levels are error, warning and notice. */
export function annotation(a: Annotation): string {
  const level = a.severity === 'note' ? 'notice' : a.severity;
  return `::${level} file=${escapeProperty(a.file)},line=${a.line},col=${a.col}::${escapeData(a.message)}`;
}
