/** Kubernetes name and label syntax (apimachinery validation), returning a reason or undefined. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

/** A DNS label (RFC 1123): what scenario workload and scenario names must be. */
export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_LABEL_MAX && DNS_LABEL.test(name);
}

/** The nearest DNS label to `text` (`web~2` -> `web-2`, `API.v1` -> `api-v1`), or `fallback` when nothing is left. */
export function toDnsLabel(text: string, fallback: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, DNS_LABEL_MAX)
      .replace(/-+$/, '') || fallback
  );
}

export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be at most 253 characters';
  if (!DNS_SUBDOMAIN.test(name))
    return (
      "must be a DNS subdomain: lowercase letters, digits, '-' and '.', " + 'starting and ending with a letter or digit'
    );
  return undefined;
}

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dnsSubdomainProblem(prefix))
    return `label key "${key}" has an invalid prefix: it ${dnsSubdomainProblem(prefix)}`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return (
      `label key "${key}" is invalid: the name part must be 1-63 characters (letters, digits, '-', '_', '.'), ` +
      'starting and ending with a letter or digit'
    );
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return (
      `label value "${value}" is invalid: at most 63 characters (letters, digits, '-', '_', '.'), ` +
      'starting and ending with a letter or digit'
    );
  }
  return undefined;
}

/** IANA_SVC_NAME, the syntax of container port names and named ports in policies. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return `port name "${name}" must be 1-15 characters`;
  if (!/^[a-z0-9-]+$/.test(name)) return `port name "${name}" may contain only lowercase letters, digits and '-'`;
  if (!/[a-z]/.test(name)) return `port name "${name}" must contain at least one letter`;
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--'))
    return `port name "${name}" must not start or end with '-' or contain '--'`;
  return undefined;
}
