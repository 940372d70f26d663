import { predictScenario, type StepPrediction } from '../engine/predict-step.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Scenario } from '../model/scenario.js';
import { predictionTables, renderTable } from '../report/matrix-text.js';
import type { CommandIO } from './io.js';
import { loadValidScenario } from './load-or-fail.js';

export type PredictFormat = 'json' | 'table';

/** The JSON shape of `predict --output json` (documented in the README). */
export interface PredictJson {
  scenario: string;
  steps: Array<{
    name: string;
    cells: Array<{ from: string; to: string; port: number; protocol: string; allowed: boolean }>;
    dns: Array<{ from: string; name: string; resolves: boolean }>;
  }>;
}

export function predictionJson(scenario: Scenario, steps: readonly StepPrediction[]): PredictJson {
  return {
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

export function predictCommand(
  file: string,
  options: { output: PredictFormat; podCidr?: string },
  io: CommandIO,
): ExitCode {
  const scenario = loadValidScenario(file, options.podCidr);
  const steps = predictScenario(scenario);
  if (options.output === 'json') {
    io.out(JSON.stringify(predictionJson(scenario, steps), null, 2));
    return EXIT.ok;
  }
  const blocks = steps.map((p) => {
    const dns = p.dns.map((d) => ({ from: d.from, to: d.name }));
    const dnsTable = renderTable(dns, (i) => (p.dns[i]!.resolves ? '.' : 'X'), 'dns');
    return [`step ${p.step.name}`, predictionTables(p.cells), dnsTable].join('\n\n');
  });
  io.out([`scenario ${scenario.name} (engine prediction; . allowed, X blocked)`, ...blocks].join('\n\n'));
  return EXIT.ok;
}
