/**
 * What users paste into policy files is often `kubectl get networkpolicy -o yaml` output: a `List`
 * (or a raw `NetworkPolicyList`), fields the API server sets, and next to the policies the other
 * objects of a manifest bundle. This module sorts the documents of a policy file into NetworkPolicy
 * candidates (checked by the schema as before) and objects to skip, and strips server-set fields.
 */
import { CLUSTER_POLICY_KINDS } from '../model/admin-policy.js';
import { closest } from '../util/suggest.js';
import type { YamlPath } from './source.js';

/** metadata fields the API server fills in; never part of the desired state. */
export const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
] as const;
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const POLICY_KIND = 'NetworkPolicy';
const POLICY_API = 'networking.k8s.io/v1';
/** kind -> the apiVersion it comes with. */
const LIST_KINDS: Readonly<Record<string, string>> = { List: 'v1', NetworkPolicyList: POLICY_API };

export type Classified =
  /** Checked against the NetworkPolicy schema (which refuses what is not one). */
  | { readonly kind: 'policy'; readonly value: unknown; readonly path: YamlPath }
  /** An object of another kind: skipped when the file holds a NetworkPolicy, else refused by the schema. */
  | { readonly kind: 'other'; readonly value: unknown; readonly path: YamlPath; readonly what: string }
  | { readonly kind: 'problem'; readonly path: YamlPath; readonly message: string };

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** "Deployment shop/web", as kubectl names an object. */
function describe(object: Record<string, unknown>): string {
  const metadata = objectOf(object['metadata']);
  const name = typeof metadata?.['name'] === 'string' ? metadata['name'] : '(unnamed)';
  const namespace = typeof metadata?.['namespace'] === 'string' ? `${metadata['namespace']}/` : '';
  return `${String(object['kind'])} ${namespace}${name}`;
}

/** The kinds read from policy files: NetworkPolicy and the cluster-scoped AdminNetworkPolicy and baseline. */
const READ_KINDS: readonly string[] = [POLICY_KIND, ...CLUSTER_POLICY_KINDS];

/** A kind that is none of those read nor a near miss of one (a typo must not be skipped silently). */
function isOtherKind(kind: unknown): kind is string {
  return typeof kind === 'string' && !READ_KINDS.includes(kind) && closest(kind, READ_KINDS) === undefined;
}

/** One YAML document of a policy file: a policy, a List of them, or another object. */
export function classifyDocument(value: unknown): Classified[] {
  const object = objectOf(value);
  const kind = object?.['kind'];
  if (!object || typeof kind !== 'string' || !(kind in LIST_KINDS)) {
    if (object && isOtherKind(kind)) return [{ kind: 'other', value, path: [], what: describe(object) }];
    return [{ kind: 'policy', value, path: [] }];
  }
  const apiVersion = LIST_KINDS[kind]!;
  if (object['apiVersion'] !== apiVersion)
    return [
      {
        kind: 'problem',
        path: ['apiVersion'],
        message: `apiVersion: must be ${apiVersion} for a ${kind} (got ${JSON.stringify(object['apiVersion'])})`,
      },
    ];
  const items = object['items'];
  if (!Array.isArray(items))
    return [
      { kind: 'problem', path: ['items'], message: `items: a ${kind} needs a list of NetworkPolicy objects here` },
    ];
  return items.map((item, i): Classified => {
    const path = ['items', i];
    const entry = objectOf(item);
    // A NetworkPolicyList straight from the API leaves apiVersion and kind out of its items.
    const filled =
      kind === 'NetworkPolicyList' && entry ? { apiVersion: POLICY_API, kind: POLICY_KIND, ...entry } : item;
    const itemKind = objectOf(filled)?.['kind'];
    if (entry && isOtherKind(itemKind)) return { kind: 'other', value: filled, path, what: describe(entry) };
    return { kind: 'policy', value: filled, path };
  });
}

export interface Stripped {
  readonly value: unknown;
  /** Where each removed field was, relative to the manifest, for the note. */
  readonly removed: ReadonlyArray<{ readonly path: YamlPath; readonly label: string }>;
}

/** The manifest without the fields the API server sets (metadata bookkeeping, status, kubectl's last-applied copy). */
export function stripServerFields(value: unknown): Stripped {
  const object = objectOf(value);
  const metadata = objectOf(object?.['metadata']);
  if (!object) return { value, removed: [] };
  const removed: Array<{ path: YamlPath; label: string }> = [];
  const copy: Record<string, unknown> = { ...object };
  if (metadata) {
    const meta: Record<string, unknown> = { ...metadata };
    for (const field of SERVER_METADATA) {
      if (!(field in meta)) continue;
      removed.push({ path: ['metadata', field], label: `metadata.${field}` });
      delete meta[field];
    }
    const annotations = objectOf(meta['annotations']);
    if (annotations && LAST_APPLIED in annotations) {
      removed.push({ path: ['metadata', 'annotations', LAST_APPLIED], label: `the ${LAST_APPLIED} annotation` });
      const rest = { ...annotations };
      delete rest[LAST_APPLIED];
      if (Object.keys(rest).length) meta['annotations'] = rest;
      else delete meta['annotations'];
    }
    copy['metadata'] = meta;
  }
  if ('status' in copy) {
    removed.push({ path: ['status'], label: 'status' });
    delete copy['status'];
  }
  return { value: copy, removed };
}

/** The note for one document: what was ignored, once, however many policies it held. */
export function serverFieldsNote(labels: readonly string[], policies: number): string {
  const unique = [...new Set(labels)];
  const where = policies > 1 ? ` in its ${policies} NetworkPolicies` : '';
  return (
    `ignoring fields the API server sets${where} (${unique.join(', ')}): ` +
    'this looks like `kubectl get -o yaml` output; only the desired state is applied'
  );
}
