import type { RunReport, ScenarioRun, StepResult, TargetInfo } from '../model/run-report.js';

/** What is known when a run starts, before any target is up. */
export interface RunStartInfo {
  readonly runId: string;
  readonly startedAt: string;
  /** Target names as requested (`calico`, `staging`), in order. */
  readonly targets: readonly string[];
  readonly scenarios: readonly string[];
}

/** The scenario run a finished step belongs to (its steps are still being produced). */
export type StepContext = Pick<ScenarioRun, 'scenario' | 'file' | 'target'>;

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/**
 * Every hook is optional, as in Playwright's reporters: a reporter listens only to what it needs.
 * Final-file reporters (JSON, JUnit, Markdown, HTML) only implement `onRunEnd`.
 */
export interface Reporter {
  /** Names the reporter in error messages. */
  readonly name: string;
  readonly onRunStart?: Hook<[info: RunStartInfo]>;
  readonly onTargetReady?: Hook<[target: TargetInfo]>;
  readonly onStepDone?: Hook<[run: StepContext, step: StepResult]>;
  readonly onRunEnd?: Hook<[report: RunReport]>;
}

/** A reporter that threw: recorded by the multiplexer, never allowed to stop the run or the others. */
export interface ReporterFailure {
  readonly reporter: string;
  readonly hook: HookName;
  readonly error: unknown;
}

type HookName = 'onRunStart' | 'onTargetReady' | 'onStepDone' | 'onRunEnd';

/**
 * Fans each event out to every reporter, in order. A reporter that throws (or rejects) is recorded
 * and the others still run; the caller reads `failures` (or `describeFailures()`) at the end.
 */
export class ReporterMultiplexer implements Reporter {
  readonly name = 'multiplexer';
  private readonly recorded: ReporterFailure[] = [];

  constructor(private readonly reporters: readonly Reporter[]) {}

  get failures(): readonly ReporterFailure[] {
    return this.recorded;
  }

  onRunStart = (info: RunStartInfo): Promise<void> => this.fanOut('onRunStart', (r) => r.onRunStart?.(info));
  onTargetReady = (target: TargetInfo): Promise<void> => this.fanOut('onTargetReady', (r) => r.onTargetReady?.(target));
  onStepDone = (run: StepContext, step: StepResult): Promise<void> =>
    this.fanOut('onStepDone', (r) => r.onStepDone?.(run, step));
  onRunEnd = (report: RunReport): Promise<void> => this.fanOut('onRunEnd', (r) => r.onRunEnd?.(report));

  /** One line per failure, for the end of the console output; empty when every reporter behaved. */
  describeFailures(): string[] {
    return this.recorded.map((f) => `reporter ${f.reporter} failed in ${f.hook}: ${errorText(f.error)}`);
  }

  private async fanOut(hook: HookName, call: (r: Reporter) => void | Promise<void>): Promise<void> {
    for (const reporter of this.reporters) {
      try {
        await call(reporter);
      } catch (error) {
        this.recorded.push({ reporter: reporter.name, hook, error });
      }
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
