import { expect } from 'chai';
import { workloadClasses } from '../../../harness/inventory/classes.js';
import type { ClusterSnapshot, LivePod } from '../../../harness/inventory/snapshot.js';
import type { NetworkPolicy } from '../../../harness/model/network-policy.js';

let nextIp = 10;
function pod(name: string, fields: Partial<LivePod> = {}): LivePod {
  const ip = `10.244.1.${nextIp++}`;
  return {
    namespace: 'shop',
    name,
    labels: { app: 'web' },
    ip,
    ips: [ip],
    phase: 'Running',
    ready: true,
    hostNetwork: false,
    ports: [{ port: 8080, protocol: 'TCP', name: 'http' }],
    ...fields,
  };
}

function snapshot(pods: LivePod[], policies: NetworkPolicy[] = []): ClusterSnapshot {
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  return {
    allNamespaces: namespaces.map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } })),
    namespaces,
    pods,
    services: [],
    policies,
    harnessPods: [],
  };
}

function policy(spec: NetworkPolicy['spec']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'shop' },
    spec,
  };
}

const deployment = { kind: 'Deployment', name: 'web' };
const replicas = (hash: string, ...ips: string[]) =>
  ips.map((ip, i) =>
    pod(`web-${hash}-${i}`, { ip, ips: [ip], owner: deployment, labels: { app: 'web', 'pod-template-hash': hash } }),
  );
const classOf = (s: ClusterSnapshot) => workloadClasses(s).classes.map((c) => [c.key, c.replicas]);

describe('classes: pods with the same labels and ports in one namespace are one class', () => {
  it('three replicas of a Deployment are one class, named after the Deployment, with their pod names', () => {
    const [only] = workloadClasses(snapshot(replicas('7d9f', '10.244.1.2', '10.244.1.3', '10.244.2.4'))).classes;
    expect(only).to.deep.include({ key: 'shop/web', name: 'web', replicas: 3, hostNetwork: false, splitBy: [] });
    expect(only!.pods.map((p) => p.name)).to.deep.equal(['web-7d9f-0', 'web-7d9f-1', 'web-7d9f-2']);
    expect(only!.owners).to.deep.equal([deployment]);
  });
  it('the same labels in two namespaces are two classes', () => {
    const pods = [pod('a', { namespace: 'shop' }), pod('a', { namespace: 'payments' })];
    expect(classOf(snapshot(pods))).to.have.length(2);
  });
  it('different labels are different classes', () => {
    const pods = [pod('a', { labels: { app: 'web' } }), pod('b', { labels: { app: 'api' } })];
    expect(classOf(snapshot(pods))).to.have.length(2);
  });
  it('different declared ports are different classes (named ports resolve per pod)', () => {
    const pods = [pod('a'), pod('b', { ports: [{ port: 8081, protocol: 'TCP', name: 'http' }] })];
    expect(classOf(snapshot(pods))).to.have.length(2);
  });
});

describe('classes: per-replica labels are ignored unless a policy selects on them', () => {
  it('a Deployment mid-rollout (two pod-template-hash values) is still one class', () => {
    const pods = [...replicas('old', '10.244.1.2'), ...replicas('new', '10.244.1.3')];
    const result = workloadClasses(snapshot(pods));
    expect(result.classes.map((c) => [c.key, c.replicas])).to.deep.equal([['shop/web', 2]]);
    expect(result.classes[0]!.labels).to.deep.equal({ app: 'web' });
    expect(result.ignoredLabels).to.include('pod-template-hash');
  });
  it('StatefulSet pods differ only by pod-name and pod-index: one class', () => {
    const sts = [0, 1].map((i) =>
      pod(`db-${i}`, {
        owner: { kind: 'StatefulSet', name: 'db' },
        labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': `db-${i}`, 'apps.kubernetes.io/pod-index': `${i}` },
      }),
    );
    expect(classOf(snapshot(sts))).to.deep.equal([['shop/db', 2]]);
  });
  it('a policy selecting statefulset.kubernetes.io/pod-name keeps the replicas apart, each named after its pod', () => {
    const sts = [0, 1].map((i) =>
      pod(`db-${i}`, {
        owner: { kind: 'StatefulSet', name: 'db' },
        labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': `db-${i}` },
      }),
    );
    const primary = policy({ podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' } } });
    const result = workloadClasses(snapshot(sts, [primary]));
    expect(result.classes.map((c) => c.key)).to.deep.equal(['shop/db-0', 'shop/db-1']);
    expect(result.keptLabels).to.deep.equal(['statefulset.kubernetes.io/pod-name']);
  });
  it('a key mentioned in a peer selector (matchExpressions) is kept too', () => {
    const pods = [...replicas('old', '10.244.1.2'), ...replicas('new', '10.244.1.3')];
    const p = policy({
      podSelector: {},
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] } }] }],
    });
    expect(classOf(snapshot(pods, [p]))).to.deep.equal([
      ['shop/web-new-0', 1],
      ['shop/web-old-0', 1],
    ]);
  });
  it('a key another policy kind selects on (extraPodSelectors) is kept as well', () => {
    const pods = [...replicas('old', '10.244.1.2'), ...replicas('new', '10.244.1.3')];
    const extra = [{ matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' as const }] }];
    expect(workloadClasses(snapshot(pods), { extraPodSelectors: extra }).classes).to.have.length(2);
  });
  it('a key only in a namespaceSelector is a namespace label: the pods stay one class', () => {
    const pods = [...replicas('old', '10.244.1.2'), ...replicas('new', '10.244.1.3')];
    const p = policy({
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'pod-template-hash': 'x' } } }] }],
    });
    expect(classOf(snapshot(pods, [p]))).to.deep.equal([['shop/web', 2]]);
  });
  it('Job labels (job-name, controller-uid) are not per-replica: two Jobs stay two classes, named after each', () => {
    const jobPod = (job: string) =>
      pod(`${job}-x`, {
        owner: { kind: 'Job', name: job },
        labels: { 'batch.kubernetes.io/job-name': job, 'job-name': job },
      });
    expect(classOf(snapshot([jobPod('migrate'), jobPod('backup')]))).to.deep.equal([
      ['shop/backup', 1],
      ['shop/migrate', 1],
    ]);
  });
});

describe('classes: an ipBlock covering some pods of a class and not others splits it', () => {
  const legacy = policy({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.32/28' } }] }] });
  it('the pod inside the block becomes its own class, both record the block', () => {
    const result = workloadClasses(snapshot(replicas('h', '10.244.1.2', '10.244.2.3', '10.244.2.40'), [legacy]));
    expect(result.classes.map((c) => [c.key, c.pods.map((p) => p.ip)])).to.deep.equal([
      ['shop/web', ['10.244.1.2', '10.244.2.3']],
      ['shop/web~2', ['10.244.2.40']],
    ]);
    expect(result.classes.map((c) => c.splitBy)).to.deep.equal([['10.244.2.32/28'], ['10.244.2.32/28']]);
  });
  it('an except block counts: a pod in the except range is outside', () => {
    const p = policy({
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }],
    });
    expect(classOf(snapshot(replicas('h', '10.244.1.2', '10.244.2.3'), [p]))).to.have.length(2);
  });
  it('a block covering every pod (or none) splits nothing', () => {
    const all = policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16' } }] }] });
    expect(classOf(snapshot(replicas('h', '10.244.1.2', '10.244.2.3'), [all, legacy]))).to.deep.equal([
      ['shop/web', 2],
    ]);
  });
  it('a CIDR of another policy kind (extraIpBlocks) splits as well', () => {
    const result = workloadClasses(snapshot(replicas('h', '10.244.1.2', '10.244.2.40')), {
      extraIpBlocks: [{ cidr: '10.244.2.32/28' }],
    });
    expect(result.classes.map((c) => c.replicas)).to.deep.equal([1, 1]);
  });
  it('a pod without an IP yet joins the largest part', () => {
    const pending = pod('web-h-9', {
      owner: deployment,
      ip: undefined,
      ips: [],
      phase: 'Pending',
      ready: false,
      labels: { app: 'web', 'pod-template-hash': 'h' },
    });
    const result = workloadClasses(
      snapshot([...replicas('h', '10.244.1.2', '10.244.1.3', '10.244.2.40'), pending], [legacy]),
    );
    expect(result.classes.map((c) => c.replicas)).to.deep.equal([3, 1]);
  });
});

describe('classes: host-network pods are their own classes', () => {
  it('a host-network pod never shares a class with pod-network pods of the same labels', () => {
    const pods = [pod('a'), pod('b', { hostNetwork: true, ip: '172.18.0.2', ips: ['172.18.0.2'] })];
    const result = workloadClasses(snapshot(pods));
    expect(result.classes.map((c) => c.hostNetwork)).to.have.members([true, false]);
  });
  it('a host-network DaemonSet on three nodes is one class flagged hostNetwork', () => {
    const pods = ['172.18.0.2', '172.18.0.3', '172.18.0.4'].map((ip, i) =>
      pod(`exporter-${i}`, { hostNetwork: true, ip, ips: [ip], owner: { kind: 'DaemonSet', name: 'exporter' } }),
    );
    expect(workloadClasses(snapshot(pods)).classes.map((c) => [c.key, c.replicas, c.hostNetwork])).to.deep.equal([
      ['shop/exporter', 3, true],
    ]);
  });
});

describe('classes: names and what is left out', () => {
  it('a pod with no owner is named after itself', () => {
    expect(classOf(snapshot([pod('debug-shell')]))).to.deep.equal([['shop/debug-shell', 1]]);
  });
  it('two owners of different kinds with one name: the second gets ~2', () => {
    const pods = [
      pod('web-0', { owner: { kind: 'StatefulSet', name: 'web' }, labels: { app: 'web', role: 'db' } }),
      pod('web-abc', { owner: { kind: 'Deployment', name: 'web' } }),
      pod('web-def', { owner: { kind: 'Deployment', name: 'web' } }),
    ];
    expect(classOf(snapshot(pods))).to.deep.equal([
      ['shop/web', 2],
      ['shop/web~2', 1],
    ]);
  });
  it('finished pods (Succeeded, Failed) are in no class and are listed as skipped', () => {
    const result = workloadClasses(
      snapshot([pod('done', { phase: 'Succeeded', ip: undefined, ips: [] }), pod('live')]),
    );
    expect(result.classes.map((c) => c.name)).to.deep.equal(['live']);
    expect(result.skipped).to.deep.equal([{ pod: 'shop/done', reason: 'Succeeded: finished pods hold no IP' }]);
  });
});
