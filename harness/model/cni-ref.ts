/**
 * A CNI, optionally at one version, as `--cni` and the matrix file write it: `cilium@v1.18.2`, or
 * plain `cilium` for the version the offline kit builds by default.
 */
export interface CniRef {
  readonly cni: string;
  /** Absent: the kit's default version of the CNI. */
  readonly version?: string;
}

/** `cilium@v1.18.2` -> cilium at v1.18.2; `cilium` -> cilium at the default version. Checks nothing. */
export function parseCniRef(text: string): CniRef {
  const at = text.indexOf('@');
  return at === -1 ? { cni: text } : { cni: text.slice(0, at), version: text.slice(at + 1) };
}

export function formatCniRef(ref: CniRef): string {
  return ref.version === undefined ? ref.cni : `${ref.cni}@${ref.version}`;
}
