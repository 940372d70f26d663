import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostic.js';
import type { SourceDocument } from './source.js';
import { didYouMean } from '../util/suggest.js';
import { formatPath } from './path.js';
import { MATRIX_SCHEMA_URL, readShippedSchema } from './files.js';

export type SchemaName = 'scenario' | 'networkPolicy' | 'policyManifest' | 'intent' | 'classMap' | 'matrix';

let validators: Record<SchemaName, ValidateFunction> | undefined;

function compiled(): Record<SchemaName, ValidateFunction> {
  if (validators) return validators;
  const schema = readShippedSchema();
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'x-error', schemaType: 'string' });
  const matrix = readShippedSchema(MATRIX_SCHEMA_URL);
  ajv.addSchema(schema);
  ajv.addSchema(matrix);
  const id = schema['$id'] as string;
  validators = {
    scenario: ajv.getSchema(id)!,
    networkPolicy: ajv.getSchema(`${id}#/definitions/networkPolicy`)!,
    policyManifest: ajv.getSchema(`${id}#/definitions/policyManifest`)!,
    intent: ajv.getSchema(`${id}#/definitions/intent`)!,
    classMap: ajv.getSchema(`${id}#/definitions/classMap`)!,
    matrix: ajv.getSchema(matrix['$id'] as string)!,
  };
  return validators;
}

/** Validate `value` (the plain form of `source`) against a schema; errors point at YAML nodes. */
export function checkSchema(
  which: SchemaName,
  value: unknown,
  source: SourceDocument,
  basePath: ReadonlyArray<string | number> = [],
): Diagnostic[] {
  const validate = compiled()[which];
  if (validate(value)) return [];
  return onlyKindOfWrongKinds(condense(validate.errors ?? [])).map((e) => toDiagnostic(e, source, basePath));
}

interface Located {
  error: ErrorObject;
  path: Array<string | number>;
  key: boolean;
}

function locatedOf(error: ErrorObject): Located {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(unescapePointer)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const params = error.params as Record<string, unknown>;
  const extra = (params['additionalProperty'] ??
    params['propertyName'] ??
    (error as { propertyName?: string }).propertyName) as string | undefined;
  if (extra !== undefined) return { error, path: [...path, extra], key: true };
  return { error, path, key: false };
}

/** One error per place; branch noise from `anyOf` (null | object) gives way to the real, deeper error. */
function condense(errors: ErrorObject[]): Located[] {
  // The specific error about a bad property name replaces ajv's generic "property name must be valid" (even for "").
  const all = errors
    // "must match then schema": the errors of the branch taken say what is wrong.
    .filter((e) => e.keyword !== 'if')
    .filter(
      (e) =>
        e.keyword !== 'propertyNames' ||
        !errors.some((o) => o !== e && (o as { propertyName?: string }).propertyName !== undefined),
    )
    .map(locatedOf);
  const weak = (l: Located) => l.error.keyword === 'anyOf' || l.error.keyword === 'type';
  const strong = all.filter((l) => !weak(l));
  const under = (outer: Located, inner: Located) => outer.path.every((seg, i) => inner.path[i] === seg);
  // A type error deeper down (a label value that is not a string) is the real one, not "must be null" above it.
  const deeper = (outer: Located, inner: Located) => inner.path.length > outer.path.length && under(outer, inner);
  const result = [...strong];
  const seen = new Set<string>();
  for (const l of all.filter(weak)) {
    const id = JSON.stringify(l.path);
    if (seen.has(id) || strong.some((s) => under(l, s)) || all.some((o) => deeper(l, o))) continue;
    seen.add(id);
    const types = all
      .filter((o) => o.error.keyword === 'type' && JSON.stringify(o.path) === id)
      .map((o) => String((o.error.params as { type: string }).type));
    result.push(
      types.length
        ? {
            ...l,
            error: {
              ...l.error,
              keyword: 'type',
              message: `must be ${[...new Set(types)].join(' or ')}`.replace(/,/g, ' or '),
            },
          }
        : l,
    );
  }
  const unique = new Map<string, Located>();
  for (const l of result) unique.set(`${JSON.stringify(l.path)}|${l.error.keyword}`, l);
  return [...unique.values()];
}

/**
 * An object of the wrong kind (a Deployment among policies) gets one error, its kind, not one per field
 * it lacks or has.
 */
function onlyKindOfWrongKinds(located: Located[]): Located[] {
  const wrongKinds = located.filter((l) => l.error.keyword === 'const' && l.path[l.path.length - 1] === 'kind');
  const inside = (kind: Located, l: Located) => kind.path.slice(0, -1).every((seg, i) => l.path[i] === seg);
  return located.filter((l) => wrongKinds.includes(l) || !wrongKinds.some((k) => inside(k, l)));
}

function toDiagnostic(located: Located, source: SourceDocument, basePath: ReadonlyArray<string | number>): Diagnostic {
  const { error, path, key } = located;
  const where = formatPath(path);
  const fullPath = [...basePath, ...path];
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.['x-error'] as string | undefined;
  const params = error.params as Record<string, unknown>;
  let message: string;
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const name = String(params['additionalProperty']);
      message =
        `unknown field "${name}"${didYouMean(name, allowed)}` +
        (allowed.length ? `; allowed here: ${allowed.join(', ')}` : '');
      break;
    }
    case 'required':
      message = `${where || 'document'}: missing required field "${String(params['missingProperty'])}"`;
      return source.diagnostic('error', fullPath, message);
    case 'maxProperties':
    case 'minProperties':
      message = custom ?? error.message ?? 'invalid';
      break;
    default:
      message = custom ?? error.message ?? 'invalid';
      if (custom === undefined || !key) message += gotValue(error.data);
  }
  if (error.keyword === 'additionalProperties' || key)
    return source.diagnostic('error', fullPath, `${where}: ${message}`, { key: true });
  return source.diagnostic('error', fullPath, where ? `${where}: ${message}` : message);
}

function gotValue(data: unknown): string {
  if (data === undefined || typeof data === 'object') return '';
  const text = JSON.stringify(data);
  return ` (got ${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
