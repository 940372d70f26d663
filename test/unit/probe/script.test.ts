import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { probeArgv, reproduceCommand, shellQuote } from '../../../harness/probe/commands.js';
import { parseProbeOutput, renderProbeScript } from '../../../harness/probe/script.js';
import { probeTimeouts } from '../../../harness/run/settings.js';

describe('the batched probe script', () => {
  it('runs every probe concurrently in sh and reports each exit code and output on its own line', () => {
    const script = renderProbeScript(
      [
        { id: 3, argv: ['sh', '-c', 'echo "two\nlines"; exit 0'] },
        { id: 7, argv: ['sh', '-c', 'echo tab\there >&2; exit 28'] },
        { id: 9, argv: ['false'] },
      ],
      2,
      probeTimeouts(1),
    );
    const results = parseProbeOutput(execFileSync('sh', ['-c', script], { encoding: 'utf8' }));
    expect(results.get(3)).to.deep.equal({ id: 3, exitCode: 0, output: 'two lines' });
    expect(results.get(7)).to.deep.equal({ id: 7, exitCode: 28, output: 'tab here' });
    expect(results.get(9)?.exitCode).to.equal(1);
  });
  it('waits between waves so a pod never runs more than `parallel` probes at once', () => {
    const script = renderProbeScript(
      Array.from({ length: 5 }, (_, id) => ({ id, argv: ['true'] })),
      2,
      probeTimeouts(1),
    );
    expect(script.split('\n').filter((l) => l === 'wait')).to.have.length(3);
  });
  it('ignores lines that are not probe results', () => {
    expect(parseProbeOutput('noise\n@@np\tx\t1\tbad id\n@@np\t1\t0\tok\n').size).to.equal(1);
  });
});

describe('probe commands', () => {
  it('TCP uses curl with the connect timeout and prints the HTTP status', () => {
    expect(
      probeArgv({ kind: 'connect', ip: '10.0.0.1', port: 80, protocol: 'TCP' }, probeTimeouts(1)),
    ).to.include.members(['curl', '--connect-timeout', '1', 'http://10.0.0.1:80/']);
  });
  it('IPv6 targets are bracketed', () => {
    expect(probeArgv({ kind: 'connect', ip: 'fd00::1', port: 53, protocol: 'UDP' }, probeTimeouts(1)).at(-1)).to.equal(
      '[fd00::1]:53',
    );
  });
  it('the reproduce line is a copy-pasteable kubectl exec', () => {
    const argv = probeArgv({ kind: 'connect', ip: '10.0.0.1', port: 80, protocol: 'TCP' }, probeTimeouts(1));
    const line = reproduceCommand('shop-r1', 'frontend', argv, 'kind-calico');
    expect(line).to.match(/^kubectl --context kind-calico exec -n shop-r1 frontend -- curl /);
    expect(line).to.contain(`'\\nHTTP %{http_code}'`);
    expect(shellQuote("it's")).to.equal(`'it'\\''s'`);
  });
});
