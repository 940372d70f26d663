import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { liveAccess } from '../../../harness/run/check-context.js';
import { POLICY_APIS } from '../../../harness/inventory/cluster-policies.js';

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}
const roles = new Map(
  parseAllDocuments(readFileSync('clusters/rbac/netpol-harness-check.yaml', 'utf8')).map((d) => {
    const role = d.toJSON() as { kind: string; metadata: { name: string }; rules: Rule[] };
    return [role.metadata.name, role] as const;
  }),
);
const grants = (name: string) =>
  roles
    .get(name)!
    .rules.flatMap((r) =>
      r.apiGroups.flatMap((g) =>
        r.resources.flatMap((res) =>
          r.verbs.map((v) => `${v} ${g ? `${res}.${g}` : res}${r.resourceNames ? ` ${r.resourceNames}` : ''}`),
        ),
      ),
    );
const plural = (kind: string) => `${kind.toLowerCase().replace(/y$/, 'ie')}s`;

describe('clusters/rbac/netpol-harness-check.yaml', () => {
  it('ships two ClusterRoles: the read role and the probe role bound per namespace', () => {
    expect([...roles.keys()]).to.deep.equal(['netpol-harness-check-read', 'netpol-harness-check-probe']);
    for (const role of roles.values()) expect(role.kind).to.equal('ClusterRole');
  });
  it('the read role only reads: list and get', () => {
    expect(grants('netpol-harness-check-read').every((g) => /^(list|get) /.test(g))).to.equal(true);
  });
  it('the read role lists every policy kind the reader looks for (POLICY_APIS)', () => {
    const read = grants('netpol-harness-check-read');
    for (const { groupVersion, kinds } of POLICY_APIS)
      for (const kind of kinds) expect(read).to.include(`list ${plural(kind)}.${groupVersion.split('/')[0]}`);
  });
  it('the read role lists namespaces, pods, services, NetworkPolicies, DaemonSets, ReplicaSets and Jobs', () => {
    expect(grants('netpol-harness-check-read')).to.include.members([
      'list namespaces',
      'list pods',
      'list services',
      'list networkpolicies.networking.k8s.io',
      'list daemonsets.apps',
      'list replicasets.apps',
      'list jobs.batch',
    ]);
  });
  it('reads ConfigMaps and FelixConfigurations by name only', () => {
    const read = grants('netpol-harness-check-read');
    expect(read)
      .to.include('get configmaps cilium-config')
      .and.include('get felixconfigurations.crd.projectcalico.org default');
    expect(read.filter((g) => g.includes('configmaps'))).to.deep.equal(['get configmaps cilium-config']);
  });
  it('the probe role grants exactly what the live path checks for in a namespace, and nothing else', () => {
    const wanted = liveAccess(['shop']).map((a) => `${a.verb} ${a.resource}`);
    expect(grants('netpol-harness-check-probe').sort()).to.deep.equal(wanted.sort());
  });
});
