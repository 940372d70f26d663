/**
 * Faults injected for real in the middle of a run (issue 9, part 3), on one kind + Calico cluster
 * of this file's own (`nph-faults-calico`, deleted at the end): a paused worker node, CoreDNS
 * scaled to zero, the API server paused for 20 s, a probe pod deleted, SIGTERM and SIGKILL of the
 * CLI. Each asserts its outcome: never a false verdict, the cause reported, nothing left behind.
 */
import { expect } from 'chai';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { deleteKindCluster } from '../../harness/cluster/kind-cluster.js';
import { prepareKindTarget } from '../../harness/cluster/kind-target.js';
import { STATE_DIR, loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import type { RunReport, StepResult } from '../../harness/model/run-report.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { findRunLeftovers, thisHost } from '../../harness/run/orphans.js';
import { exitCodeOf, runAll, type RunListener } from '../../harness/run/runner.js';
import type { RunSettings } from '../../harness/run/settings.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { pollUntil } from '../../harness/util/poll.js';
import { e2eSettings, io, load, seconds } from './support.js';

const PREFIX = 'nph-faults';
const CLUSTER = `${PREFIX}-calico`;
const WORKER = `${CLUSTER}-worker`;
const CONTROL_PLANE = `${CLUSTER}-control-plane`;
const FIXTURE = 'test/e2e/fixtures/faults.yaml';
/** The same with an external server: a killed CLI run also leaves docker objects behind. */
const FIXTURE_EXTERNAL = 'test/e2e/fixtures/faults-external.yaml';
const CLI = path.resolve('bin/netpol-harness.js');
const KUBECTL = ['--kubeconfig', path.join(STATE_DIR, 'kubeconfig', CLUSTER), '--context', `kind-${CLUSTER}`];

const load1 = () => loadavg()[0]!.toFixed(1);
const docker = (...args: string[]) => execa('docker', args, { reject: false, timeout: 60_000 });
const kubectl = (...args: string[]) => execa('kubectl', [...KUBECTL, ...args], { reject: false, timeout: 150_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A run's docker objects (its externals' containers and networks), found by the run label. */
async function dockerObjects(runId: string): Promise<string[]> {
  const label = `label=${RUN_LABEL}=${runId}`;
  const containers = await docker('ps', '-a', '--filter', label, '--format', '{{.Names}}');
  const networks = await docker('network', 'ls', '--filter', label, '--format', '{{.Name}}');
  return `${containers.stdout}\n${networks.stdout}`.split('\n').filter(Boolean);
}

/** Short probe and convergence budgets: a step whose node is paused costs two exec timeouts, not minutes. */
function faultSettings(): RunSettings {
  const base = e2eSettings();
  return e2eSettings({
    runId: base.runId,
    round: { ...base.round, execTimeoutMs: 10_000 },
    converge: { ...base.converge, timeoutMs: 8_000 },
  });
}

const isBlocked = (o: string) => o === 'refused' || o === 'dropped';
const stepsFrom = (report: RunReport, from: number): StepResult[] => report.runs[0]!.steps.slice(from);
const describeCell = (c: { from: string; to: string; observed: string; verdict: string; detail: string }) =>
  `${c.from} -> ${c.to}: ${c.observed} ${c.verdict} (${c.detail.slice(0, 240)})`;

/** Every cell and DNS cell judged `fail` anywhere in the report (a false verdict under a fault). */
function fails(report: RunReport): string[] {
  return report.runs
    .flatMap((r) => r.steps.flatMap((s) => [...s.cells, ...s.dns.map((d) => ({ ...d, to: `dns:${d.name}` }))]))
    .filter((c) => c.verdict === 'fail')
    .map(describeCell);
}

/** Bounded wait for a cluster condition, naming it when it gives up. */
function waitFor(what: string, check: () => Promise<string | undefined>, timeoutMs: number): Promise<void> {
  return pollUntil(
    what,
    async () => {
      const waiting = await check();
      return waiting === undefined ? { done: undefined } : { waiting };
    },
    { timeoutMs, intervalMs: 1000 },
  );
}

describe('faults injected mid-run on kind + Calico (issue 9)', function () {
  let target: PreparedTarget;
  let savedPrefix: string | undefined;
  let reports: string;
  /** Containers a test paused, unpaused in after() whatever happened. */
  const paused = new Set<string>();

  const gw = () => target.session.gw;
  const runNamespaces = async (runId: string) => gw().listNamespaces(`${RUN_LABEL}=${runId}`);
  /** Namespaces of a run that are not on their way out (terminating ones are). */
  const activeNamespaces = async (runId: string) => {
    const active: string[] = [];
    for (const name of await runNamespaces(runId)) {
      const ns = await gw().read({ apiVersion: 'v1', kind: 'Namespace', name });
      if (ns && !(ns['metadata'] as { deletionTimestamp?: string }).deletionTimestamp) active.push(name);
    }
    return active;
  };
  const nodesReady = () =>
    waitFor(
      'both nodes Ready and CoreDNS rolled out',
      async () => {
        const nodes = await kubectl('get', 'nodes', '--no-headers');
        if (nodes.exitCode !== 0 || /NotReady/.test(nodes.stdout) || nodes.stdout.trim().split('\n').length !== 2)
          return `nodes: ${nodes.stdout || nodes.stderr}`;
        const dns = await kubectl('-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=5s');
        return dns.exitCode === 0 ? undefined : `coredns: ${dns.stdout}${dns.stderr}`;
      },
      180_000,
    );
  const pause = async (container: string) => {
    paused.add(container);
    const r = await docker('pause', container);
    expect(r.exitCode, r.stderr).to.equal(0);
  };
  const unpause = async (container: string) => {
    await docker('unpause', container);
    paused.delete(container);
  };

  /**
   * The fixture through runAll, with `inject` called (not awaited) when the first step is done.
   * With `holdApplies`, the second step's first apply (the step has begun) waits until the fault
   * is in place (bounded by inject's own waits), so it lands mid-step whatever the load: a step
   * that converges in a second could otherwise end before a fault injected "500 ms later".
   */
  async function runWithFault(
    settings: RunSettings,
    inject: (namespace: string) => Promise<unknown>,
    holdApplies = false,
  ): Promise<{ report: RunReport; injected: Promise<unknown> }> {
    let injected: Promise<unknown> | undefined;
    const real = target.session.gw;
    const gwHeld = new Proxy(real, {
      get: (t, p, r) =>
        p === 'apply' && holdApplies
          ? async (o: Parameters<typeof real.apply>[0]) => {
              await injected;
              return t.apply(o);
            }
          : (Reflect.get(t, p, r) as unknown),
    });
    const listener: RunListener = {
      onStepDone: (_s, _t, step) => {
        io.err(`    step ${step.name} done (load ${load1()})`);
        injected ??= inject(`faults-${settings.runId}-1`);
      },
    };
    const started = Date.now();
    const held = { ...target, session: { ...target.session, gw: gwHeld } };
    const report = await runAll([load(FIXTURE)], [held], settings, listener);
    io.err(
      `    run ${settings.runId}: exit ${exitCodeOf(report)} in ${seconds(Date.now() - started)}, load ${load1()}`,
    );
    for (const step of report.runs[0]?.steps ?? [])
      for (const c of [...step.cells, ...step.dns.map((d) => ({ ...d, to: `dns:${d.name}` }))])
        io.err(`      ${step.name}: ${describeCell(c)}`);
    if (report.runs[0]?.error) io.err(`    scenario error: ${report.runs[0].error}`);
    if (report.cleanupFailures) io.err(`    cleanup failures: ${report.cleanupFailures.join('; ')}`);
    return { report, injected: injected ?? Promise.resolve() };
  }

  before(async function () {
    savedPrefix = process.env['NETPOL_HARNESS_CLUSTER_PREFIX'];
    process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] = PREFIX;
    const started = Date.now();
    target = await prepareKindTarget(
      { cni: 'calico', keep: true, images: [probeImage(loadClusterVersions())] },
      io.err,
    );
    reports = mkdtempSync(path.join(tmpdir(), 'netpol-faults-'));
    io.err(`  ${CLUSTER} ready in ${seconds(Date.now() - started)} (load ${load1()})`);
  });

  after(async function () {
    for (const container of paused) await docker('unpause', container);
    await kubectl('-n', 'kube-system', 'scale', 'deployment/coredns', '--replicas=2');
    if (reports) rmSync(reports, { recursive: true, force: true });
    await deleteKindCluster(CLUSTER).catch((e: Error) => io.err(`  could not delete ${CLUSTER}: ${e.message}`));
    if (savedPrefix === undefined) delete process.env['NETPOL_HARNESS_CLUSTER_PREFIX'];
    else process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] = savedPrefix;
  });

  it('a worker node paused mid-step: its cells are error with the cause, never blocked; exit 2; cleanup completes once it is back', async () => {
    const settings = faultSettings();
    let victims: string[] = [];
    // Step 2 has begun when its first apply waits for the pause: every one of its rounds is paused.
    const { report, injected } = await runWithFault(
      settings,
      async (namespace) => {
        victims = (await gw().podStatuses(namespace)).filter((p) => p.node === WORKER).map((p) => `faults/${p.name}`);
        io.err(`    pausing ${WORKER} (our pods there: ${victims.join(', ')}; load ${load1()})`);
        await pause(WORKER);
      },
      true,
    );
    await injected;
    await unpause(WORKER);
    io.err(`    unpaused ${WORKER} (load ${load1()})`);
    expect(victims.length, 'a pod of the scenario runs on the worker').to.be.greaterThan(0);
    const affected = stepsFrom(report, 1).flatMap((s) =>
      s.cells.filter((c) => victims.includes(c.from) || victims.includes(c.to)),
    );
    expect(affected.length).to.be.greaterThan(0);
    expect(affected.filter((c) => isBlocked(c.observed)).map(describeCell), 'read as blocked').to.deep.equal([]);
    expect(
      affected.filter((c) => c.observed !== 'error' || c.verdict !== 'inconclusive' || !c.detail).map(describeCell),
    ).to.deep.equal([]);
    expect(fails(report), 'false verdicts').to.deep.equal([]);
    expect(exitCodeOf(report)).to.equal(2);
    // Cleanup: the namespaces were deleted at the end of the run; they finish terminating once the
    // node's kubelet is back, or the report says what could not be removed.
    if (!report.cleanupFailures?.length)
      await waitFor(
        `the run's namespaces to be gone after ${WORKER} was unpaused`,
        async () => {
          const left = await runNamespaces(settings.runId);
          return left.length ? `still there: ${left.join(', ')}` : undefined;
        },
        180_000,
      );
    await nodesReady();
  });

  it('CoreDNS scaled to zero mid-run: DNS cells are error with the cause, TCP cells unaffected', async () => {
    const settings = faultSettings();
    // Terminating CoreDNS pods still serve (kube-proxy falls back to serving-terminating endpoints,
    // KEP-1669) through their lameduck: the next step starts once none is left.
    const { report, injected } = await runWithFault(
      settings,
      async () => {
        const r = await kubectl('-n', 'kube-system', 'scale', 'deployment/coredns', '--replicas=0');
        io.err(`    coredns scaled to 0: ${r.stdout}${r.stderr} (load ${load1()})`);
        await waitFor(
          'every CoreDNS pod to be gone',
          async () => {
            const left = (await gw().podStatuses('kube-system')).filter((p) => p.name.startsWith('coredns-'));
            return left.length ? left.map((p) => `${p.name} ${p.phase}`).join(', ') : undefined;
          },
          90_000,
        );
        io.err(`    no CoreDNS pod left (load ${load1()})`);
      },
      true,
    );
    await injected;
    const restored = await kubectl('-n', 'kube-system', 'scale', 'deployment/coredns', '--replicas=2');
    expect(restored.exitCode, restored.stderr).to.equal(0);
    const last = report.runs[0]!.steps.at(-1)!;
    expect(last.dns.length).to.be.greaterThan(0);
    expect(
      last.dns
        .filter((d) => d.observed !== 'error' || !/the cluster DNS has no ready server/.test(d.detail))
        .map((d) => describeCell({ ...d, to: d.name })),
    ).to.deep.equal([]);
    const dnsBlocked = stepsFrom(report, 1).flatMap((s) => s.dns.filter((d) => isBlocked(d.observed)));
    expect(
      dnsBlocked.map((d) => describeCell({ ...d, to: d.name })),
      'DNS read as blocked',
    ).to.deep.equal([]);
    const tcp = report.runs[0]!.steps.flatMap((s) => s.cells);
    expect(tcp.filter((c) => c.verdict !== 'pass' && c.verdict !== 'not-asserted').map(describeCell)).to.deep.equal([]);
    expect(fails(report)).to.deep.equal([]);
    expect(exitCodeOf(report)).to.equal(2);
    await nodesReady();
  });

  it('the API server paused for 20 s mid-run: the run finishes or exits 2 with the cause; no false verdict', async () => {
    const settings = faultSettings();
    let pausedFor = 0;
    const { report, injected } = await runWithFault(settings, async () => {
      await sleep(500);
      const started = Date.now();
      io.err(`    pausing ${CONTROL_PLANE} for 20 s (load ${load1()})`);
      await pause(CONTROL_PLANE);
      await sleep(20_000);
      await unpause(CONTROL_PLANE);
      pausedFor = Date.now() - started;
      io.err(`    unpaused ${CONTROL_PLANE} after ${seconds(pausedFor)} (load ${load1()})`);
    });
    await injected;
    expect(pausedFor).to.be.at.least(20_000);
    expect(fails(report), 'false verdicts').to.deep.equal([]);
    const code = exitCodeOf(report);
    expect(code).to.be.oneOf([0, 2]);
    if (code === 2) {
      const causes = [
        ...(report.runs[0]?.error ? [report.runs[0].error] : []),
        ...report.runs
          .flatMap((r) => r.steps.flatMap((s) => [...s.cells, ...s.dns].filter((c) => c.verdict === 'inconclusive')))
          .map((c) => c.detail),
        ...(report.cleanupFailures ?? []),
        ...report.targets.flatMap((t) => (t.error ? [t.error] : [])),
      ];
      expect(causes.length, 'exit 2 names its cause').to.be.greaterThan(0);
      expect(causes.every((c) => c.length > 0)).to.equal(true);
    }
    await nodesReady();
    await waitFor(
      "the run's namespaces to be deleted",
      async () => {
        const left = await activeNamespaces(settings.runId);
        return left.length ? `not deleted: ${left.join(', ')}` : undefined;
      },
      60_000,
    );
  });

  it('a probe pod deleted mid-step: its cells are error (never blocked), reported with the cause', async () => {
    const settings = faultSettings();
    const { report, injected } = await runWithFault(
      settings,
      async (namespace) => {
        io.err(`    deleting pod ${namespace}/server (load ${load1()})`);
        await gw().remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'server', namespace } });
      },
      true,
    );
    await injected;
    const involving = stepsFrom(report, 1).flatMap((s) =>
      s.cells.filter((c) => c.from === 'faults/server' || c.to === 'faults/server'),
    );
    expect(involving.filter((c) => isBlocked(c.observed)).map(describeCell), 'read as blocked').to.deep.equal([]);
    const last = report.runs[0]!.steps.at(-1)!.cells.filter(
      (c) => c.from === 'faults/server' || c.to === 'faults/server',
    );
    expect(last.filter((c) => c.observed !== 'error' || !c.detail).map(describeCell)).to.deep.equal([]);
    expect(fails(report), 'false verdicts').to.deep.equal([]);
    expect(exitCodeOf(report)).to.equal(2);
  });

  /** `run` as a child process, with this file's cluster prefix; resolves its run id from stderr. */
  function cliRun(): { child: ResultPromise; runId: () => string | undefined } {
    let runId: string | undefined;
    const child = execa(
      'node',
      [CLI, 'run', FIXTURE_EXTERNAL, '--cni', 'calico', '--keep', '--format', 'json', '--report-dir', reports],
      { reject: false, env: { NO_COLOR: '1', NETPOL_HARNESS_CLUSTER_PREFIX: PREFIX }, timeout: 600_000 },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (line) {
          process.stderr.write(`    | ${line}\n`);
          runId ??= /^run (\w+):/.exec(line)?.[1];
        }
    });
    return { child, runId: () => runId };
  }

  /** Waits (bounded) until the child's run has its namespace and pods Ready: mid-run. */
  async function midRun(runId: () => string | undefined): Promise<string> {
    await waitFor(
      'the CLI run to deploy its pods',
      async () => {
        const id = runId();
        if (!id) return 'no run id on stderr yet';
        for (const ns of await runNamespaces(id))
          if (ns.startsWith('faults-')) {
            const pods = await gw().podStatuses(ns);
            if (pods.length === 2 && pods.every((p) => p.ready)) return undefined;
          }
        return 'pods not Ready yet';
      },
      240_000,
    );
    return runId()!;
  }

  it('SIGTERM of the CLI: it cleans up like Ctrl-C (no namespace of the run left) and exits non-zero', async () => {
    const { child, runId } = cliRun();
    const id = await midRun(runId);
    const started = Date.now();
    child.kill('SIGTERM');
    const result = await child;
    io.err(`    SIGTERM: exit ${result.exitCode} after ${seconds(Date.now() - started)} (load ${load1()})`);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.contain('SIGTERM: stopping');
    expect(await activeNamespaces(id), 'namespaces not deleted (terminating ones are on their way out)').to.deep.equal(
      [],
    );
    expect(await dockerObjects(id), 'externals and networks left').to.deep.equal([]);
  });

  it('SIGKILL of the CLI: `cleanup --cni calico` finds and removes the orphaned namespaces (as the next run would)', async () => {
    const { child, runId } = cliRun();
    const id = await midRun(runId);
    child.kill('SIGKILL');
    const result = await child;
    expect(result.signal).to.equal('SIGKILL');
    const orphaned = (await findRunLeftovers(gw(), thisHost)).find((r) => r.runId === id);
    expect(orphaned?.state, 'the next run classifies it as orphaned and removes it').to.equal('orphaned');
    expect(await activeNamespaces(id)).not.to.deep.equal([]);
    expect(await dockerObjects(id), 'the external and its network outlive the killed run').not.to.deep.equal([]);
    const started = Date.now();
    const cleanup = await execa('node', [CLI, 'cleanup', '--cni', 'calico'], {
      reject: false,
      env: { NO_COLOR: '1', NETPOL_HARNESS_CLUSTER_PREFIX: PREFIX },
      timeout: 120_000,
    });
    io.err(`    cleanup: exit ${cleanup.exitCode} in ${seconds(Date.now() - started)} (load ${load1()})`);
    io.err(`${cleanup.stdout}\n${cleanup.stderr}`.replace(/^/gm, '    | '));
    expect(cleanup.exitCode, cleanup.stderr).to.equal(0);
    expect(cleanup.stdout).to.contain(`removing`);
    expect(cleanup.stdout).to.contain(id);
    expect(await activeNamespaces(id)).to.deep.equal([]);
    expect(await dockerObjects(id), 'externals and networks left').to.deep.equal([]);
  });

  it('SIGKILL of the CLI: the next run removes the orphaned namespaces at its start', async () => {
    const killed = cliRun();
    const id = await midRun(killed.runId);
    killed.child.kill('SIGKILL');
    expect((await killed.child).signal).to.equal('SIGKILL');
    expect(await activeNamespaces(id)).not.to.deep.equal([]);
    expect(await dockerObjects(id)).not.to.deep.equal([]);
    const next = cliRun();
    const result = await next.child;
    io.err(`    next run: exit ${result.exitCode} (load ${load1()})`);
    expect(result.stderr).to.contain(`removing leftovers of run ${id}`);
    expect(result.exitCode, String(result.stderr)).to.equal(0);
    expect(await activeNamespaces(id)).to.deep.equal([]);
    expect(await dockerObjects(id), 'externals and networks left').to.deep.equal([]);
  });
});
