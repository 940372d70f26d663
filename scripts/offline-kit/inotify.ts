// The kernel's inotify limits, per user: every kind node runs a kubelet and containerd that each
// take inotify instances, and with the default 128 a host stops being able to start new clusters
// once a few are up (kind's known issue "Pod errors due to too many open files": raise
// max_user_instances to 512 and max_user_watches to 524288). Seen here: a 3-node `cluster up` failed
// after 6 minutes with 123 of 128 instances in use. The kit raises them, never lowers them.
import { readFileSync, writeFileSync } from 'node:fs';

export const INOTIFY_MINIMUMS: ReadonlyArray<{ readonly key: string; readonly min: number }> = [
  { key: 'fs/inotify/max_user_instances', min: 512 },
  { key: 'fs/inotify/max_user_watches', min: 524288 },
];

const current = (key: string): number => Number(readFileSync(`/proc/sys/${key}`, 'utf8').trim());

/** `fs.inotify.max_user_instances 128 < 512`, one per limit below what kind needs. */
export function inotifyShortfalls(): string[] {
  return INOTIFY_MINIMUMS.filter(({ key, min }) => current(key) < min).map(
    ({ key, min }) => `${key.replaceAll('/', '.')} ${current(key)} < ${min}`,
  );
}

/** Raise each limit that is below its minimum; returns what could not be raised, with why. */
export function raiseInotify(): string[] {
  const failures: string[] = [];
  for (const { key, min } of INOTIFY_MINIMUMS) {
    if (current(key) >= min) continue;
    try {
      writeFileSync(`/proc/sys/${key}`, String(min));
    } catch (e) {
      failures.push(`could not raise ${key.replaceAll('/', '.')} to ${min}: ${(e as Error).message}`);
    }
  }
  return failures;
}
