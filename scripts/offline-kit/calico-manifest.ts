// Calico's upstream calico-vxlan.yaml, taken from the pinned module zip at build
// time (never committed), with the few changes kind needs here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { calicoSourceDir } from './steps/calico-build.js';
import { cache, type Versions } from './config.js';

export const calicoPodCidr = '10.244.0.0/16'; // clusters/kind-calico.yaml networking.podSubnet

export const calicoNodeEnv: Readonly<Record<string, string>> = {
  CALICO_IPV4POOL_CIDR: calicoPodCidr,
  // kind nodes run with net.ipv4.conf.all.rp_filter=2 (loose), which Felix refuses to start on
  // unless told to ignore it; Calico's own kind instructions set this.
  FELIX_IGNORELOOSERPF: 'true',
  // Our calico-node is built with CGO_ENABLED=0, so libbpf is a stub that panics
  // ("LIBBPF syscall stub"). In iptables mode Felix still tries to clean up BPF
  // connect-time load-balancer state at start (felix/bpf/nat/connecttime.go
  // RemoveConnectTimeLoadBalancer); this switch skips that cleanup.
  FELIX_DebugSkipCTLBCleanup: 'true',
  // Nodes talk over eth0 (the kind docker network). The harness connects nodes to more networks
  // for externals; with the default first-found, calico-node's address monitor re-detected the
  // node address on such a network, moved the VXLAN parent there, and cross-node pod traffic
  // died when the network went away ("Unable to find parent interface with address 198.51.100.1").
  IP_AUTODETECTION_METHOD: 'interface=^eth0$',
};

export function upstreamCalicoManifest(v: Versions): string {
  return readFileSync(join(calicoSourceDir(v), 'manifests', 'calico-vxlan.yaml'), 'utf8');
}

interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  env?: { name: string; value?: string }[];
}

function podContainers(doc: Record<string, unknown>): Container[] {
  const spec = (doc['spec'] as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined)?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Never pull: every image is preloaded. calico-node gets the kind-specific environment. */
export function patchCalicoManifest(text: string): string {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown> | null).filter((d) => d !== null);
  for (const doc of docs) {
    for (const c of podContainers(doc)) {
      if (c.image !== undefined) c.imagePullPolicy = 'IfNotPresent';
      if (c.name !== 'calico-node' || doc['kind'] !== 'DaemonSet') continue;
      const env = (c.env ?? []).filter((e) => !(e.name in calicoNodeEnv));
      for (const [name, value] of Object.entries(calicoNodeEnv)) env.push({ name, value });
      c.env = env;
    }
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** The images the manifest refers to (they must all be in the node image). */
export function manifestImages(text: string): string[] {
  return [...new Set([...text.matchAll(/^\s*image:\s*(\S+)/gm)].map((m) => m[1] ?? ''))];
}

/** Where the build leaves the patched manifest for the harness's offline Calico installer. */
export function kitCalicoManifestPath(v: Versions): string {
  return join(cache.root, 'manifests', `calico-vxlan-${v.calico.imageTag}.yaml`);
}
