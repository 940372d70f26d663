import { prepareKindTarget } from '../../harness/cluster/kind-target.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
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
