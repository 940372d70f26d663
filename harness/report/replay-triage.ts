/**
 * The triage of a replay: for a scenario captured by `snapshot --observed`, which targets reproduce
 * what production did (the cells its observed matrix asserts), and for each cell where one does
 * not, what production, each target and the spec say. Where the spec sides with production, the
 * target deviates from the spec; where it sides with the target, production is decided by
 * something its NetworkPolicies do not say (a policy of another kind, a CNI setting, something the
 * snapshot could not carry). With `explain`, the engine's rule-by-rule explanation of each such
 * cell follows (which policy and rule decide it). Pure.
 */
import { explainCell, type Explanation } from '../engine/explain.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { blockedAgainstSpecHint } from './cni-hints.js';
import { predictStep } from '../engine/predict-step.js';
import type { CellResult, RunReport, ScenarioRun } from '../model/run-report.js';
import type { Scenario } from '../model/scenario.js';
import type { Style } from './console-style.js';
import { renderExplanation } from './explain-text.js';

export interface TriageOptions {
  readonly explain: boolean;
  readonly style: Style;
}

export function replayTriage(report: RunReport, scenarios: readonly Scenario[], options: TriageOptions): string[] {
  const cniOf = (target: string) => report.targets?.find((t) => t.name === target)?.cni;
  return scenarios
    .filter((s) => s.environment)
    .flatMap((s) =>
      triageOne(
        s,
        report.runs.filter((r) => r.file === s.file),
        { ...options, cniOf },
      ),
    );
}

interface TriageContext extends TriageOptions {
  readonly cniOf: (target: string) => string | undefined;
}

const said = (c: Pick<CellResult, 'observed'>) => (c.observed === 'allowed' ? 'allowed' : blockedOr(c.observed));
const blockedOr = (o: string) => (o === 'refused' || o === 'dropped' ? 'blocked' : o);
const cellKey = (step: string, c: CellResult) =>
  `${step}\0${c.from}\0${c.to}\0${c.port}/${c.protocol}\0${c.via ?? ''}\0${c.service ?? ''}`;

function triageOne(scenario: Scenario, runs: readonly ScenarioRun[], options: TriageContext): string[] {
  const env = scenario.environment!;
  const lines = [
    options.style.bold(
      `Triage: ${scenario.file}, captured from ${env.context ?? 'a cluster'}` +
        `${env.cni?.length ? ` (${env.cni.join(', ')})` : ''}`,
    ),
  ];
  // The cells production's observed matrix asserts, per run.
  const observed = new Map(
    runs.map((r) => [
      r,
      r.steps.flatMap((s) => s.cells.filter((c) => c.expectationSource === 'matrix').map((c) => ({ step: s.name, c }))),
    ]),
  );
  if ([...observed.values()].every((cells) => cells.length === 0)) {
    lines.push(
      '  no observed matrix (snapshot without --observed): this replay checks the prediction only, ' +
        'not what production did',
    );
    return lines;
  }
  const reproducing: string[] = [];
  const differing = new Map<string, { step: string; cell: CellResult; byTarget: Map<string, CellResult> }>();
  for (const run of runs) {
    if (run.error) {
      lines.push(`  ${run.target}: could not replay it (${run.error})`);
      continue;
    }
    const cells = observed.get(run)!;
    const off = cells.filter(({ c }) => c.verdict !== 'pass');
    if (off.length === 0) reproducing.push(`${run.target} (all ${cells.length} cells)`);
    for (const { step, c } of off) {
      const key = cellKey(step, c);
      const entry = differing.get(key) ?? { step, cell: c, byTarget: new Map<string, CellResult>() };
      entry.byTarget.set(run.target, c);
      differing.set(key, entry);
    }
  }
  const targets = runs.filter((r) => !r.error).map((r) => r.target);
  lines.push(
    reproducing.length
      ? `  production's behaviour is reproduced by: ${reproducing.join(', ')}`
      : `  ${options.style.red('no target reproduces it')}: look at what the replay could not copy ` +
          '(the warnings above, metadata.environment)',
  );
  for (const target of targets) {
    const n = [...differing.values()].filter((d) => d.byTarget.has(target)).length;
    const of = runs.filter((r) => r.target === target).reduce((sum, r) => sum + observed.get(r)!.length, 0);
    if (n) lines.push(`  ${target} differs on ${n} of ${of} observed cells`);
  }
  const explain = explainer(scenario);
  for (const d of differing.values()) lines.push(...differingCell(d, targets, explain, options));
  return lines;
}

function differingCell(
  d: { step: string; cell: CellResult; byTarget: ReadonlyMap<string, CellResult> },
  targets: readonly string[],
  explain: Explainer,
  options: TriageContext,
): string[] {
  const { cell } = d;
  const production = cell.expected === 'allow' ? 'allowed' : 'blocked';
  const spec = cell.predicted ? 'allowed' : 'blocked';
  const each = targets.map((t) => `${t} ${d.byTarget.has(t) ? said(d.byTarget.get(t)!) : production}`);
  const lines = [
    `  ${cell.from} -> ${cell.to} ${cell.port}/${cell.protocol}${cell.via ? ` via ${cell.via}` : ''}: ` +
      `production ${production}, ${each.join(', ')}; ` +
      `the spec: ${spec}`,
  ];
  const off = [...d.byTarget.keys()].join(', ');
  const reasons = [...new Set([...d.byTarget.values()].flatMap((c) => (c.deviationReason ? [c.deviationReason] : [])))];
  const explained = explain(d.step, cell);
  if (spec === production) {
    lines.push(
      `    ${off} deviate(s) from the spec here${reasons.length ? ` (known: ${reasons.join('; ')})` : ''}; ` +
        'production follows it',
    );
    for (const [target, c] of d.byTarget) {
      const hint =
        explained && c.observed !== 'allowed'
          ? blockedAgainstSpecHint(options.cniOf(target), explained.explanation, explained.policies)
          : undefined;
      if (hint) lines.push(`    ${target}: ${hint}`);
    }
  } else
    lines.push(
      '    production does not do what its NetworkPolicies say here: a policy of another kind, a CNI setting ' +
        'or something the snapshot could not carry decides it (metadata.environment)',
    );
  if (options.explain && explained)
    lines.push(
      ...renderExplanation(explained.explanation, d.step, explained.policies, options.style)
        .split('\n')
        .map((l) => `      ${l}`),
    );
  return lines;
}

type Explainer = (
  stepName: string,
  cell: CellResult,
) => { explanation: Explanation; policies: readonly NetworkPolicy[] } | undefined;

/** The engine's explanation of a cell, with the step's world and policies worked out once per step. */
function explainer(scenario: Scenario): Explainer {
  const steps = new Map<string, ReturnType<typeof predictStep> | undefined>();
  return (stepName, cell) => {
    if (!steps.has(stepName)) {
      const step = scenario.steps.find((s) => s.name === stepName);
      steps.set(stepName, step ? predictStep(scenario, step) : undefined);
    }
    const predicted = steps.get(stepName);
    if (!predicted) return undefined;
    const { world, policies } = predicted;
    const from = world.endpoints.find((e) => e.key === cell.from);
    const to = world.endpoints.find((e) => e.key === cell.to);
    const port = to?.ports.find((p) => p.port === cell.port && p.protocol === cell.protocol);
    if (!from || !to || !port) return undefined;
    return { explanation: explainCell(world, policies, from, to, port), policies };
  };
}
