import { ScenarioError } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../model/scenario.js';

/** Load a scenario for a command that needs a valid one; bad input becomes a ScenarioError (exit 3). */
export function loadValidScenario(file: string, podCidr?: string): Scenario {
  const { scenario, diagnostics } = loadScenario(file, podCidr ? { podCIDR: podCidr } : {});
  if (!scenario) throw new ScenarioError(diagnostics);
  return scenario;
}
