/**
 * What one probe saw. Blocked traffic is `refused` (RST or ICMP reject) or `dropped` (timeout);
 * `error` and `unsupported` mean the probe could not tell, and are never counted as blocked.
 */
export const OUTCOMES = ['allowed', 'refused', 'dropped', 'dns-error', 'error', 'unsupported'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Observation {
  readonly outcome: Outcome;
  /** The evidence: an HTTP status and body, a tool's message, or why the probe could not run. */
  readonly detail: string;
  readonly exitCode?: number;
}

export function isBlocked(outcome: Outcome): boolean {
  return outcome === 'refused' || outcome === 'dropped';
}

export function isConclusive(outcome: Outcome): boolean {
  return outcome !== 'error' && outcome !== 'unsupported';
}
