import { predictScenario } from '../engine/predict-step.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import { intentMismatches } from '../model/intent-check.js';
import type { Scenario } from '../model/scenario.js';
import { makeStyle } from '../report/console-style.js';
import {
  diagnosticLine,
  fileLine,
  fileStatus,
  githubLines,
  summaryLine,
  validateJson,
  type FileCheck,
  type ValidateOutput,
} from '../report/diagnostics-output.js';
import type { Diagnostic } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { loadIntent } from '../scenario/intent.js';
import { loadClassMap } from '../scenario/class-map.js';
import { readTextFile } from '../scenario/files.js';
import { assertNever } from '../util/assert-never.js';
import { expandScenarioPaths, type CommandIO } from './io.js';

export interface ValidateOptions {
  readonly podCidr?: string;
  /** Warnings fail the file (exit 1), as kubeconform's and conftest's --strict. */
  readonly strict?: boolean;
  readonly output?: ValidateOutput;
  /** How many disagreeing cells to list per step before summarising. */
  readonly maxWarnings?: number;
}

/** Colour per stream: each is decided from its own TTY and NO_COLOR by the CLI. */
export interface StreamColors {
  readonly out: boolean;
  readonly err: boolean;
}

const NO_COLOR: StreamColors = { out: false, err: false };

/**
 * Schema and semantic checks, then a warning wherever written intent disagrees with the engine.
 * Exit 3 when a file has errors; with --strict, 1 when warnings are all there is; else 0.
 */
export function validateCommand(
  paths: readonly string[],
  options: ValidateOptions,
  io: CommandIO,
  colors: StreamColors = NO_COLOR,
): ExitCode {
  const files = expandScenarioPaths(paths);
  if (files.length === 0) throw new UsageError(`no scenario files (*.yaml, *.yml) in ${paths.join(', ')}`);
  const strict = options.strict ?? false;
  const output = options.output ?? 'text';
  const checks: FileCheck[] = [];
  for (const file of files) {
    const check = checkFile(file, options);
    checks.push(check);
    // Text goes out file by file, so a long directory shows progress as it is checked.
    if (output === 'text') printText(check, strict, io, colors);
  }
  switch (output) {
    case 'text':
      if (files.length > 1) io.out(summaryLine(checks, strict));
      break;
    case 'json':
      io.out(JSON.stringify(validateJson(checks, strict), null, 2));
      break;
    case 'github':
      for (const line of githubLines(checks, strict, makeStyle(false))) io.out(line);
      break;
    default:
      assertNever(output, 'output');
  }
  return exitCode(checks, strict);
}

/** `check`'s inputs are validated too: an Intent (`--expect`) or a ClassMap (`--map`), by their kind line. */
function checkInputFile(file: string): FileCheck | undefined {
  const read = readTextFile(file);
  const kind = 'text' in read ? /^kind:\s*(Intent|ClassMap)\s*(#.*)?$/m.exec(read.text)?.[1] : undefined;
  if (kind === 'Intent') {
    const { intent, diagnostics } = loadIntent(file);
    return { file, diagnostics, ...(intent ? { scenario: { name: intent.name, steps: 0, workloads: 0, kind } } : {}) };
  }
  if (kind === 'ClassMap') {
    const { map, diagnostics } = loadClassMap(file);
    const contexts = map ? Object.keys(map.contexts).join(', ') || 'no context' : '';
    return { file, diagnostics, ...(map ? { scenario: { name: contexts, steps: 0, workloads: 0, kind } } : {}) };
  }
  return undefined;
}

function checkFile(file: string, options: ValidateOptions): FileCheck {
  const input = checkInputFile(file);
  if (input) return input;
  const { scenario, diagnostics } = loadScenario(file, options.podCidr ? { podCIDR: options.podCidr } : {});
  const warnings = scenario ? intentWarnings(scenario, options.maxWarnings ?? 10) : [];
  return {
    file,
    diagnostics: [...diagnostics, ...warnings],
    ...(scenario
      ? { scenario: { name: scenario.name, steps: scenario.steps.length, workloads: scenario.workloads.length } }
      : {}),
  };
}

function printText(check: FileCheck, strict: boolean, io: CommandIO, colors: StreamColors): void {
  const errStyle = makeStyle(colors.err);
  for (const d of check.diagnostics) io.err(diagnosticLine(d, errStyle));
  io.out(fileLine(check, strict, makeStyle(colors.out)));
}

function exitCode(checks: readonly FileCheck[], strict: boolean): ExitCode {
  if (checks.some((c) => !c.scenario || c.diagnostics.some((d) => d.severity === 'error'))) return EXIT.invalidInput;
  return checks.some((c) => fileStatus(c, strict) === 'invalid') ? EXIT.mismatch : EXIT.ok;
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
        message:
          `${prefix}…and ${mismatches.length - max} more cells ` +
          'where expectations disagree with the engine (see `predict`)',
      });
    }
    return shown;
  });
}
