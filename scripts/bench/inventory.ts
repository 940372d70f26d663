/**
 * npm run bench:inventory: read a recorded cluster of 5,000 pods in 150 workloads (15 namespaces, 50
 * nodes, 330 NetworkPolicies with selectors, named ports and ipBlocks, an AdminNetworkPolicy and a
 * Calico GlobalNetworkPolicy), class it, interpret its environment, and predict every class pair
 * with the engine. Target (issue 10): under 5 s.
 *
 * The recorded API answers each list with a JSON round trip, so decoding is in the figure; the
 * API server's own time and the network are not (see docs/measurements.md).
 */
import { performance } from 'node:perf_hooks';
import { workloadClasses } from '../../harness/inventory/classes.js';
import { classesToWorld } from '../../harness/inventory/world.js';
import { readCluster, readEnvironment } from '../../harness/target/read-cluster.js';
import { Prediction } from '../../harness/engine/predict.js';
import { planCheck, predictorFor } from '../../harness/probe/check-plan.js';
import type { KubeObject } from '../../harness/model/kube-object.js';
import { RecordedGateway } from '../../test/support/recorded-gateway.js';

const SIZE = { namespaces: 15, workloadsPerNamespace: 10, pods: 5000, nodes: 50, statefulSetsPerNamespace: 2 };
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1);

/** Decodes every answer afresh, as a client decoding the API server's JSON would. */
class JsonRecordedGateway extends RecordedGateway {
  private readonly json = new Map<string, string>();
  override async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    const key = `${apiVersion}|${kind}|${namespace ?? ''}`;
    if (!this.json.has(key)) this.json.set(key, JSON.stringify(await super.list(apiVersion, kind, namespace)));
    this.calls.push(`list ${kind}`);
    return JSON.parse(this.json.get(key)!) as KubeObject[];
  }
}

function generateCluster(): KubeObject[] {
  const objects: KubeObject[] = [];
  const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    ...extra,
  });
  for (let n = 0; n < SIZE.nodes; n++)
    objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(`node-${n}`),
      status: {
        nodeInfo: { osImage: 'Ubuntu 24.04.3 LTS', kernelVersion: '6.8.0-85-generic', kubeletVersion: 'v1.34.1' },
      },
    });
  objects.push(daemonSet('calico-system', 'calico-node', 'docker.io/calico/node:v3.30.2'));
  const workloads = SIZE.namespaces * SIZE.workloadsPerNamespace;
  let pod = 0;
  for (let ns = 0; ns < SIZE.namespaces; ns++) {
    const namespace = `team-${ns}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(namespace, undefined, {
        labels: { 'kubernetes.io/metadata.name': namespace, team: `t${ns}`, tier: ns % 3 === 0 ? 'edge' : 'core' },
      }),
    });
    objects.push(netpol(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    objects.push(
      netpol(namespace, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }], to: [{ namespaceSelector: {} }] }],
      }),
    );
    for (let w = 0; w < SIZE.workloadsPerNamespace; w++) {
      const index = ns * SIZE.workloadsPerNamespace + w;
      const replicas = Math.floor(SIZE.pods / workloads) + (index < SIZE.pods % workloads ? 1 : 0);
      const app = `app-${w}`;
      const sts = w < SIZE.statefulSetsPerNamespace;
      const rs = `${app}-5c8f7b9d${w}`;
      if (!sts)
        objects.push({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: meta(rs, namespace, { ownerReferences: [{ kind: 'Deployment', name: app, controller: true }] }),
        });
      for (let r = 0; r < replicas; r++, pod++) {
        const name = sts ? `${app}-${r}` : `${rs}-${r.toString(36).padStart(5, 'x')}`;
        const perReplica = sts
          ? { 'statefulset.kubernetes.io/pod-name': name, 'controller-revision-hash': `${app}-7f9c6b5d8` }
          : { 'pod-template-hash': `5c8f7b9d${w}` };
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: meta(name, namespace, {
            labels: { app, tier: w % 2 ? 'api' : 'web', ...perReplica },
            ownerReferences: [{ kind: sts ? 'StatefulSet' : 'ReplicaSet', name: sts ? app : rs, controller: true }],
          }),
          spec: {
            nodeName: `node-${pod % SIZE.nodes}`,
            containers: [{ name: 'main', ports: [{ containerPort: 8080 + (w % 3), name: 'http', protocol: 'TCP' }] }],
          },
          status: {
            phase: 'Running',
            podIP: `10.${64 + Math.floor(pod / 65536)}.${Math.floor(pod / 256) % 256}.${pod % 256}`,
            conditions: [{ type: 'Ready', status: 'True' }],
          },
        });
      }
      // Each workload admits two others of its namespace and one of the next, on its named port.
      objects.push(
        netpol(namespace, `${app}-ingress`, {
          podSelector: { matchLabels: { app } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: { app: `app-${(w + 1) % SIZE.workloadsPerNamespace}` } } },
                { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] } },
                {
                  namespaceSelector: { matchLabels: { team: `t${(ns + 1) % SIZE.namespaces}` } },
                  podSelector: { matchLabels: { app: `app-${w}` } },
                },
              ],
              ports: [{ port: 'http', protocol: 'TCP' }],
            },
          ],
        }),
        netpol(namespace, `${app}-egress`, {
          podSelector: { matchLabels: { app } },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ namespaceSelector: { matchLabels: { tier: 'core' } } }] },
            { to: [{ ipBlock: { cidr: '192.168.0.0/16', except: [`192.168.${w}.0/24`] } }] },
          ],
        }),
      );
    }
  }
  objects.push({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: meta('edge-isolation'),
    spec: { priority: 10, subject: { namespaces: { matchLabels: { tier: 'edge' } } } },
  });
  objects.push({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'GlobalNetworkPolicy',
    metadata: meta('deny-metadata'),
    spec: { selector: "tier == 'api'", types: ['Egress'] },
  });
  return objects;
}

function daemonSet(namespace: string, name: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: { template: { spec: { containers: [{ name, image }] } } },
  };
}

function netpol(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const t0 = performance.now();
const objects = generateCluster();
const generateMs = performance.now() - t0;
const phases: Record<'read' | 'classes' | 'environment' | 'predict' | 'plan', number[]> = {
  read: [],
  classes: [],
  environment: [],
  predict: [],
  plan: [],
};
let summary = '';
for (let run = 0; run < RUNS; run++) {
  const gw = new JsonRecordedGateway(objects);
  const a = performance.now();
  const { snapshot } = await readCluster(gw, { all: true });
  const b = performance.now();
  const classing = workloadClasses(snapshot);
  const c = performance.now();
  const { findings } = await readEnvironment(gw, snapshot, classing.classes);
  const d = performance.now();
  const world = classesToWorld(snapshot, classing.classes);
  const prediction = new Prediction(world, snapshot.policies);
  let cells = 0;
  let allowed = 0;
  world.endpoints.forEach((_, i) =>
    world.endpoints.forEach((to, j) => {
      for (const port of to.ports) {
        cells++;
        if (prediction.allowed(i, j, port)) allowed++;
      }
    }),
  );
  const e = performance.now();
  // check's plan: a probe pod per source class, a probe per destination class and port.
  const plan = planCheck(classing.classes, predictorFor(world, prediction), {
    runId: 'bench1',
    timeouts: { connectSeconds: 1, totalSeconds: 2 },
    allReplicas: false,
  });
  const f = performance.now();
  phases.plan.push(f - e);
  phases.read.push(b - a);
  phases.classes.push(c - b);
  phases.environment.push(d - c);
  phases.predict.push(e - d);
  summary =
    `${snapshot.pods.length} pods, ${snapshot.policies.length} policies -> ${classing.classes.length} classes; ` +
    `${findings.length} findings; ${cells} class cells (${allowed} allowed); ` +
    `plan: ${plan.probePods.length} probe pods, ${plan.cells.length} cells`;
}
const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
// What check does before its first write: read, class, environment, plan (planning predicts every cell
// itself, so the separate prediction loop, the engine's share, is not added again).
const total = median(phases.read) + median(phases.classes) + median(phases.environment) + median(phases.plan);
console.log(`inventory benchmark: ${summary}`);
console.log(`  generate (not timed):   ${generateMs.toFixed(0)} ms`);
console.log(`  read (recorded API):    ${ms(phases.read)}`);
console.log(`  classes:                ${ms(phases.classes)}`);
console.log(`  environment:            ${ms(phases.environment)}`);
console.log(`  predict every cell:     ${ms(phases.predict)} (the engine alone; planning does it again)`);
console.log(`  plan (predict + probes): ${ms(phases.plan)}`);
console.log(`  peak memory (RSS):      ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(`  target: < 5000 ms -> ${total < 5000 ? 'met' : 'MISSED'} (${total.toFixed(0)} ms, medians of ${RUNS})`);
