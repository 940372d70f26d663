/**
 * `explain`: exit 0 ALLOWED / 1 BLOCKED (as `kubectl auth can-i`), DNS lookups (`--dns`), several
 * files (each answered, a file without the asked workloads is an error for that file), exact texts.
 */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Terminal } from '../../harness/cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const S01 = path.join(REPO, 'scenarios', '01-default-deny-ingress.yaml');
const S03 = path.join(REPO, 'scenarios', '03-dns-egress-after-deny-all.yaml');
const S05 = path.join(REPO, 'scenarios', '05-frontend-to-backend-one-port.yaml');
const TTY: Terminal = { stdoutIsTTY: true, stderrIsTTY: true, env: {} };
const DNS_NAME = 'kubernetes.default.svc.cluster.local';

const cli = runCli;

const REDIS_BLOCKED = [
  'shop/redis -> shop/backend 8080/TCP (http), step default: BLOCKED',
  '  egress from shop/redis: allowed (no policy selects shop/redis with policyType Egress: not isolated)',
  '  ingress to shop/backend: blocked',
  '    isolated by shop/backend-allow-frontend:',
  '      ingress[0]: peer does not match, port in [8080/TCP]',
  '    no ingress rule of the isolating policies allows it',
].join('\n');

const DNS_RESTORED = [
  `shop/frontend -> DNS ${DNS_NAME}, step restore-dns: ALLOWED (resolves)`,
  '  a lookup resolves when shop/frontend may reach cluster DNS, kube-system/kube-dns, on 53/UDP (dns)',
  '  egress from shop/frontend: allowed',
  '    isolated by shop/default-deny-all: no egress rules (allows nothing)',
  '    isolated by shop/allow-dns-egress:',
  '      egress[0]: peer matches, port in [53/UDP, 53/TCP] -> ALLOWS',
  '  ingress to kube-system/kube-dns: allowed (no policy selects kube-system/kube-dns with policyType Ingress: not isolated)',
].join('\n');

const DNS_DENIED = [
  `shop/frontend -> DNS ${DNS_NAME}, step deny-all: BLOCKED (does not resolve)`,
  '  a lookup resolves when shop/frontend may reach cluster DNS, kube-system/kube-dns, on 53/UDP (dns)',
  '  egress from shop/frontend: blocked',
  '    isolated by shop/default-deny-all: no egress rules (allows nothing)',
  '    no egress rule of the isolating policies allows it',
  '  ingress to kube-system/kube-dns: allowed (no policy selects kube-system/kube-dns with policyType Ingress: not isolated)',
].join('\n');

describe('explain answers with its exit code', () => {
  it('exits 1 when the cell is BLOCKED', async () => {
    expect(await cli(['explain', S05, '--from', 'shop/redis', '--to', 'shop/backend', '--port', '8080'])).to.deep.equal(
      { code: 1, out: REDIS_BLOCKED, err: '' },
    );
  });

  it('exits 0 when the cell is ALLOWED', async () => {
    const r = await cli(['explain', S05, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', 'http']);
    expect(r.code).to.equal(0);
    expect(r.out.split('\n')[0]).to.equal('shop/frontend -> shop/backend 8080/TCP (http), step default: ALLOWED');
  });

  it('documents the exit codes in --help', async () => {
    const r = await cli(['explain', '--help']);
    expect(r.out).to.include(
      'Exit codes: 0 ALLOWED, 1 BLOCKED (any explained cell: as `kubectl auth can-i` answers no), 3 invalid input',
    );
  });

  it('paints ALLOWED green and BLOCKED red on a terminal, never with NO_COLOR', async () => {
    const argv = ['explain', S05, '--from', 'shop/redis', '--to', 'shop/backend', '--port', '8080'];
    expect((await cli(argv, TTY)).out.split('\n')[0]).to.equal(
      'shop/redis -> shop/backend 8080/TCP (http), step default: \x1b[31mBLOCKED\x1b[39m',
    );
    expect((await cli(argv, { ...TTY, env: { NO_COLOR: '1' } })).out).to.equal(REDIS_BLOCKED);
    expect((await cli([...argv, '--no-color'], TTY)).out).to.equal(REDIS_BLOCKED);
  });
});

describe('explain --dns: the 53/UDP path to kube-system/kube-dns', () => {
  it('explains a lookup that resolves (exit 0)', async () => {
    const r = await cli(['explain', S03, '--step', 'restore-dns', '--from', 'shop/frontend', '--dns', DNS_NAME]);
    expect(r).to.deep.equal({ code: 0, out: DNS_RESTORED, err: '' });
  });

  it('explains a lookup that does not (exit 1)', async () => {
    const r = await cli(['explain', S03, '--step', '0', '--from', 'shop/frontend', '--dns', DNS_NAME]);
    expect(r).to.deep.equal({ code: 1, out: DNS_DENIED, err: '' });
  });

  it('says which name was asked in JSON', async () => {
    const r = await cli([
      'explain',
      S03,
      '--step',
      '0',
      '--from',
      'shop/frontend',
      '--dns',
      'db.example',
      '-o',
      'json',
    ]);
    const doc = JSON.parse(r.out) as {
      dns: string;
      explanations: Array<{ to: string; port: unknown; allowed: boolean }>;
    };
    expect(doc.dns).to.equal('db.example');
    expect(doc.explanations.map((e) => [e.to, e.port, e.allowed])).to.deep.equal([
      ['kube-system/kube-dns', { port: 53, protocol: 'UDP', name: 'dns' }, false],
    ]);
  });

  it('refuses --dns together with --to (exit 3)', async () => {
    const r = await cli(['explain', S05, '--from', 'shop/frontend', '--dns', DNS_NAME, '--to', 'shop/backend']);
    expect(r).to.deep.equal({
      code: 3,
      out: '',
      err: "error: option '--dns <name>' cannot be used with option '--to <peer>'",
    });
  });

  it('asks for --to or --dns when neither is given (exit 3)', async () => {
    expect(await cli(['explain', S05, '--from', 'shop/frontend'])).to.deep.equal({
      code: 3,
      out: '',
      err: "error: required option '--to <peer>' not specified (or --dns <name> to explain a DNS lookup)",
    });
  });

  it('asks for --port with --to (exit 3)', async () => {
    expect(await cli(['explain', S05, '--from', 'shop/frontend', '--to', 'shop/backend'])).to.deep.equal({
      code: 3,
      out: '',
      err: "error: required option '--port <port>' not specified",
    });
  });

  it('refuses an unknown --protocol with the choices (exit 3)', async () => {
    const r = await cli([
      'explain',
      S05,
      '--from',
      'shop/frontend',
      '--to',
      'shop/backend',
      '--port',
      '8080',
      '--protocol',
      'icmp',
    ]);
    expect(r).to.deep.equal({
      code: 3,
      out: '',
      err: `error: option '--protocol <protocol>' argument 'icmp' is invalid. Must be one of TCP, UDP, SCTP, got "icmp".`,
    });
  });

  it('takes --protocol in any case', async () => {
    const r = await cli([
      'explain',
      S05,
      '--from',
      'shop/redis',
      '--to',
      'shop/backend',
      '--port',
      '8080',
      '--protocol',
      'tcp',
    ]);
    expect(r.out).to.equal(REDIS_BLOCKED);
  });
});

describe('explain takes several files', () => {
  it('explains the cell in each file under its name; BLOCKED anywhere is exit 1', async () => {
    const r = await cli(['explain', S03, S05, '--step', '0', '--from', 'shop/frontend', '--dns', DNS_NAME]);
    expect(r.code).to.equal(1);
    const blocks = r.out.split('\n\n');
    expect(blocks[0]).to.equal(`${S03} (dns-egress-after-deny-all)\n${DNS_DENIED}`);
    expect(blocks[1]!.split('\n').slice(0, 2)).to.deep.equal([
      `${S05} (frontend-to-backend-one-port)`,
      `shop/frontend -> DNS ${DNS_NAME}, step default: ALLOWED (resolves)`,
    ]);
  });

  it('reports a file without the asked workload as an error for that file, and exits 3', async () => {
    const r = await cli(['explain', S01, S05, '--from', 'shop/redis', '--to', 'shop/backend', '--port', '8080']);
    expect(r.code).to.equal(3);
    expect(r.err).to.equal(`error: ${S01}: --to shop/backend is not a workload or external of default-deny-ingress`);
    expect(r.out).to.equal(`${S05} (frontend-to-backend-one-port)\n${REDIS_BLOCKED}`);
  });

  it('reports a file whose steps need --step as an error for that file', async () => {
    const r = await cli(['explain', S03, S05, '--from', 'shop/frontend', '--dns', DNS_NAME]);
    expect(r.code).to.equal(3);
    expect(r.err).to.equal(
      `error: ${S03}: dns-egress-after-deny-all has 2 steps; choose one with --step (0=deny-all, 1=restore-dns)`,
    );
  });

  it('prints {"scenarios": [...]} in JSON for several files', async () => {
    const r = await cli([
      'explain',
      S03,
      S05,
      '--step',
      '0',
      '--from',
      'shop/frontend',
      '--dns',
      DNS_NAME,
      '-o',
      'json',
    ]);
    const doc = JSON.parse(r.out) as { scenarios: Array<{ file: string; scenario: string; step: string }> };
    expect(doc.scenarios.map((s) => [s.file, s.scenario, s.step])).to.deep.equal([
      [S03, 'dns-egress-after-deny-all', 'deny-all'],
      [S05, 'frontend-to-backend-one-port', 'default'],
    ]);
  });
});

describe('explain --via: through the destination Service, by cluster IP or DNS name', () => {
  const S12 = path.join(REPO, 'scenarios', '12-service-paths.yaml');
  const ask = (via: string, port = '80') =>
    cli(['explain', S12, '--from', 'batch/report', '--to', 'web/frontend', '--port', port, '--via', via]);

  it('service: the Service port is translated to its targetPort, then the pod cell decides (exit 0)', async () => {
    const r = await ask('service');
    expect(r.code).to.equal(0);
    expect(r.out).to.contain(
      'batch/report -> web/frontend via Service frontend port 80/TCP, step default: ALLOWED\n' +
        '  Service frontend 80/TCP forwards to targetPort http: 8080/TCP (http) on web/frontend; ' +
        'NetworkPolicy applies there, to the pod and that port, not to the Service\n',
    );
  });

  it('dns: the lookup comes first, and a source without egress to cluster DNS is BLOCKED (exit 1)', async () => {
    const r = await ask('dns');
    expect(r.code).to.equal(1);
    expect(r.out).to.contain(
      '  first the lookup: does not resolve, so nothing connects (batch/report -> kube-system/kube-dns 53/UDP)',
    );
  });

  it('a port the Service does not have is exit 3, listing its ports', async () => {
    const r = await ask('service', '8080');
    expect(r.code).to.equal(3);
    expect(r.err).to.contain('Service frontend of web/frontend has no port 8080; its ports are 80/TCP');
  });
});

describe('explain from nodes and, through NodePorts, from outside', () => {
  const S13 = path.join(REPO, 'scenarios', '13-node-probes.yaml');
  const S14 = path.join(REPO, 'scenarios', '14-nodeport-from-outside.yaml');

  it("node:local: the spec's own rule, ALLOWED under default deny (exit 0)", async () => {
    const r = await cli(['explain', S13, '--from', 'node:local', '--to', 'shop/api', '--port', '8080']);
    expect(r.code).to.equal(0);
    expect(r.out).to.equal(
      'node:local -> shop/api 8080/TCP (http), step default: ALLOWED\n' +
        '  the spec always allows traffic from the node where the destination pod runs',
    );
  });

  it('node:remote: each reading of the source, and UNSPECIFIED where they disagree', async () => {
    const r = await cli(['explain', S13, '--from', 'node:remote', '--to', 'shop/web', '--port', 'metrics']);
    expect(r.out.split('\n')[0]).to.equal('node:remote -> shop/web 9090/TCP (metrics), step default: UNSPECIFIED');
    expect(r.out).to.contain('  read as a pod:\n');
    expect(r.out).to.contain('  read as a tunnel address:\n    ingress to shop/web: blocked');
  });

  it('an external through a NodePort with externalTrafficPolicy Local: the client decides', async () => {
    const r = await cli([
      'explain',
      S14,
      '--from',
      'external:stranger',
      '--to',
      'shop/web',
      '--port',
      '80',
      '--via',
      'nodeport',
    ]);
    expect(r.code).to.equal(1);
    expect(r.out.split('\n')[0]).to.equal(
      'external:stranger -> shop/web 8080/TCP (http) via NodePort web port 80/TCP, step default: BLOCKED',
    );
  });

  it('an external without --via nodeport is exit 3, saying how to ask', async () => {
    const r = await cli(['explain', S14, '--from', 'external:partner', '--to', 'shop/web', '--port', '80']);
    expect(r.code).to.equal(3);
    expect(r.err).to.contain('an external is a client only through a NodePort: add --via nodeport');
  });
});
