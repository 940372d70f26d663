/**
 * What `validate` prints, in its three formats: text (diagnostics on stderr, one ✓/✗ line per file
 * on stdout), one JSON document, or GitHub Actions annotations. Pure: colour is decided by the caller.
 */
import type { SourcePosition } from '../model/position.js';
import type { Style } from './console-style.js';
import { annotation } from './github-annotations.js';

export const VALIDATE_OUTPUTS = ['text', 'json', 'github'] as const;
export type ValidateOutput = (typeof VALIDATE_OUTPUTS)[number];

export interface ReportedDiagnostic extends SourcePosition {
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
}

/** One file's outcome: its diagnostics (errors and warnings) and, when it loaded, what it declares. */
export interface FileCheck {
  readonly file: string;
  /** What loaded: a scenario, or (`kind` set) one of check's inputs, an Intent or a ClassMap. */
  readonly scenario?: {
    readonly name: string;
    readonly steps: number;
    readonly workloads: number;
    readonly kind?: 'Intent' | 'ClassMap';
  };
  readonly diagnostics: readonly ReportedDiagnostic[];
}

/** valid: no diagnostics; warning: warnings only; invalid: errors, or warnings under --strict. */
export type FileStatus = 'valid' | 'warning' | 'invalid';

export function fileStatus(check: FileCheck, strict: boolean): FileStatus {
  const errors = count(check, 'error');
  const warnings = count(check, 'warning');
  if (errors || !check.scenario || (strict && warnings)) return 'invalid';
  return warnings ? 'warning' : 'valid';
}

function count(check: FileCheck, severity: ReportedDiagnostic['severity']): number {
  return check.diagnostics.filter((d) => d.severity === severity).length;
}

export function diagnosticLine(d: ReportedDiagnostic, style: Style): string {
  const severity =
    d.severity === 'error'
      ? style.red('error')
      : d.severity === 'warning'
        ? style.yellow('warning')
        : style.dim('note');
  return `${d.file}:${d.line}:${d.col}: ${severity}: ${d.message}`;
}

/** The stdout line for one file: ✓ with what it declares, or ✗ with what failed it. */
export function fileLine(check: FileCheck, strict: boolean, style: Style): string {
  const errors = count(check, 'error');
  const warnings = count(check, 'warning');
  const s = check.scenario;
  if (errors || !s) return `${style.red('✗')} ${check.file}: ${errors} error(s)`;
  const what = {
    Intent: `Intent ${s.name} (for check --expect)`,
    ClassMap: `ClassMap for ${s.name} (for check --map)`,
  };
  const declared =
    (s.kind ? what[s.kind] : `${s.name}, ${s.steps} step(s), ${s.workloads} workloads`) +
    (warnings ? `, ${warnings} warning(s)` : '');
  if (strict && warnings) return `${style.red('✗')} ${check.file}: ${declared} (--strict: warnings fail)`;
  return `${style.green('✓')} ${check.file}: ${declared}`;
}

export function summaryLine(checks: readonly FileCheck[], strict: boolean): string {
  const invalid = checks.filter((c) => fileStatus(c, strict) === 'invalid').length;
  return `${checks.length - invalid} valid, ${invalid} invalid`;
}

/** The JSON document of `validate -o json`: every file with its status and diagnostics, then a summary. */
export interface ValidateJson {
  readonly files: ReadonlyArray<{
    readonly file: string;
    readonly status: FileStatus;
    readonly scenario?: string;
    readonly diagnostics: ReadonlyArray<{
      file: string;
      line: number;
      col: number;
      severity: ReportedDiagnostic['severity'];
      message: string;
    }>;
  }>;
  readonly summary: {
    readonly files: number;
    readonly valid: number;
    readonly warning: number;
    readonly invalid: number;
    readonly errors: number;
    readonly warnings: number;
    readonly notes: number;
    readonly strict: boolean;
  };
}

export function validateJson(checks: readonly FileCheck[], strict: boolean): ValidateJson {
  const statuses = checks.map((c) => fileStatus(c, strict));
  const all = checks.flatMap((c) => c.diagnostics);
  return {
    files: checks.map((c, i) => ({
      file: c.file,
      status: statuses[i]!,
      ...(c.scenario ? { scenario: c.scenario.name } : {}),
      diagnostics: c.diagnostics.map((d) => ({
        file: d.file,
        line: d.line,
        col: d.col,
        severity: d.severity,
        message: d.message,
      })),
    })),
    summary: {
      files: checks.length,
      valid: statuses.filter((s) => s === 'valid').length,
      warning: statuses.filter((s) => s === 'warning').length,
      invalid: statuses.filter((s) => s === 'invalid').length,
      errors: all.filter((d) => d.severity === 'error').length,
      warnings: all.filter((d) => d.severity === 'warning').length,
      notes: all.filter((d) => d.severity === 'note').length,
      strict,
    },
  };
}

/** `validate -o github`: one workflow command per diagnostic, then the plain per-file lines for the log. */
export function githubLines(checks: readonly FileCheck[], strict: boolean, style: Style): string[] {
  return [
    ...checks.flatMap((c) => c.diagnostics.map(annotation)),
    ...checks.map((c) => fileLine(c, strict, style)),
    ...(checks.length > 1 ? [summaryLine(checks, strict)] : []),
  ];
}
