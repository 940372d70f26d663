import { expect } from 'chai';
import type { RunReport } from '../../../harness/model/run-report.js';
import { ConsoleReporter, renderConsole } from '../../../harness/report/console.js';
import { sampleReport } from '../../support/sample-report.js';
import { expectGolden } from './golden.js';

const plain = { color: false, quiet: false };

/** The sample with every failure, error and unenforcing target taken out. */
function allGreen(): RunReport {
  const r = sampleReport();
  const calico = r.runs.find((run) => run.target === 'calico' && run.scenario === 'frontend-isolation')!;
  return {
    ...r,
    targets: r.targets.slice(0, 1),
    runs: [{ ...calico, steps: calico.steps.slice(0, 1) }],
    divergences: [],
  };
}

describe('console reporter', () => {
  it('matches the golden summary (colour off)', () => {
    expectGolden('console.txt', renderConsole(sampleReport(), plain));
  });

  it('matches the golden quiet summary', () => {
    expectGolden('console-quiet.txt', renderConsole(sampleReport(), { color: false, quiet: true }));
  });

  it('lists every target with what it is and whether the canary showed policy enforced, with the evidence when not', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.match(/calico +kind cluster, CNI calico, Kubernetes v1\.31\.2 +policy enforced/);
    expect(text).to.include(
      'kindnet  kind cluster, CNI kindnet, Kubernetes v1.31.2  policy NOT enforced: default-deny in place, yet canary/client -> canary/server 80/TCP was allowed',
    );
  });

  it('prints one line per scenario x target x step with counts and convergence, and the errored scenario', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.match(
      /frontend-isolation +calico +isolate-backend +13 +1 +0 +1 +6 +settled after 7\.2s \(8 rounds\), 2 slow/,
    );
    expect(text).to.match(
      /frontend-isolation +cilium +isolate-backend +13 +2 +0 +0 +6 +settled after 2\.9s \(5 rounds\)/,
    );
    expect(text).to.match(/ipblock-pod-cidr +cilium +except-a +1 +0 +1 +0 +2/);
    expect(text).to.match(
      /ipblock-pod-cidr +calico +\(could not run\).*ERROR: pods not Ready after 120s: net\/b ImagePullBackOff/,
    );
  });

  it('draws only the failing ports, with a legend, and flags failing cells with !', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.include('!  after a mark: this cell FAILED');
    const calico = text.slice(
      text.indexOf('FAIL frontend-isolation on calico'),
      text.indexOf('FAIL frontend-isolation on cilium'),
    );
    expect(calico).to.include('port 80/TCP').and.not.include('port 81/UDP');
    expect(calico).to.match(/other\/client {2}\. +X! +\./);
    expect(text).to.match(/other\/client {2}\. +\.! +\./);
  });

  it('explains each failing cell: expected / predicted / observed, whose fault, evidence and the kubectl exec line', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.include('x other/client -> shop/backend 81/UDP: expected deny, predicted deny, observed allowed');
    expect(text).to.include(
      'cluster fault: the cluster does not do what the spec says (by the spec this is denied, yet it was allowed)',
    );
    expect(text).to.include(
      'policy fault: your policy does not do what you expect (by the spec your policies deny this, and the cluster agrees)',
    );
    expect(text).to.include(
      'reproduce: kubectl --context kind-netpol-cilium exec -n other-7f3a client -- /agnhost connect --protocol=udp --timeout=1s 10.244.1.12:81',
    );
  });

  it('tables the divergences with one column per target that ran', () => {
    const text = renderConsole(sampleReport(), plain);
    expect(text).to.match(/scenario +step +from +to +port +predicted +calico +cilium\n/);
    expect(text).to.match(
      /frontend-isolation +isolate-backend +other\/client +shop\/backend +81\/UDP +deny +dropped +allowed/,
    );
  });

  it('ends with a summary line that separates policy faults from cluster faults', () => {
    const last = renderConsole(sampleReport(), plain).trimEnd().split('\n').at(-1)!;
    expect(last).to.match(/^FAILED 3 targets, 4 scenario runs \(1 errored\), 88 cells; 57 pass, 3 fail/);
    expect(last).to.include(
      '2 policy faults (your policy does not do what you expect); 1 cluster fault (the cluster does not do what the spec says)',
    );
    expect(last).to.include('1 target NOT enforcing policy');
  });

  it('quiet prints only failures and the summary', () => {
    const text = renderConsole(sampleReport(), { color: false, quiet: true });
    expect(text).to.not.include('Results').and.not.include('calico   kind cluster').and.not.include('Divergences');
    expect(text)
      .to.include('FAIL frontend-isolation on cilium')
      .and.include('ERROR ipblock-pod-cidr on calico')
      .and.include('policy NOT enforced');
    expect(renderConsole(allGreen(), { color: false, quiet: true })).to.match(
      /^PASSED 1 target, 1 scenario run, 21 cells; 15 pass, 0 fail/,
    );
  });

  it('colours only when asked', () => {
    expect(renderConsole(sampleReport(), plain)).to.not.include('\x1b[');
    const coloured = renderConsole(sampleReport(), { color: true, quiet: false });
    expect(coloured).to.include('\x1b[31m\x1b[1mX!\x1b[22m\x1b[39m');
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
    expect(coloured.replace(sgr, '')).to.equal(renderConsole(sampleReport(), plain));
  });

  it('a clean run has no failures section and passes', () => {
    const text = renderConsole(allGreen(), plain);
    expect(text).to.not.include('Failures').and.not.include('Divergences');
    expect(text).to.match(/\nPASSED /);
  });

  it('as a reporter: progress per target and step, then the summary; quiet keeps only the summary', () => {
    const out: string[] = [];
    const r = sampleReport();
    const reporter = new ConsoleReporter((t) => out.push(t), plain);
    reporter.onTargetReady(r.targets[2]!);
    reporter.onStepDone(r.runs[1]!, r.runs[0]!.steps[1]!);
    reporter.onRunEnd(r);
    expect(out[0]).to.match(
      /^target kindnet ready: kind cluster, CNI kindnet, Kubernetes v1\.31\.2; policy NOT enforced/,
    );
    expect(out[1]).to.equal(
      'calico ipblock-pod-cidr / isolate-backend: 13 pass, 1 fail, settled after 7.2s (8 rounds), 2 slow\n',
    );
    expect(out[2]).to.equal(renderConsole(r, plain));
    const quiet: string[] = [];
    const q = new ConsoleReporter((t) => quiet.push(t), { color: false, quiet: true });
    q.onTargetReady(r.targets[0]!);
    q.onStepDone(r.runs[0]!, r.runs[0]!.steps[0]!);
    expect(quiet).to.deep.equal([]);
  });
});
