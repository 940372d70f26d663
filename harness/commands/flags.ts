/**
 * Flag parsers for commander: each validates and converts at parse time, so a bad value is exit 3
 * with the valid choices listed before anything starts, and commands receive typed values.
 */
import { InvalidArgumentError } from 'commander';

/** The items of a comma-separated value, trimmed; empty items dropped. */
const commaItems = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A number > 0 (seconds, counts). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`Must be a positive number, got "${value}".`);
  return n;
}

/** A whole number within [min, max]. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`Must be a whole number from ${min} to ${max}, got "${value}".`);
    return n;
  };
}

/**
 * A comma-separated list whose every item is one of `choices`; empty items are dropped. An empty
 * list is refused unless `allowEmpty` (`--format ''`: no report files).
 */
export function listOf<T extends string>(
  choices: readonly T[],
  { allowEmpty = false }: { allowEmpty?: boolean } = {},
): (value: string) => T[] {
  return (value) => {
    const items = commaItems(value);
    const unknown = items.filter((i) => !choices.includes(i as T));
    if (unknown.length)
      throw new InvalidArgumentError(
        `Unknown ${unknown.map((u) => `"${u}"`).join(', ')} (choose from ${choices.join(', ')}).`,
      );
    if (!items.length && !allowEmpty) throw new InvalidArgumentError(`Give at least one of ${choices.join(', ')}.`);
    return items as T[];
  };
}

/** A comma-separated list of free names (contexts). */
export function names(value: string): string[] {
  const items = commaItems(value);
  if (!items.length) throw new InvalidArgumentError('Give at least one name.');
  return items;
}

/** A DNS domain (`cluster.local`): lowercase labels of letters, digits and hyphens, dot-separated. */
export function dnsDomain(value: string): string {
  const domain = value.replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(domain))
    throw new InvalidArgumentError(`Must be a DNS domain such as cluster.local, got "${value}".`);
  return domain;
}

/**
 * One Kubernetes version of `choices` (clusters/versions.yaml's, the default first): `v1.35.4`, or
 * `1.35.4`, which becomes `v1.35.4`.
 */
export function kubernetesVersion(choices: readonly string[]): (value: string) => string {
  const listed = `choose from ${choices.map((c, i) => (i === 0 ? `${c} (default)` : c)).join(', ')}`;
  return (value) => {
    const trimmed = value.trim();
    const version = trimmed.startsWith('v') ? trimmed : `v${trimmed}`;
    if (!/^v\d+\.\d+\.\d+$/.test(version))
      throw new InvalidArgumentError(
        `"${value}" is not a Kubernetes version like ${choices[0] ?? 'v1.34.4'} (${listed}).`,
      );
    if (!choices.includes(version))
      throw new InvalidArgumentError(`Unknown Kubernetes version "${value}" (${listed}).`);
    return version;
  };
}

/** A comma-separated list of kubernetesVersion, each once. */
export function kubernetesVersions(choices: readonly string[]): (value: string) => string[] {
  const one = kubernetesVersion(choices);
  return (value) => {
    const items = commaItems(value);
    if (!items.length) throw new InvalidArgumentError(`Give at least one of ${choices.join(', ')}.`);
    return [...new Set(items.map(one))];
  };
}
