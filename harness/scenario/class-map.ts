/**
 * `check --context a,b --map classes.yaml`: parity matches classes by namespace and owner name; where
 * a context names them differently (a namespace `shop-prod`, a Deployment `frontend-v2`), the map
 * says what each stands for. Applied to a context's report before the comparison: namespaces first,
 * then whole class keys (a class entry wins over its namespace's).
 */
import type { Diagnostic } from './diagnostic.js';
import { loadSchemaDocument } from './document-file.js';
import { readTextFile } from './files.js';
import type { ReadText } from './read-text.js';

export interface ContextMap {
  readonly namespaces: Readonly<Record<string, string>>;
  readonly classes: Readonly<Record<string, string>>;
}

export interface ClassMap {
  readonly file: string;
  readonly contexts: Readonly<Record<string, ContextMap>>;
}

export function loadClassMap(
  file: string,
  readText: ReadText = readTextFile,
): { map?: ClassMap; diagnostics: Diagnostic[] } {
  const { loaded, diagnostics } = loadSchemaDocument(file, 'classMap', 'a class map', readText);
  if (!loaded) return { diagnostics };
  const raw = (loaded.value as { contexts: Record<string, Partial<ContextMap>> }).contexts;
  const contexts = Object.fromEntries(
    Object.entries(raw).map(([c, m]) => [c, { namespaces: m.namespaces ?? {}, classes: m.classes ?? {} }]),
  );
  return { map: { file: loaded.file, contexts }, diagnostics };
}

/** A class key as the comparison names it, for one context. */
export function mappedKey(map: ContextMap | undefined, key: string): string {
  if (!map) return key;
  const whole = map.classes[key];
  if (whole) return whole;
  const [namespace, name] = key.split('/') as [string, string];
  const ns = map.namespaces[namespace];
  return ns ? `${ns}/${name}` : key;
}
