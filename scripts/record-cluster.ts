// npx tsx scripts/record-cluster.ts --context C [--kubeconfig K] -n a,b [-o file.yaml]
// Records, read-only, every object `check` and `snapshot` read from a cluster for a namespace set,
// exactly as the API server returned them (managedFields, last-applied annotations, status and
// all), as multi-document YAML that test/support/recorded-gateway.ts replays. That is how the
// recorded clusters under test/fixtures/live/ are made; attach one to a bug report to reproduce a
// misread cluster without access to it.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { LiveGateway } from '../harness/kube/live-gateway.js';
import type { KubeObject } from '../harness/model/kube-object.js';
import { readEnvironmentObjects, readObjects } from '../harness/target/read-cluster.js';

function flag(names: readonly string[]): string | undefined {
  const i = process.argv.findIndex((a) => names.includes(a));
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * A DaemonSet as the CNI detection reads it (harness/inventory/cni.ts): its name and its containers'
 * images. The rest is the CNI vendor's manifest, which this repository does not carry.
 */
function agentOnly(ds: KubeObject): KubeObject {
  const spec = (ds['spec'] ?? {}) as { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
  const containers = (spec.template?.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image }));
  return {
    apiVersion: ds.apiVersion,
    kind: ds.kind,
    metadata: { name: ds.metadata.name, namespace: ds.metadata.namespace, labels: ds.metadata.labels },
    spec: { template: { spec: { containers } } },
  } as KubeObject;
}

async function main(): Promise<number> {
  const context = flag(['--context']);
  const namespaces = flag(['-n', '--namespace'])?.split(',').filter(Boolean);
  if (!context || !namespaces?.length) {
    console.error('usage: npx tsx scripts/record-cluster.ts --context C [--kubeconfig K] -n a,b [-o file.yaml]');
    return 3;
  }
  const gw = new LiveGateway(flag(['--kubeconfig']), context);
  const objects = await readObjects(gw, { names: namespaces });
  const environment = await readEnvironmentObjects(gw);
  const all = [
    ...environment.nodes,
    ...objects.allNamespaces,
    ...environment.daemonSets.map(agentOnly),
    ...(environment.ciliumConfig ? [environment.ciliumConfig] : []),
    ...(environment.felixConfiguration ? [environment.felixConfiguration] : []),
    ...objects.controllers,
    ...objects.pods,
    ...objects.services,
    ...objects.policies,
    ...environment.clusterPolicies,
  ];
  const header =
    `# Recorded by scripts/record-cluster.ts from context ${context}, namespaces ${namespaces.join(', ')}, ` +
    `on ${new Date().toISOString()} (Kubernetes ${environment.serverVersion}).\n` +
    '# As the API server returned the objects, but DaemonSets: only their names and images (the CNI detection\n' +
    "# reads those; the rest is the CNI vendor's manifest).\n";
  const text = header + all.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const out = flag(['-o', '--output']);
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  console.error(`recorded ${all.length} objects${out ? ` to ${out}` : ''}`);
  return 0;
}

process.exitCode = await main();
