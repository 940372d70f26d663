/**
 * npm run bench:check: `check` of 300 real pods in 30 workload classes on kind + Calico, probe pods
 * included. Target (issue 10): under 2 minutes.
 *
 * A cluster of a control plane and two workers whose kubelets take 200 pods each (the control plane
 * is tainted, and kind's default of 110 per node would not hold 300); 3 namespaces of 10
 * Deployments of 10 replicas serving one port, a default-deny per namespace and an allow rule per
 * Deployment (from the next Deployment of the namespace, and from the same one of the next
 * namespace), so most cells are blocked. Only `check` is timed, through the CLI, as a
 * user runs it; deploying the pods is not. BENCH_RUNS (default 1) checks the same pods again;
 * BENCH_KEEP=1 keeps the cluster. Everything else created is removed, also on failure.
 */
import { execa } from 'execa';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { ensureKindCluster, type KindCluster } from '../../harness/cluster/kind-cluster.js';
import { loadClusterVersions, probeImage } from '../../harness/cluster/versions.js';
import { checkStatus, countVerdicts, type CheckReport } from '../../harness/model/check-report.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { pollUntil } from '../../harness/util/poll.js';

const SIZE = { namespaces: 3, deploymentsPerNamespace: 10, replicas: 10, nodes: 3, maxPods: 200 };
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);
const CLI = path.resolve('bin/netpol-harness.js');
const namespaces = Array.from({ length: SIZE.namespaces }, (_, i) => `bench-${String.fromCharCode(97 + i)}`);

function objects(image: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [n, ns] of namespaces.entries()) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { bench: ns } } });
    out.push(policy(ns, 'default-deny', {}, { policyTypes: ['Ingress'] }));
    for (let d = 0; d < SIZE.deploymentsPerNamespace; d++) {
      const app = `app-${d}`;
      out.push(deployment(ns, app, image));
      // From the next Deployment of this namespace, and from the same Deployment of the next namespace.
      const next = `app-${(d + 1) % SIZE.deploymentsPerNamespace}`;
      const other = namespaces[(n + 1) % namespaces.length]!;
      out.push(
        policy(
          ns,
          `${app}-ingress`,
          { matchLabels: { app } },
          {
            ingress: [
              {
                from: [
                  { podSelector: { matchLabels: { app: next } } },
                  { namespaceSelector: { matchLabels: { bench: other } }, podSelector: { matchLabels: { app } } },
                ],
                ports: [{ port: 'http' }],
              },
            ],
          },
        ),
      );
    }
  }
  return out;
}

function policy(ns: string, name: string, podSelector: object, spec: object): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector, ...spec },
  };
}

function deployment(ns: string, app: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: ns },
    spec: {
      replicas: SIZE.replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'app',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/netpol-server', 'serve', '--identity', `${ns}/${app}`, '--tcp', '8080', '--udp', ''],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
              resources: { requests: { cpu: '1m', memory: '8Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
            },
          ],
        },
      },
    },
  };
}

async function readyPods(cluster: KindCluster): Promise<number> {
  let ready = 0;
  for (const ns of namespaces)
    for (const p of await cluster.gw.list('v1', 'Pod', ns)) {
      const conditions = (p['status'] as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
    }
  return ready;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => loadavg()[0]!.toFixed(2);

const image = probeImage(loadClusterVersions());
const cluster = await ensureKindCluster(
  {
    cni: 'calico',
    name: `${process.env['NETPOL_HARNESS_CLUSTER_PREFIX'] ?? 'netpol-harness'}-bench`,
    nodes: SIZE.nodes,
    maxPods: SIZE.maxPods,
    images: [image],
  },
  (m) => console.error(m),
);
const total = SIZE.namespaces * SIZE.deploymentsPerNamespace * SIZE.replicas;
try {
  const t0 = performance.now();
  for (const o of objects(image)) await cluster.gw.apply(o);
  await pollUntil(
    `${total} bench pods Ready`,
    async () => {
      const ready = await readyPods(cluster);
      return ready >= total ? { done: ready } : { waiting: `${ready} Ready` };
    },
    { timeoutMs: 20 * 60_000, intervalMs: 5_000 },
  );
  console.log(
    `deployed ${total} pods in ${namespaces.length} namespaces: ${s(performance.now() - t0)} (not timed below)`,
  );
  for (let run = 1; run <= RUNS; run++) {
    const before = load();
    const t = performance.now();
    const result = await execa(
      'node',
      [
        CLI,
        'check',
        '--context',
        cluster.context,
        '--kubeconfig',
        cluster.kubeconfig,
        '-n',
        namespaces.join(','),
        '-o',
        'json',
      ],
      { reject: false, env: { NO_COLOR: '1' } },
    );
    const wall = performance.now() - t;
    if (!result.stdout.startsWith('{')) throw new Error(`check exit ${result.exitCode}: ${result.stderr}`);
    const report = JSON.parse(result.stdout) as CheckReport;
    const ctx = report.contexts[0]!;
    const n = countVerdicts(ctx.cells);
    console.log(
      `check run ${run}: ${s(wall)} wall, exit ${result.exitCode} (${checkStatus(report)}); ` +
        `${ctx.classes.length} classes, ${ctx.classes.reduce((k, c) => k + c.replicas, 0)} pods; ` +
        `${n.cells} cells: ${n.pass} pass, ${n.fail} fail, ${n.inconclusive} inconclusive; ` +
        `load average ${before} before, ${load()} after`,
    );
    for (const line of result.stderr.split('\n').filter(Boolean)) console.log(`  ${line}`);
  }
} finally {
  for (const ns of namespaces)
    await cluster.gw.remove({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
  if (!process.env['BENCH_KEEP']) await cluster.remove();
}
