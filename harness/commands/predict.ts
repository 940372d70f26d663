import { statSync } from 'node:fs';
import { predictScenario, type StepPrediction } from '../engine/predict-step.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import type { Scenario } from '../model/scenario.js';
import { makeStyle } from '../report/console-style.js';
import { renderPrediction } from '../report/predict-text.js';
import { errorsOf, ScenarioError } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { assertNever } from '../util/assert-never.js';
import { expandScenarioPaths, type CommandIO } from './io.js';

export const PREDICT_OUTPUTS = ['table', 'json'] as const;
export type PredictFormat = (typeof PREDICT_OUTPUTS)[number];

/** The JSON shape of `predict --output json` for one scenario (documented in the README). */
export interface PredictJson {
  file: string;
  scenario: string;
  steps: Array<{
    name: string;
    cells: Array<{ from: string; to: string; port: number; protocol: string; allowed: boolean }>;
    dns: Array<{ from: string; name: string; resolves: boolean }>;
  }>;
}

export function predictionJson(scenario: Scenario, steps: readonly StepPrediction[], file: string): PredictJson {
  return {
    file,
    scenario: scenario.name,
    steps: steps.map((p) => ({
      name: p.step.name,
      cells: p.cells.map((c) => ({
        from: c.from.key,
        to: c.to.key,
        port: c.port.port,
        protocol: c.port.protocol,
        allowed: c.predicted,
      })),
      dns: p.dns.map((d) => ({ from: d.from, name: d.name, resolves: d.resolves })),
    })),
  };
}

/** Every scenario or none: one bad file is exit 3 with all the errors, before anything is printed. */
export function loadScenarios(paths: readonly string[], podCidr?: string): Array<{ file: string; scenario: Scenario }> {
  const files = expandScenarioPaths(paths);
  if (files.length === 0) throw new UsageError(`no scenario files (*.yaml, *.yml) in ${paths.join(', ')}`);
  const loaded = files.map((file) => ({ file, ...loadScenario(file, podCidr ? { podCIDR: podCidr } : {}) }));
  const errors = loaded.flatMap((l) => errorsOf(l.diagnostics));
  if (errors.length) throw new ScenarioError(errors);
  return loaded.map((l) => ({ file: l.file, scenario: l.scenario! }));
}

/**
 * As kubectl prints one object for one named resource and a list otherwise: one file argument
 * prints its object, several files or a directory print `{"scenarios": [...]}`.
 */
export function isSingleFile(paths: readonly string[]): boolean {
  if (paths.length !== 1) return false;
  try {
    return !statSync(paths[0]!).isDirectory();
  } catch {
    return true;
  }
}

export function predictCommand(
  paths: readonly string[],
  options: { output: PredictFormat; podCidr?: string },
  io: CommandIO,
  color = false,
): ExitCode {
  const predicted = loadScenarios(paths, options.podCidr).map(({ file, scenario }) => ({
    file,
    scenario,
    steps: predictScenario(scenario),
  }));
  switch (options.output) {
    case 'json': {
      const docs = predicted.map((p) => predictionJson(p.scenario, p.steps, p.file));
      io.out(JSON.stringify(isSingleFile(paths) ? docs[0] : { scenarios: docs }, null, 2));
      break;
    }
    case 'table': {
      const style = makeStyle(color);
      io.out(predicted.map((p) => renderPrediction(p.scenario.name, p.steps, style)).join('\n\n'));
      break;
    }
    default:
      assertNever(options.output, 'output');
  }
  return EXIT.ok;
}
