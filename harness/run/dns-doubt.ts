import type { KubeGateway, PodStatus } from '../kube/gateway.js';
import { isBlocked, type Observation } from '../model/observation.js';
import type { RoundResult } from './probe-round.js';

/** The cluster DNS's pods, named as CoreDNS and kube-dns name them (as `clusterDnsIp` finds them). */
const DNS_POD = /^(coredns|kube-dns)-/;

/**
 * A DNS lookup that fails is evidence of a policy only while the cluster DNS is up. With CoreDNS
 * scaled to zero, kube-proxy rejects queries to the kube-dns Service ("has no endpoints": ICMP
 * port unreachable), which a probe sees exactly as a REJECT by policy; with CoreDNS on a paused
 * node the queries time out as a DROP would. Says why the DNS is down, or undefined when it looks up.
 */
export async function whyDnsIsDown(gw: KubeGateway, round: RoundResult): Promise<string | undefined> {
  let dns: PodStatus[];
  try {
    dns = (await gw.podStatuses('kube-system')).filter((p) => DNS_POD.test(p.name));
  } catch {
    return undefined; // cannot tell: the observations stand as they are
  }
  const ready = dns.filter((p) => p.ready);
  if (!ready.length)
    return `the cluster DNS has no ready server in kube-system (${
      dns.map((p) => `${p.name} ${p.phase}`).join(', ') || 'no coredns or kube-dns pod at all'
    })`;
  const failed = round.failedSources ?? [];
  if (!failed.length) return undefined;
  // Nodes where an exec into one of our pods just failed although the pod is still there: a node
  // that stopped answering (paused, partitioned), which may hold the DNS pods the API still calls Ready.
  const deadNodes = new Map<string, string>();
  for (const namespace of new Set(failed.map((f) => f.namespace))) {
    const pods = await gw.podStatuses(namespace).catch(() => []);
    for (const f of failed.filter((x) => x.namespace === namespace)) {
      const node = pods.find((p) => p.name === f.pod)?.node;
      if (node) deadNodes.set(node, `${namespace}/${f.pod}: ${f.failure}`);
    }
  }
  const alive = ready.filter((p) => !p.node || !deadNodes.has(p.node));
  if (alive.length) return undefined;
  return `every ready DNS server is on a node that did not answer an exec in this round (${ready
    .map((p) => `${p.name} on ${p.node}: ${deadNodes.get(p.node!)}`)
    .join('; ')})`;
}

/**
 * The round with its blocked-looking DNS cells made `error` when the cluster DNS is down: such a
 * failure says nothing about policy. `dnsKnown`: the target's DNS pods were found when it was
 * prepared (else pods named otherwise serve DNS here, and nothing can be concluded from their absence).
 */
export async function withDnsHealth(gw: KubeGateway, round: RoundResult, dnsKnown: boolean): Promise<RoundResult> {
  if (!dnsKnown || !round.dns.some((o) => isBlocked(o.outcome))) return round;
  const why = await whyDnsIsDown(gw, round);
  if (!why) return round;
  const doubt = (o: Observation): Observation =>
    isBlocked(o.outcome)
      ? {
          outcome: 'error',
          detail: `${o.outcome} (${o.detail}), but ${why}: DNS is down, which is no evidence of a block`,
        }
      : o;
  return { ...round, dns: round.dns.map(doubt) };
}
