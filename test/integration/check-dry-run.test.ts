/**
 * `check --dry-run` on a recorded cluster: it prints every object it would create and every probe it
 * would send, and asks the API server nothing but reads (the recorded gateway refuses and logs writes).
 */
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { main } from '../../harness/cli.js';
import { checkCommand, LIVE_CHECK_DEPS, type CheckDeps } from '../../harness/commands/check.js';
import type { CheckFlags } from '../../harness/commands/check-options.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';
import { CHECK_CLASS_ANNOTATION } from '../../harness/probe/check-pod.js';
import { TargetError } from '../../harness/target/target-error.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseObjects, RecordedGateway } from '../support/recorded-gateway.js';

const FIXTURE = 'test/fixtures/live/shop-cluster.yaml';
const flags: CheckFlags = {
  context: ['kind-shop'],
  namespace: ['shop', 'payments', 'monitoring'],
  dryRun: true,
  connectTimeout: 1,
  activeDeadline: 900,
  output: 'text',
  maxInFlight: 16,
  via: ['pod'],
  clusterDomain: 'cluster.local',
};

async function dryRun(extra: Partial<CheckFlags> = {}, gw = RecordedGateway.fromYamlFile(FIXTURE)) {
  const out: string[] = [];
  const err: string[] = [];
  let asked = 0;
  const deps: CheckDeps = {
    ...LIVE_CHECK_DEPS,
    gateway: () => (asked++, gw),
    image: () => 'netpol-harness/probe:v1.34.4-1',
    runId: () => 'k3x9q2',
    owner: () => 'laptop:4242',
  };
  const code = await checkCommand({ ...flags, ...extra }, { out: (t) => out.push(t), err: (t) => err.push(t) }, deps);
  const text = out.join('\n');
  const objects = parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
  return { code, text, err: err.join('\n'), gw, objects, asked };
}

describe('check --dry-run on a recorded cluster', () => {
  it('exits 0 and asks the API server only to list, read, discover and review access: nothing is written', async () => {
    const { code, gw } = await dryRun();
    expect(code).to.equal(0);
    expect(gw.calls.filter((c) => c.startsWith('REFUSED'))).to.deep.equal([]);
    expect(
      gw.calls.every((c) => /^(list|read|discover|version|review)\b/.test(c)),
      gw.calls.join('\n'),
    ).to.equal(true);
  });
  it('prints, as a YAML stream, an owner ConfigMap per namespace and a probe pod per source class', async () => {
    const { objects } = await dryRun();
    const owners = objects.filter((o) => o.kind === 'ConfigMap');
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(owners.map((o) => o.metadata.namespace)).to.deep.equal(['shop', 'payments', 'monitoring']);
    expect(pods).to.have.length(9);
    expect(objects).to.have.length(12);
    for (const o of objects) expect(o.metadata.labels?.[RUN_LABEL]).to.equal('k3x9q2');
  });
  it("each probe pod is owned by its own namespace's ConfigMap, whose uid is named as not yet known", async () => {
    const { objects } = await dryRun();
    for (const pod of objects.filter((o) => o.kind === 'Pod')) {
      const [ref] = pod.metadata['ownerReferences'] as Array<{ name: string; uid: string; controller: boolean }>;
      expect(ref!.name).to.equal('netpol-harness-check-k3x9q2');
      expect(ref!.uid).to.equal(
        `<uid of ConfigMap ${pod.metadata.namespace}/netpol-harness-check-k3x9q2, known once it is created>`,
      );
      expect(ref!.controller).to.equal(true);
    }
  });
  it('prints every probe it would send, as the kubectl exec line that sends it', async () => {
    const { text } = await dryRun();
    const probed = Number(/(\d+) probed/.exec(text)![1]);
    expect(text.match(/=tcpconnect:/g)).to.have.length(probed);
    expect(text).to.include(
      '# from shop/frontend (probe pod shop/np-check-k3x9q2-3-frontend):\n' +
        '#   0: shop/frontend -> shop/backend backend-5c8f7b9d4-h2kvn 10.244.1.21 8080/TCP (http): predicted allowed*',
    );
    expect(text).to.include(
      '#   kubectl --context kind-shop exec -n shop np-check-k3x9q2-3-frontend -- /netpol-server probe --timeout 1s ' +
        '0=tcpconnect:10.244.1.21:8080 1=tcpconnect:10.244.1.21:9090',
    );
  });
  it('lists unverifiable cells and sources with their reasons, and the environment as notes', async () => {
    const { text } = await dryRun();
    expect(text).to.match(/# unverifiable cells \(not probed\):\n# {3}shop\/backend -> monitoring\/node-exporter/);
    expect(text).to.include('#   monitoring/node-exporter: host-network pods send from');
    expect(text).to.include('# note: info: FelixConfiguration default iptablesFilterDenyAction=Reject');
    expect(text).to.include('# note: shop/backend is split by ipBlock 10.244.2.32/28');
  });
  it('--all-replicas probes every replica of a destination class', async () => {
    const one = await dryRun();
    const all = await dryRun({ allReplicas: true });
    const count = (t: string) => t.match(/=tcpconnect:10\.244\.\d+\.1[123]:8080/g)?.length ?? 0;
    expect(count(all.text)).to.equal(3 * count(one.text));
  });
  it('--via pod,service also prints each Service probe: by cluster IP and by DNS name, with what is behind it', async () => {
    const { text, code } = await dryRun({ via: ['pod', 'service'] });
    const services = (text.match(/svc(-dns)?:[a-z]+\/[a-z-]+ /g) ?? []).length;
    expect(services).to.be.greaterThan(0);
    expect(code).to.equal(0);
    expect(text).to.include(
      ': shop/frontend -> svc:shop/backend 10.96.12.41 (behind it: shop/backend 8080/TCP, shop/backend~2 8080/TCP) ' +
        '80/TCP (http): predicted allowed*',
    );
    expect(text).to.match(/=tcpconnect:backend\.shop\.svc\.cluster\.local\.:80\b/);
    expect(text).to.match(
      /# {3}shop\/backend -> svc-dns:shop\/redis redis\.shop\.svc\.cluster\.local\. .*: the classes behind it are predicted differently/,
    );
  });
  it('--via and --cluster-domain are checked before anything starts: exit 3 with the choices', async () => {
    for (const bad of [
      ['--via', 'ingress'],
      ['--cluster-domain', 'Cluster_Local'],
    ]) {
      const err: string[] = [];
      const code = await main(['check', '--context', 'x', '-n', 'shop', ...bad], {
        out: () => undefined,
        err: (t) => err.push(t),
      });
      expect(code, bad.join(' ')).to.equal(3);
      expect(err.join('\n')).to.match(
        bad[0] === '--via' ? /choose from pod, service/ : /DNS domain such as cluster\.local/,
      );
    }
  });
  it('a namespace the cluster does not have is an error naming it (exit 2 from the CLI), nothing printed', async () => {
    const error = await dryRun({ namespace: ['shop', 'shpo'] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TargetError);
    expect((error as Error).message).to.equal('namespace not found: shpo');
  });
});

describe('check --dry-run never plans a probe pod a Service would send traffic to', () => {
  it('classes a publishNotReadyAddresses Service selects get no probe pod, and the reason is printed', async () => {
    const objects = parseObjects(readFileSync(FIXTURE, 'utf8')).map((o) =>
      o.kind === 'Service' && o.metadata.name === 'redis'
        ? { ...o, spec: { ...(o['spec'] as object), publishNotReadyAddresses: true } }
        : o,
    );
    const { code, objects: printed, text } = await dryRun({}, new RecordedGateway(objects));
    expect(code).to.equal(0);
    const sources = printed
      .filter((o) => o.kind === 'Pod')
      .map((o) => (o.metadata.annotations as Record<string, string>)[CHECK_CLASS_ANNOTATION]);
    expect(sources).to.not.include('shop/redis-0').and.not.include('shop/redis-1');
    expect(sources).to.have.length(7);
    expect(text).to.include(
      '#   shop/redis-0: Service shop/redis publishes not-ready addresses and selects its labels: ' +
        'a probe pod would be its endpoint',
    );
  });
});

describe('check without --dry-run', () => {
  it('with a verb missing in a checked namespace: refused before any write, every missing verb listed', async () => {
    const gw = RecordedGateway.fromYamlFile(FIXTURE, { denied: ['create pods/exec', 'delete configmaps'] });
    const error = await dryRun({ dryRun: false }, gw).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TargetError);
    expect((error as Error).message).to.equal(
      'kind-shop: missing RBAC permissions: delete configmaps in shop, create pods/exec in shop, ' +
        'delete configmaps in payments, create pods/exec in payments, delete configmaps in monitoring, ' +
        'create pods/exec in monitoring (bind clusters/rbac/netpol-harness-check.yaml in the checked namespaces); ' +
        'nothing was created',
    );
    expect(gw.calls.filter((c) => !/^(list|read|discover|version|review)\b/.test(c))).to.deep.equal([]);
  });
  it('from the CLI, a context the kubeconfig does not have: exit 2 naming it, nothing created', async () => {
    const err: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-check-'));
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: somewhere, context: {cluster: c, user: u}}]\n' +
        'current-context: somewhere\n',
    );
    try {
      const code = await main(['check', '--context', 'nowhere', '-n', 'shop', '--kubeconfig', kubeconfig], {
        out: () => undefined,
        err: (t) => err.push(t),
      });
      expect(code).to.equal(2);
      expect(err.join('\n')).to.match(/nowhere/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('no namespaces named is exit 3, before anything else', async () => {
    const err: string[] = [];
    const code = await main(['check', '--context', 'nowhere', '--dry-run'], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).to.equal(3);
    expect(err.join('\n')).to.include('--namespace a,b or --all-namespaces');
  });
  it('--namespace and --all-namespaces together is exit 3', async () => {
    const code = await main(['check', '--context', 'x', '-n', 'shop', '-A', '--dry-run'], {
      out: () => undefined,
      err: () => undefined,
    });
    expect(code).to.equal(3);
  });
});

describe('check --map and --expect are read before any cluster is asked', () => {
  const withFile = async (body: string, argv: (file: string) => string[]) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nph-check-'));
    const file = path.join(dir, 'input.yaml');
    writeFileSync(file, body);
    const err: string[] = [];
    try {
      const code = await main(argv(file), { out: () => undefined, err: (t) => err.push(t) });
      return { code, err: err.join('\n') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  it('a class map naming a context that is not checked: exit 3, naming it', async () => {
    const r = await withFile(
      'apiVersion: netpol-harness/v1alpha1\nkind: ClassMap\ncontexts:\n  prod: {namespaces: {a: b}}\n',
      (f) => ['check', '--context', 'nowhere,elsewhere', '-n', 'shop', '--map', f],
    );
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/maps context\(s\) prod, which --context does not name \(nowhere, elsewhere\)/);
  });
  it('an intent with a schema error: exit 3 at its file:line', async () => {
    const r = await withFile(
      'apiVersion: netpol-harness/v1alpha1\nkind: Intent\nmetadata: {name: x}\nexpect: {default: maybe}\n',
      (f) => ['check', '--context', 'nowhere', '-n', 'shop', '--expect', f],
    );
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/input\.yaml:4:19: error: /);
  });
});
