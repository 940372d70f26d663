import type { KubeGateway } from '../kube/gateway.js';
import { LANE_LABEL, RUN_LABEL } from '../model/cluster-names.js';
import { ProbeShells } from './probe-shells.js';

/**
 * A worker slot on a target: it runs scenarios one after another in namespaces of its own. When
 * the next scenario's topology signature (namespaces, workloads, ports, starting labels) matches
 * the pods the lane has, it runs on them: the previous scenario's policies are deleted first, and
 * every pod start and stop is saved. Anything else, or any error, and the lane's namespaces go
 * before the next scenario deploys afresh.
 */
export class Lane {
  private warm: { readonly signature: string; readonly policies: ReadonlySet<string> } | undefined;
  private deployed = false;
  private generation = 0;
  private current: ProbeShells;

  constructor(
    readonly index: number,
    private readonly gw: KubeGateway,
    private readonly runId: string,
    private readonly keepNamespaces: boolean,
    /** A namespace the lane could not delete: reported, never swallowed. */
    private readonly onCleanupFailure: (e: Error) => void = (e) => {
      throw e;
    },
  ) {
    this.current = new ProbeShells(gw);
  }

  /** Names the lane's current set of pods: `3`, then `3-1`, `3-2`, ... after each release (lane 0: none). */
  get deployment(): string {
    return this.generation ? `${this.index}-${this.generation}` : this.index ? String(this.index) : '';
  }

  /** The signature of the pods the lane holds ready for another scenario, if any. */
  get ready(): string | undefined {
    return this.warm?.signature;
  }

  /** Long-lived probe shells into this lane's pods. */
  get shells(): ProbeShells {
    return this.current;
  }

  /**
   * Take the lane for a scenario: the policies still in force on its pods when they can serve this
   * signature as they are, else undefined once the old pods are gone.
   */
  async claim(signature: string): Promise<ReadonlySet<string> | undefined> {
    const warm = this.warm;
    this.warm = undefined;
    if (warm?.signature === signature) return warm.policies;
    await this.release();
    this.deployed = true;
    return undefined;
  }

  /** The scenario ended cleanly: its pods, with these policies in force, may serve the next one. */
  keep(signature: string, policies: ReadonlySet<string>): void {
    this.warm = { signature, policies };
  }

  /** Close the shells and delete the lane's namespaces (unless kept). */
  async release(): Promise<void> {
    this.warm = undefined;
    await this.current.close();
    this.current = new ProbeShells(this.gw);
    if (this.deployed && !this.keepNamespaces)
      await removeNamespaces(this.gw, `${RUN_LABEL}=${this.runId},${LANE_LABEL}=${this.index}`).catch(
        this.onCleanupFailure,
      );
    if (this.deployed) this.generation++;
    this.deployed = false;
  }
}

/** Delete every namespace that matches a label selector (found by label, so partial deploys are covered). */
export async function removeNamespaces(gw: KubeGateway, selector: string): Promise<string[]> {
  const names = await gw.listNamespaces(selector);
  for (const name of names) await gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return names;
}
