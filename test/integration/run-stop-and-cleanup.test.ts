import type { Applied } from '../../harness/kube/gateway.js';
/**
 * Issue 9's promises about stopping and cleaning up, against the in-memory cluster: after a stop
 * signal nothing new is created on the target, and what the run cannot remove is reported with the
 * object and the error, and turns the exit code to 2.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../harness/model/kube-object.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { renderConsole } from '../../harness/report/console.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import { exitCodeOf, runAll } from '../../harness/run/runner.js';
import { defaultSettings, type RunSettings } from '../../harness/run/settings.js';
import { loadScenario } from '../../harness/scenario/load.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { FakeCluster } from '../support/fake-cluster.js';

const scenarios: Scenario[] = readdirSync('test/fixtures/upstream')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .slice(0, 12)
  .map((f) => loadScenario(path.join('test/fixtures/upstream', f)).scenario!);

function settings(overrides: Partial<RunSettings> = {}): RunSettings {
  return defaultSettings('st0p01', {
    converge: { stableRounds: 2, timeoutMs: 300, intervalMs: 5 },
    podReadyTimeoutMs: 2000,
    scenarioConcurrency: 2,
    ...overrides,
  });
}

function prepared(cluster: FakeCluster): PreparedTarget {
  return {
    session: { name: 'fake', cni: 'fake', context: 'kind-fake', gw: cluster, sctp: false, ownCluster: true },
    info: { name: 'fake', kind: 'kind', context: 'kind-fake', capabilities: { sctp: false } },
    release: async () => undefined,
  };
}

/** A fake cluster that records when each object was applied. */
class RecordingCluster extends FakeCluster {
  readonly applied: Array<{ at: number; object: KubeObject }> = [];
  override async apply(object: KubeObject): Promise<Applied | void> {
    this.applied.push({ at: Date.now(), object });
    return super.apply(object);
  }
}

describe('after a stop signal (Ctrl-C, SIGTERM) nothing new is created', () => {
  it('no object is applied after the signal, queued scenarios never start, and every namespace goes', async () => {
    const cluster = new RecordingCluster();
    const controller = new AbortController();
    let stoppedAt = 0;
    const report = await runAll(scenarios, [prepared(cluster)], settings({ signal: controller.signal }), {
      onScenarioDone: () => {
        if (stoppedAt) return;
        stoppedAt = Date.now();
        controller.abort();
      },
    });
    expect(stoppedAt).to.be.greaterThan(0);
    expect(cluster.applied.filter((a) => a.at > stoppedAt).map((a) => a.object.kind)).to.deep.equal([]);
    const notStarted = report.runs.filter((r) => r.error === 'not started: the run was stopped');
    expect(notStarted.length).to.be.greaterThan(scenarios.length / 2);
    expect(cluster.namespaces.size).to.equal(0);
  });
});

/** A fake cluster whose namespace deletes fail, as on an API server that went away. */
class UndeletableCluster extends FakeCluster {
  override async remove(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    if (object.kind === 'Namespace')
      throw new Error(`namespaces "${object.metadata.name}" is forbidden: deletes refused`);
    return super.remove(object);
  }
}

describe('cleanup failures are never swallowed', () => {
  it('each is reported with the object and the error, in the report and the console, and the exit code is 2', async () => {
    const report = await runAll(scenarios.slice(0, 2), [prepared(new UndeletableCluster())], settings());
    expect(report.cleanupFailures?.length).to.be.greaterThan(0);
    expect(report.cleanupFailures?.[0]).to.match(/^fake: .*: namespaces ".*-st0p01.*" is forbidden: deletes refused$/);
    expect(exitCodeOf(report)).to.equal(2);
    expect(renderConsole(report, { color: false, quiet: true })).to.contain(
      'Not cleaned up (remove by hand; the run label finds them)',
    );
  });
  it('a run that removed everything reports no cleanup failures', async () => {
    const report = await runAll(scenarios.slice(0, 2), [prepared(new FakeCluster())], settings());
    expect(report.cleanupFailures).to.equal(undefined);
  });
});

describe('after SIGKILL, the next run finds the orphans by label and owner', () => {
  const ns = (name: string, runId: string, owner?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'netpol-harness/run': runId },
      ...(owner ? { annotations: { 'netpol-harness/owner': owner } } : {}),
    },
  });
  // Above the kernel's pid_max (4194304): no process can have it, so its run is dead.
  const DEAD = 4_194_305;

  it("removes the namespaces of runs whose process on this host is gone, and leaves live or foreign runs' alone, naming them", async () => {
    const cluster = new FakeCluster();
    await cluster.apply(ns('shop-dead01-1', 'dead01', `${hostname()}:${DEAD}`));
    await cluster.apply(ns('db-dead01-1', 'dead01', `${hostname()}:${DEAD}`));
    await cluster.apply(ns('shop-live01-1', 'live01', `${hostname()}:${process.pid}`));
    await cluster.apply(ns('shop-away01-1', 'away01', 'ci-runner-7:4242'));
    await cluster.apply(ns('shop-old001-1', 'old001'));
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: {} } });
    const notes: string[] = [];
    const report = await runAll(scenarios.slice(0, 1), [prepared(cluster)], settings(), {
      onTargetNote: (_t, note) => notes.push(note),
    });
    expect([...cluster.namespaces.keys()].sort()).to.deep.equal([
      'payments',
      'shop-away01-1',
      'shop-live01-1',
      'shop-old001-1',
    ]);
    expect(notes).to.include(
      `removing leftovers of run dead01: 2 namespace(s), its process (${hostname()} pid ${DEAD}) is gone`,
    );
    expect(notes).to.include(
      'left alone: run away01: 1 namespace(s), made on ci-runner-7 pid 4242: it may still be running there (netpol-harness cleanup --run away01 removes them)',
    );
    expect(notes.some((n) => n.startsWith('left alone: run live01') && n.includes('still running'))).to.equal(true);
    expect(notes.some((n) => n.startsWith('left alone: run old001') && n.includes('no owner recorded'))).to.equal(true);
    expect(report.cleanupFailures).to.equal(undefined);
  });

  it('namespaces a run kept on purpose (--keep-namespaces) are left alone, though its process is gone', async () => {
    const cluster = new FakeCluster();
    const kept = ns('shop-kept01-1', 'kept01', `${hostname()}:${DEAD}`);
    (kept.metadata['annotations'] as Record<string, string>)['netpol-harness/kept'] = 'true';
    await cluster.apply(kept);
    const notes: string[] = [];
    await runAll(scenarios.slice(0, 1), [prepared(cluster)], settings(), {
      onTargetNote: (_t, note) => notes.push(note),
    });
    expect([...cluster.namespaces.keys()]).to.deep.equal(['shop-kept01-1']);
    expect(notes).to.include(
      `left alone: run kept01: 1 namespace(s), kept on purpose (run --keep-namespaces, ${hostname()} pid ${DEAD}) ` +
        '(netpol-harness cleanup --run kept01 removes them)',
    );
  });

  it('a run with --keep-namespaces leaves its namespaces, pods and policies, each namespace marked kept', async () => {
    const cluster = new FakeCluster();
    await runAll(scenarios.slice(0, 1), [prepared(cluster)], { ...settings(), keepNamespaces: true });
    const left = await cluster.list('v1', 'Namespace');
    expect(left.length).to.be.greaterThan(0);
    for (const n of left)
      expect((n.metadata['annotations'] as Record<string, string>)['netpol-harness/kept']).to.equal('true');
    expect(cluster.pods.size).to.be.greaterThan(0);
  });

  it('the enforcement canary is ours: its namespace goes even under --keep-namespaces', async () => {
    const cluster = new FakeCluster();
    const enforcement = await checkEnforcement(prepared(cluster).session, { ...settings(), keepNamespaces: true });
    expect(enforcement.enforced).to.equal(true);
    expect([...cluster.namespaces.keys()]).to.deep.equal([]);
  });

  it('every namespace a run creates records its owner (host:pid)', async () => {
    const cluster = new RecordingCluster();
    await runAll(scenarios.slice(0, 1), [prepared(cluster)], settings());
    const namespaces = cluster.applied.filter((a) => a.object.kind === 'Namespace').map((a) => a.object);
    expect(namespaces.length).to.be.greaterThan(0);
    for (const n of namespaces)
      expect((n.metadata['annotations'] as Record<string, string>)['netpol-harness/owner']).to.equal(
        `${hostname()}:${process.pid}`,
      );
  });
});
