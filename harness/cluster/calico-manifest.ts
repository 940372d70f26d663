// Calico's upstream calico-vxlan.yaml made fit for kind here: the same patch for the offline kit's
// copy (taken from the pinned module zip at build time) and for the online download, which must
// match the checksum pinned in clusters/versions.yaml. Pure, except `downloadCalicoManifest`'s fetch.
import { createHash } from 'node:crypto';
import { parseAllDocuments, stringify } from 'yaml';

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

interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  env?: { name: string; value?: string }[];
}

function podContainers(doc: Record<string, unknown>): Container[] {
  const spec = (
    doc['spec'] as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined
  )?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Never pull: every image is preloaded. calico-node gets the kind-specific environment. */
export function patchCalicoManifest(text: string): string {
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d) => d !== null);
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

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Online install: the pinned upstream manifest, refused unless it is byte for byte the file whose
 * checksum clusters/versions.yaml pins (a moved tag or a proxy rewriting it must not reach a cluster).
 */
export async function downloadCalicoManifest(
  url: string,
  expectedSha256: string,
  fetchText: (url: string) => Promise<string> = defaultFetch,
): Promise<string> {
  const text = await fetchText(url);
  const actual = sha256(text);
  if (actual !== expectedSha256)
    throw new Error(`${url} has sha256 ${actual}, not the pinned ${expectedSha256}: refusing to install it`);
  return patchCalicoManifest(text);
}

async function defaultFetch(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
