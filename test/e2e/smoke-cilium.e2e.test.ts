import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { CLUSTERS_DIR, KIT_CACHE } from '../../harness/cluster/versions.js';
import { countVerdicts } from '../../harness/model/run-report.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { removeScenarioNamespaces, runScenario } from '../../harness/run/scenario-run.js';
import { e2eSettings, kindTarget, load, seconds } from './support.js';

const ciliumTag = (
  parse(readFileSync(path.join(CLUSTERS_DIR, 'versions.yaml'), 'utf8')) as { cilium: { imageTag: string } }
).cilium.imageTag;

/** Cilium is an opt-in part of the kit (`npm run kit -- build --with cilium`): without it this file says so and skips. */
describe('kind + Cilium from the offline kit (smoke)', () => {
  let target: PreparedTarget | undefined;
  before(async function () {
    const manifest = path.join(KIT_CACHE, 'manifests', `cilium-${ciliumTag}.yaml`);
    if (!existsSync(manifest)) {
      console.error(`  SKIPPED: no ${manifest}: run npm run kit -- build --with cilium`);
      this.skip();
    }
    const started = Date.now();
    target = await kindTarget('cilium');
    console.error(`  cilium target ready in ${seconds(Date.now() - started)}`);
  });
  after(async () => target?.release());

  it('enforces NetworkPolicy (canary)', async () => {
    const enforcement = await checkEnforcement(target!.session, e2eSettings());
    console.error(`  canary: ${enforcement.evidence}`);
    expect(enforcement.enforced).to.equal(true);
  });

  it('client -> server across nodes: open, denied, restored; DNS works and breaks under deny-all egress', async () => {
    const settings = e2eSettings({ keepNamespaces: true });
    const started = Date.now();
    const run = await runScenario(target!.session, load('test/e2e/fixtures/smoke.yaml'), 0, settings);
    try {
      expect(run.error).to.equal(undefined);
      const pods = await target!.session.gw.list('v1', 'Pod', `smoke-${settings.runId}`);
      const nodes = new Set(pods.map((p) => (p['spec'] as { nodeName?: string }).nodeName));
      expect(nodes.size, `server and client on different nodes (${[...nodes].join(', ')})`).to.equal(2);
      for (const step of run.steps) {
        const cells = [...step.cells, ...step.dns];
        const bad = cells.filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive');
        expect(bad, `step ${step.name}: ${JSON.stringify(bad, null, 1)}`).to.deep.equal([]);
        console.error(
          `  step ${step.name}: ${countVerdicts(cells).pass} pass, settled after ${seconds(step.convergence.settledAfterMs)} in ${step.convergence.rounds} rounds (${seconds(step.durationMs)})`,
        );
      }
      console.error(`  smoke scenario: ${seconds(Date.now() - started)}`);
    } finally {
      await removeScenarioNamespaces(target!.session.gw, settings.runId);
    }
  });
});
