/**
 * What a snapshot says it could not carry, or carries differently, beyond the obvious: clients that
 * a policy opens ports on, namespaces a policy selects outside the set, ipBlocks that
 * named pod IPs or sources outside the cluster. One sentence per note. Pure.
 */
import type { WorkloadClass } from '../inventory/classes.js';
import type { ClusterSnapshot } from '../inventory/snapshot.js';
import { selectorMatches } from '../engine/selector.js';
import { cidrContains, parseCidr, parseIp } from '../model/cidr.js';
import type { NetworkPolicy } from '../model/network-policy.js';
import { DNS_NAMESPACE } from '../model/world.js';
import { egressPeersOf, ingressPeersOf, peersOf } from '../inventory/policy-keys.js';

/**
 * A class that declares no port is carried as a client. A policy can still open ports on it (a
 * server need not declare its ports): the replay serves none of them, so says so.
 */
export function portlessNotes(classes: readonly WorkloadClass[], policies: readonly NetworkPolicy[]): string[] {
  return classes
    .filter((c) => c.ports.length === 0)
    .map((c) => {
      const opening = policies
        .filter(
          (p) =>
            p.metadata.namespace === c.namespace &&
            selectorMatches(p.spec.podSelector, c.labels) &&
            (p.spec.ingress ?? []).some((r) => (r.ports ?? []).length > 0),
        )
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      return (
        `${c.key} declares no port: carried as a client, probed from and never to` +
        (opening.length ? `; ${opening.join(', ')} open(s) ports on it that the replay does not serve` : '')
      );
    });
}

/** Namespaces a policy's namespaceSelector selects that the snapshot does not carry: their pods are missing. */
export function outsideNamespaceNotes(
  snapshot: ClusterSnapshot,
  policies: readonly NetworkPolicy[],
  inSet: ReadonlySet<string>,
): string[] {
  const outside = snapshot.allNamespaces.filter((n) => !inSet.has(n.name));
  const notes: string[] = [];
  for (const p of policies) {
    const selected = new Set<string>();
    for (const peer of peersOf(p))
      if (peer.namespaceSelector)
        for (const n of outside) if (selectorMatches(peer.namespaceSelector, n.labels)) selected.add(n.name);
    // Cluster DNS is the one thing of kube-system a replay has: a DNS egress rule needs no note.
    selected.delete(DNS_NAMESPACE);
    if (selected.size === 0) continue;
    const names = [...selected].sort();
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    notes.push(
      `${p.metadata.namespace}/${p.metadata.name} selects namespace(s) the snapshot does not carry: ${shown} ` +
        '(add them to --namespace)',
    );
  }
  return notes;
}

/**
 * An ipBlock that covers pod IPs of the cluster read: the replay's pods get other addresses, so the
 * rule that matched them there matches nothing of the scenario's (and Cilium never matches pod IPs
 * by ipBlock, cilium/cilium#9209). An ingress ipBlock that covers none names sources outside the
 * cluster, which a replay does not send from.
 */
export function ipBlockNotes(
  snapshot: ClusterSnapshot,
  policies: readonly NetworkPolicy[],
  inSet: ReadonlySet<string>,
): string[] {
  const ips = snapshot.pods
    .filter((p) => inSet.has(p.namespace))
    .flatMap((p) => p.ips.map(parseIp).filter((x) => x !== undefined));
  const notes: string[] = [];
  for (const p of policies) {
    const id = `${p.metadata.namespace}/${p.metadata.name}`;
    const blocks = [
      ...ingressPeersOf(p).map((peer) => ({ peer, ingress: true })),
      ...egressPeersOf(p).map((peer) => ({ peer, ingress: false })),
    ].flatMap(({ peer, ingress }) => (peer.ipBlock ? [{ cidr: peer.ipBlock.cidr, ingress }] : []));
    for (const { cidr, ingress } of blocks) {
      const block = parseCidr(cidr);
      const covered = block ? ips.filter((ip) => cidrContains(block, ip)).length : 0;
      if (covered)
        notes.push(
          `ipBlock ${cidr} of ${id} covers ${covered} pod IP(s) of the cluster read: ` +
            'in a replay the pods get other addresses, so it does not match them there',
        );
      else if (ingress)
        notes.push(`ingress from ipBlock ${cidr} in ${id}: a replay does not send from outside the cluster`);
    }
  }
  return notes;
}
