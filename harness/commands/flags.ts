/**
 * Flag parsers for commander: each validates and converts at parse time, so a bad value is exit 3
 * with the valid choices listed before anything starts, and commands receive typed values.
 */
import { InvalidArgumentError } from 'commander';
import { formatCniRef, parseCniRef, type CniRef } from '../model/cni-ref.js';

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

/**
 * One CNI of `choices` (each CNI with the versions the kit builds, the default first; none for a CNI
 * the kit does not build): `cilium`, or `cilium@v1.18.2` (`cilium@1.18.2` too). The default version
 * written out is the same as none, so both name one cluster.
 */
export function cniRef(choices: Readonly<Record<string, readonly string[]>>): (value: string) => CniRef {
  return (value) => {
    const { cni, version } = parseCniRef(value.trim());
    const versions = choices[cni];
    if (versions === undefined)
      throw new InvalidArgumentError(`Unknown CNI "${cni}" (choose from ${Object.keys(choices).join(', ')}).`);
    if (version === undefined) return { cni };
    const tag = version.startsWith('v') ? version : `v${version}`;
    if (!versions.length) throw new InvalidArgumentError(`${cni} has no versions to choose from, got "${value}".`);
    if (!versions.includes(tag))
      throw new InvalidArgumentError(
        `Unknown ${cni} version "${version}" (choose from ` +
          `${versions.map((v, i) => (i === 0 ? `${v} (default)` : v)).join(', ')}; clusters/versions.yaml lists them).`,
      );
    return tag === versions[0] ? { cni } : { cni, version: tag };
  };
}

/** A comma-separated list of cniRef, each once (`calico,cilium,cilium@v1.18.2`). */
export function cniRefs(choices: Readonly<Record<string, readonly string[]>>): (value: string) => CniRef[] {
  const one = cniRef(choices);
  return (value) => {
    const items = commaItems(value);
    if (!items.length) throw new InvalidArgumentError(`Give at least one of ${Object.keys(choices).join(', ')}.`);
    const refs = new Map(items.map(one).map((ref) => [formatCniRef(ref), ref]));
    return [...refs.values()];
  };
}
