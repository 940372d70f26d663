import { expect } from 'chai';
import { execa } from 'execa';
import { kindNodes, listKindClusters } from '../../harness/cluster/kind-cluster.js';
import { seconds } from './support.js';

const cli = (...args: string[]) =>
  execa('node', ['bin/netpol-harness.js', ...args], { reject: false, env: { NO_COLOR: '1' } });

/** `cluster up|list|down` through the CLI, on the cheap ptp baseline so the test is about the commands. */
describe('netpol-harness cluster up / list / down', () => {
  const name = `${process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] ?? 'netpol-harness'}-clitest`;
  after(async () => {
    if ((await listKindClusters()).includes(name)) await cli('cluster', 'down', '--name', name);
  });

  it('up makes a 3-node cluster with its CNI ready, shows progress, and prints how to use it', async () => {
    const started = Date.now();
    const up = await cli('cluster', 'up', '--cni', 'ptp', '--nodes', '3', '--name', name);
    console.error(`  cluster up (3 nodes, ptp): exit ${up.exitCode} in ${seconds(Date.now() - started)}`);
    expect(up.exitCode, up.stderr).to.equal(0);
    expect(up.stderr)
      .to.match(/creating kind cluster .*3 node\(s\)/)
      .and.match(/ready after \d+ s/);
    expect(up.stdout).to.contain(`${name}: created`).and.contain(`--context kind-${name}`);
    expect(await kindNodes(name)).to.have.length(3);
  });

  it('list shows it with its CNI and node count', async () => {
    const list = await cli('cluster', 'list');
    expect(list.exitCode).to.equal(0);
    // name, cni, kubernetes, nodes, ...: the Kubernetes column came with --kubernetes (stop 19).
    expect(list.stdout.split('\n').find((l) => l.startsWith(name))).to.match(
      new RegExp(`^${name}\\s+ptp\\s+v1\\.\\d+\\.\\d+\\s+3\\s`),
    );
    const json = await cli('cluster', 'list', '-o', 'json');
    const { clusters } = JSON.parse(json.stdout) as { clusters: Array<{ name: string; cni: string; nodes: number }> };
    expect(clusters.find((c) => c.name === name)).to.include({ cni: 'ptp', nodes: 3 });
  });

  it('the cluster is usable as an existing context: the run says policy is not enforced there', async () => {
    const up = await cli('cluster', 'up', '--cni', 'ptp', '--name', name);
    expect(up.stdout).to.contain('already up');
    const kubeconfig = /--kubeconfig (\S+)/.exec(up.stdout)![1]!;
    const run = await cli(
      'run',
      'scenarios/01-default-deny-ingress.yaml',
      '--context',
      `kind-${name}`,
      '--kubeconfig',
      kubeconfig,
      '--format',
      '',
      '--quiet',
    );
    expect(run.exitCode).to.equal(2);
    expect(run.stdout).to.contain('policy NOT enforced');
  });

  it('down deletes it; a second down has nothing to do', async () => {
    const down = await cli('cluster', 'down', '--name', name);
    expect(down.exitCode, down.stderr).to.equal(0);
    expect(await listKindClusters()).not.to.include(name);
    const again = await cli('cluster', 'down', '--name', name);
    expect(again.exitCode).to.equal(0);
    expect(again.stderr).to.contain(`${name}: no such kind cluster (nothing to do)`);
  });
});
