/**
 * `run` refuses every bad flag value with exit 3 before loading a cluster, naming the flag and the
 * valid choices; the defaults a user sees in --help are the ones the run uses.
 */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { settingsFromFlags, type RunFlags } from '../../harness/commands/run-options.js';
import { defaultSettings, RUN_DEFAULTS } from '../../harness/run/settings.js';
import { buildProgram } from '../../harness/cli.js';

const SCENARIO = 'scenarios/05-frontend-to-backend-one-port.yaml';

const cli = (...argv: string[]) => runCli(argv);

describe('run refuses bad flag values with exit 3, listing the valid choices', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an unknown CNI',
      ['--cni', 'flannel'],
      /'--cni <list>' argument 'flannel' is invalid\. Unknown CNI "flannel" \(choose from calico, cilium, ptp, kindnet\)/,
    ],
    ['one unknown CNI in a list', ['--cni', 'calico,weave'], /Unknown CNI "weave"/],
    ['an empty CNI list', ['--cni', ','], /Give at least one of calico/],
    [
      'a negative connect timeout',
      ['--cni', 'calico', '--connect-timeout', '-1'],
      /Must be a positive number, got "-1"/,
    ],
    [
      'a zero converge timeout',
      ['--cni', 'calico', '--converge-timeout', '0'],
      /--converge-timeout.*Must be a positive number/,
    ],
    ['a non-numeric slow-after', ['--cni', 'calico', '--slow-after', 'soon'], /--slow-after.*got "soon"/],
    ['a fractional concurrency', ['--cni', 'calico', '--concurrency', '1.5'], /Must be a whole number from 1 to 64/],
    [
      'an unknown report format',
      ['--cni', 'calico', '--format', 'json,pdf'],
      /Unknown "pdf" \(choose from json, junit, markdown, html\)/,
    ],
    ['an unknown prober', ['--cni', 'calico', '--prober', 'nc'], /Allowed choices are batch, tools/],
    ['an unknown console output', ['--cni', 'calico', '-o', 'yaml'], /Allowed choices are text, json/],
    ['no target at all', [], /say where to run: --cni calico,cilium,ptp,kindnet/],
  ];
  for (const [name, flags, says] of cases) {
    it(`refuses ${name}`, async () => {
      const result = await cli('run', SCENARIO, ...flags);
      expect(result.code).to.equal(3);
      expect(result.err).to.match(says);
      expect(result.err).not.to.contain('    at ');
    });
  }
});

describe('run settings come from one place', () => {
  function parsedFlags(...argv: string[]): RunFlags {
    let flags: RunFlags | undefined;
    const program = buildProgram({ out: () => undefined, err: () => undefined }, () => undefined);
    const run = program.commands.find((c) => c.name() === 'run')!;
    run.action((_paths: string[], f: RunFlags) => {
      flags = f;
    });
    program.parse(['run', SCENARIO, '--cni', 'calico', ...argv], { from: 'user' });
    return flags!;
  }
  const signal = new AbortController().signal;
  const image = { image: 'probe:test', pullPolicy: 'IfNotPresent' } as const;

  it('with no flags, the CLI gives the run exactly the defaults tests and benchmarks get', () => {
    const fromCli = settingsFromFlags(parsedFlags(), 'r1', image, signal);
    expect({ ...fromCli, signal: undefined }).to.deep.equal({ ...defaultSettings('r1', { image }), signal: undefined });
    expect(fromCli.timeouts.connectSeconds).to.equal(RUN_DEFAULTS.connectTimeoutSeconds);
  });
  it('--connect-timeout reaches the probe timeouts (the whole probe gets twice the connect timeout)', () => {
    const s = settingsFromFlags(parsedFlags('--connect-timeout', '2.5'), 'r1', image, signal);
    expect(s.timeouts).to.deep.equal({ connectSeconds: 2.5, totalSeconds: 5 });
  });
  it('seconds become milliseconds once, here', () => {
    const s = settingsFromFlags(
      parsedFlags('--converge-timeout', '30', '--slow-after', '2', '--concurrency', '3', '--fresh-pods'),
      'r1',
      image,
      signal,
    );
    expect([s.converge.timeoutMs, s.slowAfterMs, s.scenarioConcurrency, s.reusePods]).to.deep.equal([
      30_000,
      2000,
      3,
      false,
    ]);
  });
  it('the convergence window covers the slowest CNI asked for, unless --converge-timeout says otherwise', () => {
    const window = (...args: string[]) =>
      settingsFromFlags(parsedFlags(...args), 'r1', image, signal).converge.timeoutMs;
    expect(window('--cni', 'calico')).to.equal(15_000);
    // Cilium's identity delay (cilium/cilium#38031): relabelled pods settle 15 to 33 s after their step.
    expect(window('--cni', 'cilium')).to.equal(45_000);
    expect(window('--cni', 'calico,cilium')).to.equal(45_000);
    expect(window('--cni', 'cilium', '--converge-timeout', '20')).to.equal(20_000);
  });
  it("--format '' writes no report files (an empty CNI list is still refused)", () => {
    expect(parsedFlags('--format', '').format).to.deep.equal([]);
  });
  it('--help shows the defaults the run uses', async () => {
    const help = await cli('run', '--help');
    expect(help.out).to.match(/--connect-timeout <seconds>.*\(default: 1\)/s);
    expect(help.out).to.match(/--converge-timeout <seconds>.*\(seconds; default: 15, 45 with --cni\s+cilium\)/s);
  });
});
