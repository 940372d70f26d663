/** schema/check-report.schema.json, compiled once: the errors of a value against it (none: valid). */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export const CHECK_SCHEMA = JSON.parse(
  readFileSync(new URL('../../schema/check-report.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true }).compile(CHECK_SCHEMA);

export function checkReportErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
