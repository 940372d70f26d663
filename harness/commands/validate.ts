import { predictScenario } from '../engine/predict-step.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { intentMismatches } from '../model/intent-check.js';
import { errorsOf, formatDiagnostic, type Diagnostic } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../model/scenario.js';
import { expandScenarioPaths, type CommandIO } from './io.js';

export interface ValidateOptions {
  readonly podCidr?: string;
  /** How many disagreeing cells to list per step before summarising. */
  readonly maxWarnings?: number;
}

/** Schema and semantic checks, then a warning wherever written intent disagrees with the engine. */
export function validateCommand(paths: readonly string[], options: ValidateOptions, io: CommandIO): ExitCode {
  const files = expandScenarioPaths(paths);
  if (files.length === 0) throw new UsageError(`no scenario files (*.yaml, *.yml) in ${paths.join(', ')}`);
  let failed = 0;
  for (const file of files) {
    const { scenario, diagnostics } = loadScenario(file, options.podCidr ? { podCIDR: options.podCidr } : {});
    const warnings = scenario ? intentWarnings(scenario, options.maxWarnings ?? 10) : [];
    for (const d of [...diagnostics, ...warnings]) io.err(formatDiagnostic(d));
    if (errorsOf(diagnostics).length || !scenario) {
      failed++;
      io.out(`✗ ${file}: ${errorsOf(diagnostics).length} error(s)`);
    } else {
      const warned = warnings.length + diagnostics.length;
      io.out(
        `✓ ${file}: ${scenario.name}, ${scenario.steps.length} step(s), ${scenario.workloads.length} workloads${warned ? `, ${warned} warning(s)` : ''}`,
      );
    }
  }
  if (files.length > 1) io.out(`${files.length - failed} valid, ${failed} invalid`);
  return failed ? EXIT.invalidInput : EXIT.ok;
}

export function intentWarnings(scenario: Scenario, max: number): Diagnostic[] {
  return predictScenario(scenario).flatMap((p) => {
    const mismatches = intentMismatches(p.step.expect, p.cells, p.dns, p.world.endpoints);
    const prefix = scenario.steps.length > 1 ? `step "${p.step.name}": ` : '';
    const shown = mismatches.slice(0, max).map((m): Diagnostic => ({
      ...(m.origin ?? { file: scenario.file, line: 1, col: 1 }),
      severity: 'warning',
      message: `${prefix}${m.description}`,
    }));
    if (mismatches.length > max) {
      shown.push({
        ...(mismatches[max]!.origin ?? { file: scenario.file, line: 1, col: 1 }),
        severity: 'warning',
        message: `${prefix}…and ${mismatches.length - max} more cells where expectations disagree with the engine (see \`predict\`)`,
      });
    }
    return shown;
  });
}
