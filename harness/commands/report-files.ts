/**
 * Reports on disk: read back and checked against schema/run-report.schema.json (so a truncated
 * artifact or another tool's JSON is refused with the file and the field, exit 3), and written in
 * every format `run` writes.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../exit-codes.js';
import type { RunReport } from '../model/run-report.js';
import { RENDERERS, type ReportFormat } from '../report/file-reporters.js';
import { RUN_REPORT_SCHEMA_URL } from '../report/json.js';

export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: 'report.json',
  junit: 'junit.xml',
  markdown: 'report.md',
  html: 'report.html',
};

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(RUN_REPORT_SCHEMA_URL, 'utf8')) as object;
  return (validator = new Ajv({ allErrors: false, strict: false }).compile(schema));
}

export function readReport(file: string): RunReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read report ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const check = validate();
  if (!check(value)) {
    const e = check.errors![0]!;
    throw new UsageError(
      `${file}: not a netpol-harness report: ${e.instancePath || '(top)'} ${e.message ?? ''}`.trim(),
    );
  }
  return value as RunReport;
}

/** Writes the report in each format under `dir`; returns the files written. */
export function writeReport(dir: string, report: RunReport, formats: readonly ReportFormat[]): string[] {
  mkdirSync(dir, { recursive: true });
  return formats.map((f) => {
    const file = path.join(dir, REPORT_FILES[f]);
    writeFileSync(file, RENDERERS[f](report));
    return file;
  });
}
