/** Where something was written: file:line:col (1-based). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}
