/**
 * Issue 9's promises about stopping and cleaning up, against the in-memory cluster: after a stop
 * signal nothing new is created on the target, and what the run cannot remove is reported with the
 * object and the error, and turns the exit code to 2.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../harness/model/kube-object.js';
import type { Scenario } from '../../harness/model/scenario.js';
import { renderConsole } from '../../harness/report/console.js';
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
  override async apply(object: KubeObject): Promise<void> {
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
