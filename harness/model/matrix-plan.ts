import type { MatrixCell } from './matrix-cell.js';

/**
 * A loaded matrix file (`clusters/matrix.yaml`, schema/matrix.schema.json): every cell of the CNI x
 * Kubernetes product with the settings and skip that apply to it, and the scenario paths every
 * cell runs. Paths are resolved against the matrix file's folder.
 */
export interface MatrixSettings {
  /** Seconds, as run's flags take them. */
  readonly convergeTimeout?: number;
  readonly connectTimeout?: number;
  readonly slowAfter?: number;
}

export interface PlannedCell extends MatrixCell {
  readonly cniVersion: string;
  readonly kubernetes: string;
  readonly id: string;
  readonly slug: string;
  readonly settings: MatrixSettings;
  /** Set when the matrix says not to run this cell, with the reason. */
  readonly skip?: string;
}

export interface MatrixPlan {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly cells: readonly PlannedCell[];
  readonly scenarios: readonly string[];
  readonly history?: string;
}
