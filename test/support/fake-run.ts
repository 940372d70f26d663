/** What the integration tests that run scenarios on the in-memory cluster share: fast settings, strict loading. */
import type { Scenario } from '../../harness/model/scenario.js';
import { defaultSettings, type RunSettings } from '../../harness/run/settings.js';
import { loadScenario } from '../../harness/scenario/load.js';

/** Run settings that converge in milliseconds on the in-memory cluster (its policies apply at once). */
export function fakeRunSettings(runId: string, overrides: Partial<RunSettings> = {}): RunSettings {
  return defaultSettings(runId, {
    converge: { stableRounds: 2, timeoutMs: 300, intervalMs: 5 },
    podReadyTimeoutMs: 2000,
    ...overrides,
  });
}

/** A scenario that must load: its errors, with file and line, are the test's failure. */
export function loadValid(file: string): Scenario {
  const { scenario, diagnostics } = loadScenario(file);
  if (!scenario) throw new Error(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return scenario;
}
