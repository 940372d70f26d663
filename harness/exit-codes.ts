/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** Some cells differ from expectations. */
  mismatch: 1,
  /** Infrastructure or cluster failure. */
  infrastructure: 2,
  /** Invalid input: bad scenario, bad flags. */
  invalidInput: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad flags or arguments (exit 3). */
export class UsageError extends Error {
  readonly kind = 'usage' as const;
}
