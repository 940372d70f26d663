import type { TargetInfo } from './run-report.js';

/**
 * One cell of the compatibility matrix: a CNI at a version on a Kubernetes version. Its id,
 * `calico@v3.31.0/k8s@v1.34.4`, is what the history records and the page's columns are keyed by;
 * its slug, `calico@v3.31.0_k8s@v1.34.4`, names its folder of reports.
 */
export interface MatrixCell {
  readonly cni: string;
  readonly cniVersion?: string;
  readonly kubernetes?: string;
}

const UNKNOWN = '?';

export function cellId(cell: MatrixCell): string {
  return `${cell.cni}@${cell.cniVersion ?? UNKNOWN}/k8s@${cell.kubernetes ?? UNKNOWN}`;
}

export function cellSlug(cell: MatrixCell): string {
  return cellId(cell)
    .replace('/', '_')
    .replace(/[^A-Za-z0-9@._-]/g, '-');
}

/** The cell a report's target stands for: its CNI (else its name), the CNI's version and the server's. */
export function cellOfTarget(t: TargetInfo): MatrixCell {
  return {
    cni: t.cni ?? t.name,
    ...(t.cniVersion ? { cniVersion: t.cniVersion } : {}),
    ...(t.kubernetesVersion ? { kubernetes: t.kubernetesVersion } : {}),
  };
}
