import { expect } from 'chai';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareContextTarget } from '../../harness/cluster/context-target.js';
import { ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import type { AccessCheck } from '../../harness/kube/gateway.js';
import { LiveGateway } from '../../harness/kube/live-gateway.js';
import { recordingGateway, type RecordedWrite } from '../../harness/kube/recording-gateway.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { exitCodeOf, runAll } from '../../harness/run/runner.js';
import { REQUIRED_ACCESS, SERVICE_ACCESS } from '../../harness/target/access.js';
import { pollUntil } from '../../harness/util/poll.js';
import { e2eSettings, io, load, seconds } from './support.js';
import {
  bindServiceAccount,
  grantsOf,
  identityName,
  mintToken,
  roleWithout,
  shippedRole,
  wording,
  writeServiceAccountKubeconfig,
} from './fixtures/rbac/identities.js';
import { prepareFixture, removeFixture, FIXTURE } from './fixtures/rbac/fixture.js';
import { VERB_PROBES } from './fixtures/rbac/verb-probes.js';

const CLI = path.resolve('bin/netpol-harness.js');
const SCENARIOS = ['scenarios/01-default-deny-ingress.yaml', 'scenarios/11-multi-step-rollout.yaml'];
/** A scenario with a Service: the one that also needs SERVICE_ACCESS. */
const WITH_SERVICE = 'scenarios/12-service-paths.yaml';
const ALL_ACCESS = [...REQUIRED_ACCESS, ...SERVICE_ACCESS];
const isServiceGrant = (g: AccessCheck) => SERVICE_ACCESS.some((s) => wording(s) === wording(g));
/** Where the ServiceAccounts live: a namespace without the run label, which the harness must never touch. */
const ACCOUNTS = 'nph-rbac-accounts';
const FULL = 'shipped-role';

const role = shippedRole();
const grants = grantsOf(role);

function cli(args: string[]) {
  return execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1' } });
}

/** Namespaces that carry the run label of any run, as the admin sees them. */
async function runLabelledNamespaces(admin: LiveGateway): Promise<string[]> {
  return admin.listNamespaces(RUN_LABEL);
}

/**
 * Every namespace ADDED while `during` runs, from a watch as the admin (a namespace created and
 * deleted in between counts). A marker namespace made at the end proves the watch was live.
 */
async function namespacesAddedDuring(cluster: KindCluster, during: () => Promise<void>): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const added: string[] = [];
  let broken: unknown;
  const rv = (await cluster.gw.list('v1', 'Namespace')).map((n) => Number(n.metadata['resourceVersion'] ?? 0));
  const watch = await new Watch(kc).watch(
    '/api/v1/namespaces',
    { resourceVersion: String(Math.max(0, ...rv)) },
    (phase: string, ns: { metadata?: { name?: string } }) => {
      if (phase === 'ADDED') added.push(ns.metadata?.name ?? '?');
    },
    (e: unknown) => (broken ??= e ?? 'the watch ended'),
  );
  const marker = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'nph-rbac-watch-marker' } };
  let brokenBeforeTheEnd: unknown;
  try {
    await during();
    await cluster.gw.apply(marker);
    await pollUntil(
      'the watch to see the marker namespace',
      async () => (added.includes(marker.metadata.name) ? { done: true } : { waiting: `seen: ${added.join(', ')}` }),
      { timeoutMs: 15_000 },
    );
  } finally {
    brokenBeforeTheEnd = broken;
    watch.abort();
    await cluster.gw.remove(marker);
  }
  expect(brokenBeforeTheEnd, 'the namespace watch broke off').to.equal(undefined);
  return added.filter((n) => n !== marker.metadata.name);
}

describe('least privilege: run --context as a ServiceAccount bound to exactly clusters/rbac/netpol-harness.yaml', () => {
  let cluster: KindCluster;
  let work: string;
  let kubeconfig: string;
  let minor: number;

  before(async () => {
    const started = Date.now();
    cluster = await ensureKindCluster({ cni: 'calico', images: [probeImage(loadClusterVersions())] }, io.err);
    minor = Number(/^v1\.(\d+)/.exec(await cluster.gw.serverVersion())?.[1]);
    work = mkdtempSync(path.join(tmpdir(), 'netpol-rbac-'));
    kubeconfig = path.join(work, 'kubeconfig');
    await cluster.gw.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ACCOUNTS } });
    const identities = new Map([[FULL, role], ...grants.map((g) => [identityName(g), roleWithout(role, g)] as const)]);
    const tokens = new Map<string, string>();
    for (const [name, r] of identities) {
      await bindServiceAccount(cluster.gw, ACCOUNTS, name, r);
      tokens.set(name, await mintToken(cluster.kubeconfig, ACCOUNTS, name));
    }
    writeServiceAccountKubeconfig(kubeconfig, cluster.kubeconfig, tokens);
    // RBAC reaches the authorizer through an informer: wait until each identity has what it was given.
    for (const [name] of identities) {
      const expected = name === FULL ? [] : [wording(grants.find((g) => identityName(g) === name)!)];
      await pollUntil(
        `${name} to be bound`,
        async () => {
          const denied = (await new LiveGateway(kubeconfig, name).deniedAccess(ALL_ACCESS)).map(wording);
          return JSON.stringify(denied) === JSON.stringify(expected) ? { done: true } : { waiting: denied.join(', ') };
        },
        { timeoutMs: 30_000 },
      );
    }
    io.err(`  ${identities.size} ServiceAccounts bound in ${seconds(Date.now() - started)}`);
  });

  after(async () => {
    if (!cluster) return;
    await removeFixture(cluster.gw).catch((e: Error) => io.err(`cleanup: ${e.message}`));
    await cluster.gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ACCOUNTS } });
    for (const name of [FULL, ...grants.map(identityName)]) {
      const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' };
      await cluster.gw.remove({ ...binding, metadata: { name: `nph-rbac-e2e-${name}` } });
      if (name !== FULL)
        await cluster.gw.remove({ ...binding, kind: 'ClusterRole', metadata: { name: `netpol-harness-${name}` } });
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('the shipped role grants exactly what the harness checks for (REQUIRED_ACCESS, SERVICE_ACCESS)', () => {
    const key = (c: AccessCheck) => wording(c);
    expect(grants.map(key).sort()).to.deep.equal(ALL_ACCESS.map(key).sort());
  });

  it('a recorded run writes only to namespaces with the run label, and nothing cluster-scoped but them', async () => {
    const admin = cluster.gw;
    const labelledBefore = new Set(await runLabelledNamespaces(admin));
    const prepared = await prepareContextTarget({ context: FULL, kubeconfig, sctp: false });
    const recorder = recordingGateway(prepared.session.gw);
    const settings = e2eSettings();
    const started = Date.now();
    const report = await runAll(
      SCENARIOS.map(load),
      [{ ...prepared, session: { ...prepared.session, gw: recorder.gw } }],
      settings,
    );
    io.err(`  recorded run: exit ${exitCodeOf(report)} in ${seconds(Date.now() - started)}`);
    expect(exitCodeOf(report), JSON.stringify(report.targets)).to.equal(0);
    const census = new Map<string, number>();
    for (const c of recorder.calls) census.set(c.method, (census.get(c.method) ?? 0) + 1);
    io.err(`  calls: ${[...census].map(([m, n]) => `${m} ${n}`).join(', ')}`);
    // A namespace counts as labelled once this run applied it with its run label (or it had one before).
    const labelled = new Set(labelledBefore);
    const offending: RecordedWrite[] = [];
    for (const w of recorder.writes) {
      if (w.kind === 'Namespace' && w.method === 'apply' && w.labels[RUN_LABEL] === settings.runId)
        labelled.add(w.name);
      const namespace = w.namespace ?? (w.kind === 'Namespace' ? w.name : undefined);
      if (namespace === undefined || !labelled.has(namespace)) offending.push(w);
    }
    expect(offending, 'writes outside run-labelled namespaces').to.deep.equal([]);
    expect(recorder.writes.filter((w) => w.kind === 'Namespace').length).to.be.greaterThan(0);
    const kinds = new Set(recorder.writes.map((w) => `${w.method} ${w.kind}`));
    io.err(`  ${recorder.writes.length} writes: ${[...kinds].sort().join(', ')}`);
  });

  it('run --context with the shipped role passes (exit 0)', async () => {
    const started = Date.now();
    // No report files: a test leaves nothing in the working tree.
    const result = await cli([
      'run',
      ...SCENARIOS,
      '--context',
      FULL,
      '--kubeconfig',
      kubeconfig,
      '--quiet',
      '--format',
      '',
    ]);
    io.err(`  run --context ${FULL}: exit ${result.exitCode} in ${seconds(Date.now() - started)}`);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).to.equal(0);
  });

  it('without any one verb the run is refused up front (exit 2), naming exactly that verb, with nothing created', async () => {
    const refusals: string[] = [];
    const labelledBefore = await runLabelledNamespaces(cluster.gw);
    const added = await namespacesAddedDuring(cluster, async () => {
      for (const g of grants) {
        // A Service permission is asked for only when a scenario declares a Service.
        const scenario = isServiceGrant(g) ? WITH_SERVICE : SCENARIOS[0]!;
        const result = await cli([
          'run',
          scenario,
          '--context',
          identityName(g),
          '--kubeconfig',
          kubeconfig,
          '--format',
          '',
        ]);
        const listed = /missing RBAC permissions: (.*?) \(apply/.exec(result.stderr)?.[1]?.split(', ');
        expect(result.exitCode, `${wording(g)}: ${result.stderr}`).to.equal(2);
        expect(listed, `${wording(g)}: ${result.stderr}`).to.deep.equal([wording(g)]);
        refusals.push(wording(g));
      }
    });
    io.err(`  refused without: ${refusals.join('; ')}`);
    expect(added, 'namespaces created while the runs were refused').to.deep.equal([]);
    // Namespaces of the run before can still be terminating; none may be new.
    const labelledAfter = await runLabelledNamespaces(cluster.gw);
    expect(labelledAfter.filter((n) => !labelledBefore.includes(n))).to.deep.equal([]);
  });

  it('every permission is one a call of the harness needs: refused without it, allowed with the role', async () => {
    await prepareFixture(cluster.gw, probeImage(loadClusterVersions()));
    const full = new LiveGateway(kubeconfig, FULL);
    const unneeded: string[] = [];
    const table: string[] = [];
    for (const [i, g] of grants.entries()) {
      const probe = VERB_PROBES[wording(g)];
      if (!probe) {
        unneeded.push(wording(g));
        continue;
      }
      const withRole = await probe.attempt(full, FIXTURE, `full-${i}`);
      expect(withRole, `${wording(g)} with the shipped role`).to.equal(undefined);
      const without = await probe.attempt(new LiveGateway(kubeconfig, identityName(g)), FIXTURE, `without-${i}`);
      const needed = minor >= (probe.neededFromMinor ?? 0);
      const shows = probe.refusal ?? new RegExp(`cannot ${g.verb} resource \\\\*"${g.resource}\\\\*"`);
      table.push(
        `${wording(g)}: ${without ? `refused (${(shows.exec(without)?.[0] ?? without).replace(/\\/g, '')})` : 'allowed'} without it`,
      );
      if (needed) expect(without, `${wording(g)} is not needed by ${probe.usedBy}`).to.match(shows);
      else
        expect(without, `${wording(g)} is checked by the API server before v1.${probe.neededFromMinor}`).to.equal(
          undefined,
        );
    }
    io.err(table.map((t) => `  ${t}`).join('\n'));
    expect(unneeded, 'granted, but no call of the harness needs it').to.deep.equal([]);
  });
});
