/**
 * Who created a run's objects: the host and process id, recorded on every namespace and docker
 * object a run creates, so a later run (or `cleanup`) can tell a run still going from one whose
 * process died (SIGKILL, a crash, a lost machine) and remove only the latter's leftovers.
 */
export const OWNER_ANNOTATION = 'netpol-harness/owner';

export interface RunOwner {
  readonly host: string;
  readonly pid: number;
}

export function formatOwner(owner: RunOwner): string {
  return `${owner.host}:${owner.pid}`;
}

export function parseOwner(text: string | undefined): RunOwner | undefined {
  const m = /^(.+):(\d+)$/.exec(text ?? '');
  return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
}

/**
 * orphaned: made on this host by a process that is gone; running: its process is alive here;
 * elsewhere: made on another host (it may still run there); unknown: no owner recorded.
 */
export type OwnerState = 'orphaned' | 'running' | 'elsewhere' | 'unknown';

/** This host, and how to tell whether one of its processes is alive. */
export interface Here {
  readonly host: string;
  readonly isAlive: (pid: number) => boolean;
}

export function ownerState(owner: RunOwner | undefined, here: Here): OwnerState {
  if (!owner) return 'unknown';
  if (owner.host !== here.host) return 'elsewhere';
  return here.isAlive(owner.pid) ? 'running' : 'orphaned';
}
