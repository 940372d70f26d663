/** The target cannot be used: missing RBAC, unreachable API server, cluster failed to come up. */
export class TargetError extends Error {
  readonly kind = 'target' as const;
}
