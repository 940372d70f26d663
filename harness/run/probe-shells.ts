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
    const session = await opening;
    if (session && !session.closed) {
      const result = await session.run(script, timeoutMs);
      if (!result.failure) return result;
      session.close();
    }
    this.sessions.delete(key);
    return this.gw.exec(namespace, pod, WORKLOAD_CONTAINER, ['sh', '-c', script], timeoutMs);
  };

  async close(): Promise<void> {
    for (const opening of this.sessions.values()) (await opening)?.close();
    this.sessions.clear();
  }
}
