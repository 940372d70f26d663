import { prepareKindTarget } from '../../harness/cluster/kind-target.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KIT_CACHE, loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import { newRunId } from '../../harness/model/cluster-names.js';
import type { Scenario } from '../../harness/model/scenario.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { defaultSettings, type RunSettings } from '../../harness/run/settings.js';
import { loadScenario } from '../../harness/scenario/load.js';

export const io = {
  out: (t: string) => process.stderr.write(`${t}\n`),
  err: (t: string) => process.stderr.write(`${t}\n`),
};

/** A kind cluster for `cni`, kept up between e2e files (NETPOL_E2E_FRESH=1 deletes it at the end). */
export function kindTarget(cni: string): Promise<PreparedTarget> {
  return prepareKindTarget(
    { cni, keep: !process.env['NETPOL_E2E_FRESH'], images: [probeImage(loadClusterVersions())] },
    io.err,
  );
}

/**
 * The kind target for a file that runs on Calico and Cilium alike: undefined (and the suite skipped,
 * naming the kit command) for Cilium where the kit has not built it.
 */
export async function kindTargetOrSkip(cni: string, suite: Mocha.Context): Promise<PreparedTarget | undefined> {
  const tag = loadClusterVersions().cilium?.imageTag ?? '';
  if (cni === 'cilium' && !existsSync(path.join(KIT_CACHE, 'manifests', `cilium-${tag}.yaml`))) {
    console.error('  SKIPPED: no Cilium in the kit: run npm run kit -- build --with cilium');
    suite.skip();
  }
  return kindTarget(cni);
}

export function e2eSettings(overrides: Partial<RunSettings> = {}): RunSettings {
  return defaultSettings(newRunId(), {
    image: { image: probeImage(loadClusterVersions()), pullPolicy: 'IfNotPresent' },
    ...overrides,
  });
}

export function load(file: string): Scenario {
  const { scenario, diagnostics } = loadScenario(file);
  if (!scenario) throw new Error(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return scenario;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
