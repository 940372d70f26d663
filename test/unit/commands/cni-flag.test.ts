/**
 * `--cni cni@version` on `run` and `cluster up|down`: another version the offline kit builds gets a
 * cluster of its own; an unknown CNI or version is exit 3 with the choices, before anything starts.
 */
import { expect } from 'chai';
import { InvalidArgumentError } from 'commander';
import { loadClusterVersions } from '../../../harness/cluster/versions.js';
import { cniRef, cniRefs } from '../../../harness/commands/flags.js';
import { targetRequests, type RunFlags } from '../../../harness/commands/run-options.js';
import { runCli } from '../../support/cli.js';

const CHOICES = { calico: ['v3.31.0'], cilium: ['v1.18.3', 'v1.18.2'], ptp: [] };
const SCENARIO = 'scenarios/01-default-deny-ingress.yaml';
const ciliumDefault = loadClusterVersions().cilium?.imageTag ?? '';

describe('--cni with a version', () => {
  describe('the parser', () => {
    it('takes a CNI alone, or at a version it builds, with or without the v', () => {
      expect(cniRef(CHOICES)('cilium')).to.deep.equal({ cni: 'cilium' });
      expect(cniRef(CHOICES)(' cilium@v1.18.2 ')).to.deep.equal({ cni: 'cilium', version: 'v1.18.2' });
      expect(cniRef(CHOICES)('cilium@1.18.2')).to.deep.equal({ cni: 'cilium', version: 'v1.18.2' });
    });

    it('reads the default version written out as the CNI alone, so a list names each cluster once', () => {
      expect(cniRef(CHOICES)('cilium@v1.18.3')).to.deep.equal({ cni: 'cilium' });
      expect(cniRefs(CHOICES)('cilium,cilium@v1.18.3,calico,cilium@v1.18.2')).to.deep.equal([
        { cni: 'cilium' },
        { cni: 'calico' },
        { cni: 'cilium', version: 'v1.18.2' },
      ]);
    });

    it('refuses an unknown CNI or version, listing the choices and the default', () => {
      expect(() => cniRef(CHOICES)('flannel@v1'))
        .to.throw(InvalidArgumentError)
        .with.property('message', 'Unknown CNI "flannel" (choose from calico, cilium, ptp).');
      expect(() => cniRef(CHOICES)('cilium@v1.17.9')).to.throw(
        'Unknown cilium version "v1.17.9" (choose from v1.18.3 (default), v1.18.2; clusters/versions.yaml lists them).',
      );
      expect(() => cniRef(CHOICES)('ptp@v1.0.0')).to.throw('ptp has no versions to choose from, got "ptp@v1.0.0".');
      expect(() => cniRefs(CHOICES)(' , ')).to.throw('Give at least one of calico, cilium, ptp.');
    });
  });

  describe('run', () => {
    const flags = (extra: Partial<RunFlags>): RunFlags =>
      ({
        reportDir: 'r',
        format: [],
        output: 'text',
        connectTimeout: 1,
        slowAfter: 5,
        concurrency: 1,
        ...extra,
      }) as RunFlags;

    it('asks for each CNI at its version (none for the default), at each Kubernetes version', () => {
      const cni = [{ cni: 'cilium' }, { cni: 'cilium', version: 'v1.18.2' }];
      expect(targetRequests(flags({ cni, kubernetes: ['v1.35.4'] }))).to.deep.equal([
        { kind: 'kind', cni: 'cilium', kubernetesVersion: 'v1.35.4', keep: false },
        { kind: 'kind', cni: 'cilium', cniVersion: 'v1.18.2', kubernetesVersion: 'v1.35.4', keep: false },
      ]);
    });

    const refused: Array<[string, string[], RegExp]> = [
      [
        'run with an unknown Cilium version',
        ['run', SCENARIO, '--cni', 'cilium@v1.17.9'],
        /Unknown cilium version "v1.17.9"/,
      ],
      [
        'run with a version of a CNI the kit does not build',
        ['run', SCENARIO, '--cni', 'ptp@v1.0.0'],
        /ptp has no versions/,
      ],
      ['cluster up with an unknown version', ['cluster', 'up', '--cni', 'cilium@v1.0.0'], /Unknown cilium version/],
      [
        'cluster down with an unknown version',
        ['cluster', 'down', '--cni', 'calico@v3.30.0'],
        /Unknown calico version/,
      ],
    ];
    for (const [name, argv, says] of refused)
      it(`refuses ${name} with exit 3, before anything starts`, async () => {
        const result = await runCli(argv);
        expect(result.code).to.equal(3);
        expect(result.err).to.match(says);
        expect(result.err).not.to.contain('    at ');
      });

    it("lists the kit's extra versions in --help", async () => {
      const help = await runCli(['cluster', 'up', '--help']);
      const extra = loadClusterVersions().cilium?.extraVersions?.[0]?.version ?? '';
      expect(help.out + help.err).to.contain(`cilium@${extra}`);
      expect(ciliumDefault).to.not.equal(extra);
    });
  });
});
