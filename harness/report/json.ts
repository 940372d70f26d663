import type { RunReport } from '../model/run-report.js';

/** The schema `--output json` follows (schema/run-report.schema.json, versioned by `schemaVersion`). */
export const RUN_REPORT_SCHEMA_URL = new URL('../../schema/run-report.schema.json', import.meta.url);

/** `--output json`: the report as it is, every cell with expected, predicted, observed and verdict. */
export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
