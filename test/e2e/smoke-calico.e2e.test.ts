import { expect } from 'chai';
import { countVerdicts } from '../../harness/model/run-report.js';
import { checkEnforcement } from '../../harness/run/canary.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { removeScenarioNamespaces, runScenario } from '../../harness/run/scenario-run.js';
import { e2eSettings, kindTarget, load, seconds } from './support.js';

describe('kind + Calico from the offline kit (smoke)', () => {
  let target: PreparedTarget;
  before(async () => {
    const started = Date.now();
    target = await kindTarget('calico');
    console.error(`  calico target ready in ${seconds(Date.now() - started)}`);
  });
  after(async () => target?.release());

  it('enforces NetworkPolicy (canary)', async () => {
    const enforcement = await checkEnforcement(target.session, e2eSettings());
    console.error(`  canary: ${enforcement.evidence}`);
    expect(enforcement.enforced).to.equal(true);
  });

  it('client -> server across nodes: open, denied, restored; DNS works and breaks under deny-all egress', async () => {
    const settings = e2eSettings({ keepNamespaces: true });
    const started = Date.now();
    const run = await runScenario(target.session, load('test/e2e/fixtures/smoke.yaml'), 0, settings);
    try {
      expect(run.error).to.equal(undefined);
      const pods = await target.session.gw.list('v1', 'Pod', `smoke-${settings.runId}`);
      const nodes = new Set(pods.map((p) => (p['spec'] as { nodeName?: string }).nodeName));
      expect(nodes.size, `server and client on different nodes (${[...nodes].join(', ')})`).to.equal(2);
      for (const step of run.steps) {
        const counts = countVerdicts([...step.cells, ...step.dns]);
        const bad = [...step.cells, ...step.dns].filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive');
        expect(bad, `step ${step.name}: ${JSON.stringify(bad, null, 1)}`).to.deep.equal([]);
        console.error(
          `  step ${step.name}: ${counts.pass} pass, settled after ${seconds(step.convergence.settledAfterMs)} in ${step.convergence.rounds} rounds (${seconds(step.durationMs)})`,
        );
      }
      const dnsDenied = run.steps[3]!.dns.find((d) => d.from === 'smoke/client')!;
      expect(dnsDenied.observed).to.be.oneOf(['dropped', 'refused']);
      console.error(`  smoke scenario: ${seconds(Date.now() - started)}`);
    } finally {
      await removeScenarioNamespaces(target.session.gw, settings.runId);
    }
  });
});
