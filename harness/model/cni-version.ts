import semver from 'semver';

/**
 * CNI versions as the compatibility matrix and known deviations compare them. Image tags are
 * `v3.31.0`, `v1.18.3`, sometimes with a suffix (`v1.18.3-cee.1`); semver's coerce reads the
 * version in them. A range is npm's syntax (`<1.19`, `>=3.30 <3.32`, `1.18.x`), via the semver
 * package rather than a hand-written comparator, so ranges mean what users already know them to mean.
 */
export function isVersionRange(range: string): boolean {
  return semver.validRange(range) !== null;
}

/** Does this CNI version fall in the range? An unknown or unreadable version is in no range. */
export function versionInRange(version: string | undefined, range: string): boolean {
  const v = version === undefined ? null : semver.coerce(version);
  return v !== null && semver.satisfies(v, range);
}

/** `v1.18.3` and `1.18.3` order as versions; anything semver cannot read sorts by text, after them. */
export function compareVersions(a: string, b: string): number {
  const va = semver.coerce(a);
  const vb = semver.coerce(b);
  if (va && vb) return semver.compare(va, vb) || a.localeCompare(b);
  if (va || vb) return va ? -1 : 1;
  return a.localeCompare(b);
}
