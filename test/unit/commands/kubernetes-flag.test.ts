/**
 * `--kubernetes` on `run` and `cluster up|down`: a bad or unknown version is exit 3 with the choices
 * before anything starts; a listed version whose node image is not built is a target error (exit 2)
 * naming the kit command that builds it.
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { kubernetesVersion, kubernetesVersions } from '../../../harness/commands/flags.js';
import { targetRequests, type RunFlags } from '../../../harness/commands/run-options.js';
import { runCli } from '../../support/cli.js';

const SCENARIO = 'scenarios/01-default-deny-ingress.yaml';
const CHOICES = ['v1.34.4', 'v1.33.13', 'v1.35.4'];

describe('--kubernetes', () => {
  describe('the parser', () => {
    it('takes a listed version, with or without its v', () => {
      expect(kubernetesVersion(CHOICES)('v1.35.4')).to.equal('v1.35.4');
      expect(kubernetesVersion(CHOICES)(' 1.33.13 ')).to.equal('v1.33.13');
      expect(kubernetesVersions(CHOICES)('v1.35.4,1.33.13,v1.35.4')).to.deep.equal(['v1.35.4', 'v1.33.13']);
    });

    it('refuses a malformed or unlisted version, listing the choices and the default', () => {
      expect(() => kubernetesVersion(CHOICES)('1.35'))
        .to.throw(InvalidArgumentError)
        .with.property(
          'message',
          '"1.35" is not a Kubernetes version like v1.34.4 (choose from v1.34.4 (default), v1.33.13, v1.35.4).',
        );
      expect(() => kubernetesVersion(CHOICES)('v1.36.3')).to.throw(
        /Unknown Kubernetes version "v1.36.3" \(choose from/,
      );
      expect(() => kubernetesVersions(CHOICES)(',')).to.throw(/Give at least one of v1.34.4/);
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
        prober: 'batch',
        ...extra,
      }) as RunFlags;

    it('brings up each --cni at each version; without it, the default version (no version on the request)', () => {
      expect(
        targetRequests(flags({ cni: [{ cni: 'calico' }, { cni: 'cilium' }], kubernetes: ['v1.35.4', 'v1.33.13'] })),
      ).to.deep.equal([
        { kind: 'kind', cni: 'calico', kubernetesVersion: 'v1.35.4', keep: false },
        { kind: 'kind', cni: 'calico', kubernetesVersion: 'v1.33.13', keep: false },
        { kind: 'kind', cni: 'cilium', kubernetesVersion: 'v1.35.4', keep: false },
        { kind: 'kind', cni: 'cilium', kubernetesVersion: 'v1.33.13', keep: false },
      ]);
      expect(targetRequests(flags({ cni: [{ cni: 'calico' }] }))).to.deep.equal([
        { kind: 'kind', cni: 'calico', keep: false },
      ]);
    });

    const refused: Array<[string, string[], RegExp]> = [
      [
        'an unknown version',
        ['--cni', 'calico', '--kubernetes', 'v1.99.0'],
        /Unknown Kubernetes version "v1.99.0" \(choose from v1.34.4 \(default\), .*v1.35.4/,
      ],
      ['a malformed version', ['--cni', 'calico', '--kubernetes', 'latest'], /"latest" is not a Kubernetes version/],
      [
        'a version without a kind cluster to apply to',
        ['--context', 'prod', '--kubernetes', 'v1.35.4'],
        /--kubernetes picks the version of --cni kind clusters/,
      ],
    ];
    for (const [name, argv, says] of refused)
      it(`refuses ${name} with exit 3, before anything starts`, async () => {
        const result = await runCli(['run', SCENARIO, ...argv]);
        expect(result.code).to.equal(3);
        expect(result.err).to.match(says);
        expect(result.err).not.to.contain('    at ');
      });
  });

  describe('cluster up and down', () => {
    const refused: Array<[string, string[], RegExp]> = [
      [
        'up with an unknown version',
        ['up', '--cni', 'calico', '--kubernetes', 'v1.30.0'],
        /Unknown Kubernetes version "v1.30.0"/,
      ],
      [
        'down with a malformed version',
        ['down', '--cni', 'calico', '--kubernetes', 'v1'],
        /"v1" is not a Kubernetes version/,
      ],
      [
        'down with both a name and a version',
        ['down', '--name', 'x', '--kubernetes', 'v1.35.4'],
        /--kubernetes goes with --cni/,
      ],
    ];
    for (const [name, argv, says] of refused)
      it(`refuses ${name} with exit 3`, async () => {
        const result = await runCli(['cluster', ...argv]);
        expect(result.code).to.equal(3);
        expect(result.err).to.match(says);
        expect(result.err).not.to.contain('    at ');
      });
  });

  describe('a listed version whose node image is not built', () => {
    const saved = { ...process.env };
    let dir = '';
    before(() => {
      // A docker that has no images and a kind with no clusters: nothing real is touched.
      dir = mkdtempSync(path.join(tmpdir(), 'nph-k8s-'));
      mkdirSync(path.join(dir, 'bin'));
      const script = (name: string, body: string) => {
        writeFileSync(path.join(dir, 'bin', name), `#!/bin/sh\n${body}\n`);
        chmodSync(path.join(dir, 'bin', name), 0o755);
      };
      script('docker', 'echo "Error response from daemon: No such image: $6" >&2; exit 1');
      script('kind', 'echo "No kind clusters found." >&2; exit 0');
      process.env['PATH'] = `${path.join(dir, 'bin')}:${process.env['PATH'] ?? ''}`;
      process.env['NETPOL_HARNESS_KIND'] = path.join(dir, 'bin', 'kind');
      process.env['NETPOL_HARNESS_STATE'] = path.join(dir, 'state');
    });
    after(() => {
      for (const name of ['PATH', 'NETPOL_HARNESS_KIND', 'NETPOL_HARNESS_STATE']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('cluster up is a target error (exit 2) naming the kit command, without a stack trace', async () => {
      const result = await runCli(['cluster', 'up', '--cni', 'calico', '--kubernetes', 'v1.35.4']);
      expect(result.code).to.equal(2);
      expect(result.err).to.match(
        /node image netpol-harness\/kind-node:v1\.35\.4-kit\d+ for Kubernetes v1\.35\.4 is not built on this machine: run `npm run kit -- build --kubernetes v1\.35\.4`/,
      );
      expect(result.err).not.to.contain('    at ');
    });
  });
});
