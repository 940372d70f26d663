import type { ExecResult, KubeGateway, ShellSession } from '../kube/gateway.js';
import { WORKLOAD_CONTAINER } from '../probe/workload-spec.js';

/** Runs a probe script in a source pod. */
export type ScriptRunner = (namespace: string, pod: string, script: string, timeoutMs: number) => Promise<ExecResult>;

/**
 * One long-lived shell per source pod for a whole scenario run. A shell that breaks is dropped and
 * the round is retried once with a plain exec, so a flaky connection costs time, not results; if
 * that fails too, the failure is what the round reports (as `error` cells, never as blocked).
 */
export class ProbeShells {
  private readonly sessions = new Map<string, Promise<ShellSession | undefined>>();

  constructor(private readonly gw: KubeGateway) {}

  readonly run: ScriptRunner = async (namespace, pod, script, timeoutMs) => {
    const key = `${namespace}/${pod}`;
    let opening = this.sessions.get(key);
    if (!opening)
      this.sessions.set(key, (opening = this.gw.openShell(namespace, pod, WORKLOAD_CONTAINER).catch(() => undefined)));
    const session = await withinTime(opening, timeoutMs);
    if (session && !session.closed) {
      const result = await session.run(script, timeoutMs);
      if (!result.failure) return result;
      session.close();
    }
    this.sessions.delete(key);
    return this.gw.exec(namespace, pod, WORKLOAD_CONTAINER, ['sh', '-c', script], timeoutMs);
  };

  /** Closes every shell, those still opening as soon as they open (a hung open must not hold up cleanup). */
  async close(): Promise<void> {
    for (const opening of this.sessions.values()) void opening.then((s) => s?.close());
    this.sessions.clear();
  }
}

/**
 * client-node resolves an exec when its websocket opens; against a paused node or API server the
 * open can hang with no error. A shell not open within the round's exec budget is given up (and
 * closed if it opens later), and the round falls back to a plain exec, which always settles.
 */
async function withinTime(opening: Promise<ShellSession | undefined>, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const first = await Promise.race([opening, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  void opening.then((s) => s?.close());
  return undefined;
}
