/**
 * Cluster-scoped policies in a live run (on the in-memory cluster, which enforces ANP and BANP with
 * the engine's tiers over the objects really applied): confined to the run's namespaces, run-labelled,
 * gone at the end; unsupported (with the reason) where the target cannot enforce them; someone else's
 * baseline never replaced; refused on --context without --allow-cluster-scoped.
 */
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RUN_REPORT_SCHEMA_URL, renderJson } from '../../harness/report/json.js';
import { renderMarkdown } from '../../harness/report/markdown.js';
import { main } from '../../harness/cli.js';
import { ADMIN_API_VERSION } from '../../harness/model/admin-policy.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { countVerdicts } from '../../harness/model/run-report.js';
import { NAMESPACE_NAME_LABEL } from '../../harness/model/world.js';
import { findRunLeftovers, removeLeftovers, thisHost } from '../../harness/run/orphans.js';
import { exitCodeOf, runAll } from '../../harness/run/runner.js';
import { runScenario } from '../../harness/run/scenario-run.js';
import { clusterScopedSupport } from '../../harness/target/cluster-scoped-support.js';
import { fakeRunSettings, loadValid } from '../support/fake-run.js';
import { FakeCluster, fakeSession } from '../support/fake-cluster.js';

const settings = fakeRunSettings('anp001');

const FAKE_INFO = { name: 'fake', kind: 'kind', context: 'kind-fake', capabilities: { sctp: false } } as const;
const guardrails = loadValid('scenarios/15-admin-guardrails.yaml');
const inForce = (cluster: FakeCluster) =>
  [...cluster.clusterPolicies.values()].flatMap((h) => h.filter((x) => x.deletedAt === undefined).map((x) => x.policy));

describe('cluster-scoped policies in a run (in-memory cluster)', () => {
  it('the guardrails example passes: each tier corner is observed as predicted', async () => {
    const cluster = new FakeCluster();
    const run = await runScenario(fakeSession(cluster), guardrails, 0, settings);
    expect(run.error).to.equal(undefined);
    const cells = run.steps[0]!.cells;
    expect(countVerdicts(cells)).to.include({ pass: 20, fail: 0, inconclusive: 0 });
    expect(run.steps[0]!.dns.every((d) => d.verdict === 'pass')).to.equal(true);
    const observed = (from: string, to: string) => cells.find((c) => c.from === from && c.to === to)!.observed;
    expect(observed('monitoring/prometheus', 'shop/web'), 'ANP Allow over a NetworkPolicy').to.equal('allowed');
    expect(observed('sandbox/toy', 'shop/web'), 'ANP Deny over a NetworkPolicy').to.equal('dropped');
    expect(observed('shop/web', 'shop/cache'), 'Pass into the baseline deny').to.equal('dropped');
  });

  it('applies each one confined to the scenario namespaces, run-labelled, and removes it at the end', async () => {
    const cluster = new FakeCluster();
    const applied: KubeObject[] = [];
    const namespaces = new Set<string>();
    const apply = cluster.apply.bind(cluster);
    cluster.apply = async (o) => {
      if (o.apiVersion === ADMIN_API_VERSION) applied.push(o);
      if (o.kind === 'Namespace') namespaces.add(o.metadata.name);
      return apply(o);
    };
    await runScenario(fakeSession(cluster), guardrails, 0, settings);
    expect(applied.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([
      'AdminNetworkPolicy/production-guardrails-anp001-0',
      'BaselineAdminNetworkPolicy/default',
    ]);
    const real = [...namespaces].sort();
    const confinement = { key: NAMESPACE_NAME_LABEL, operator: 'In', values: real };
    for (const o of applied) {
      expect(o.metadata.labels?.[RUN_LABEL]).to.equal('anp001');
      const spec = o['spec'] as {
        subject: { namespaces: { matchExpressions: unknown[] } };
        ingress: Array<{ from: Array<{ namespaces: { matchExpressions: unknown[] } }> }>;
      };
      expect(spec.subject.namespaces.matchExpressions, `${o.kind} subject`).to.deep.include(confinement);
      for (const rule of spec.ingress)
        for (const peer of rule.from) expect(peer.namespaces.matchExpressions).to.deep.include(confinement);
    }
    expect(inForce(cluster), 'nothing cluster-scoped is left').to.deep.equal([]);
  });

  it('the report shows each as applied (JSON, valid against its schema, and Markdown)', async () => {
    const cluster = new FakeCluster();
    const target = { session: fakeSession(cluster), info: FAKE_INFO, release: async () => undefined };
    const report = await runAll([guardrails], [target], settings);
    const applied = report.runs[0]!.steps[0]!.clusterPolicies!;
    expect(applied.map((p) => (p['metadata'] as { name: string }).name)).to.deep.equal([
      'production-guardrails-anp001-1',
      'default',
    ]);
    const schema = JSON.parse(readFileSync(RUN_REPORT_SCHEMA_URL, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(JSON.parse(renderJson(report))), JSON.stringify(validate.errors)).to.equal(true);
    const markdown = renderMarkdown(report);
    expect(markdown).to.contain('### Cluster-scoped policies as applied');
    expect(markdown).to.contain('key: kubernetes.io/metadata.name');
  });

  it('a target that cannot enforce them: every cell of the step unsupported, with the reason, and exit 0', async () => {
    const cluster = new FakeCluster({ clusterScoped: false });
    const support = await clusterScopedSupport(cluster, 'fake');
    expect(support.AdminNetworkPolicy).to.match(
      /does not serve AdminNetworkPolicy \(policy\.networking\.k8s\.io\/v1alpha1/,
    );
    const target = { ...fakeSession(cluster), clusterScoped: support };
    const report = await runAll(
      [guardrails],
      [
        {
          session: target,
          info: { name: 'fake', kind: 'kind', context: 'kind-fake', capabilities: { sctp: false } },
          release: async () => undefined,
        },
      ],
      settings,
    );
    const step = report.runs[0]!.steps[0]!;
    expect([...step.cells, ...step.dns].every((c) => c.observed === 'unsupported')).to.equal(true);
    expect(step.cells[0]!.detail).to.contain('cluster-scoped policies are not tested here');
    expect(exitCodeOf(report)).to.equal(0);
    expect((await clusterScopedSupport(new FakeCluster(), 'cilium')).AdminNetworkPolicy).to.match(
      /cilium\/cilium#23380/,
    );
    const calico = await clusterScopedSupport(new FakeCluster({ clusterNetworkPolicy: true }), 'calico', 'v3.31.0');
    expect(calico).to.deep.equal({
      ClusterNetworkPolicy: 'Calico v3.31.0 does not implement ClusterNetworkPolicy (Calico does from v3.32)',
    });
  });

  it("someone else's baseline is never replaced: the scenario fails with why, and it stays", async () => {
    const cluster = new FakeCluster();
    const theirs: KubeObject = {
      apiVersion: ADMIN_API_VERSION,
      kind: 'BaselineAdminNetworkPolicy',
      metadata: { name: 'default' },
      spec: { subject: { namespaces: {} }, ingress: [] },
    };
    await cluster.apply(theirs);
    const run = await runScenario(fakeSession(cluster), guardrails, 0, settings);
    expect(run.error).to.match(
      /BaselineAdminNetworkPolicy named default is already in force .*not created by netpol-harness/,
    );
    expect(inForce(cluster)).to.deep.equal([theirs]);
  });

  it('--keep-namespaces keeps them with the namespaces; the orphan sweep finds and removes both', async () => {
    const cluster = new FakeCluster();
    await runScenario(fakeSession(cluster), guardrails, 0, { ...settings, keepNamespaces: true });
    expect(inForce(cluster).map((o) => o.kind)).to.deep.equal(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);
    const [left] = await findRunLeftovers(cluster, thisHost);
    expect(left!.clusterScoped).to.deep.equal([
      'AdminNetworkPolicy/production-guardrails-anp001-0',
      'BaselineAdminNetworkPolicy/default',
    ]);
    await removeLeftovers(cluster, [left!]);
    expect(inForce(cluster)).to.deep.equal([]);
  });

  it('on a --context target, refused with exit 3 before anything is created, unless --allow-cluster-scoped', async () => {
    const err: string[] = [];
    const code = await main(['run', 'scenarios/15-admin-guardrails.yaml', '--context', 'production'], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).to.equal(3);
    expect(err.join('\n')).to.contain('pass --allow-cluster-scoped to apply them there');
    expect(err.join('\n')).to.not.contain('    at ');
  });
});
