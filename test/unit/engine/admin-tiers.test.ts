/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), rule by rule
 * of the API reference (https://network-policy-api.sigs.k8s.io/reference/spec/) and the KEP-2091
 * evaluation order. Every case asks the fast path and explain, and fails if they disagree.
 */
import { expect } from 'chai';
import type { AdminPeer } from '../../../harness/model/admin-policy.js';
import { anp, banp, external, policy, pod, port, tiered, world } from '../../support/world.js';

const ns = (labels: Record<string, string>): AdminPeer => ({ namespaces: { matchLabels: labels } });
const all: AdminPeer = { namespaces: {} };

const w = world({ prod: { env: 'prod' }, dev: { env: 'dev' }, mon: { team: 'platform' } }, [
  pod('prod/web', { app: 'web' }, [port(80), port(53, 'UDP', 'dns'), port(8080, 'TCP', 'http')]),
  pod('prod/db', { app: 'db' }, [port(5432)]),
  pod('dev/toy', { app: 'toy' }, [port(80)], '10.244.9.9'),
  pod('mon/prom', { app: 'prom' }, [port(9090)]),
  external('api', '203.0.113.10', [port(443)]),
]);
const prodSubject = { namespaces: { matchLabels: { env: 'prod' } } };
const denyAllIngressToWeb = policy('prod', 'deny', { podSelector: { matchLabels: { app: 'web' } }, ingress: [] });
const allowDevToWeb = policy('prod', 'from-dev', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }] }],
});

describe('AdminNetworkPolicy actions', () => {
  it('Allow admits traffic a NetworkPolicy would block, and NetworkPolicy is not consulted', () => {
    const admin = anp('mon', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [ns({ team: 'platform' })] }] });
    expect(tiered(w, [denyAllIngressToWeb], [], 'mon/prom', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [denyAllIngressToWeb], [admin], 'mon/prom', 'prod/web', 80)).to.equal('allowed');
  });

  it('Deny blocks traffic a NetworkPolicy allows', () => {
    const admin = anp('no-dev', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [ns({ env: 'dev' })] }] });
    expect(tiered(w, [allowDevToWeb], [], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [allowDevToWeb], [admin], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });

  it('Pass hands the decision to NetworkPolicy: its allow and its isolation both hold', () => {
    const pass = anp('pass', 10, prodSubject, { ingress: [{ action: 'Pass', peers: [all] }] });
    expect(tiered(w, [allowDevToWeb], [pass], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [allowDevToWeb], [pass], 'mon/prom', 'prod/web', 80)).to.equal('blocked');
  });

  it('Pass skips every later AdminNetworkPolicy, not only the rest of its own', () => {
    const pass = anp('pass', 10, prodSubject, { ingress: [{ action: 'Pass', peers: [all] }] });
    const deny = anp('deny', 20, prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [pass, deny], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('Pass with no NetworkPolicy selecting the pod goes to the baseline', () => {
    const pass = anp('pass', 10, prodSubject, { ingress: [{ action: 'Pass', peers: [all] }] });
    const base = banp({ namespaces: {} }, { ingress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [pass, base], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [allowDevToWeb], [pass, base], 'dev/toy', 'prod/web', 80), 'isolated: no baseline').to.equal(
      'allowed',
    );
  });

  it('no matching rule is the same as Pass', () => {
    const other = anp('other', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [ns({ team: 'platform' })] }] });
    expect(tiered(w, [allowDevToWeb], [other], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });
});

describe('AdminNetworkPolicy order', () => {
  it('a lower priority value is evaluated first', () => {
    const deny = anp('deny', 5, prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    const allow = anp('allow', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [all] }] });
    expect(tiered(w, [], [allow, deny], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    const deny50 = anp('deny', 50, prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [allow, deny50], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('within a policy the first matching rule decides', () => {
    const rules = anp('ordered', 10, prodSubject, {
      ingress: [
        { action: 'Allow', peers: [ns({ env: 'dev' })] },
        { action: 'Deny', peers: [all] },
      ],
    });
    expect(tiered(w, [], [rules], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [], [rules], 'mon/prom', 'prod/web', 80)).to.equal('blocked');
  });

  it('two policies of one priority that disagree leave the cell unspecified; that agree, decide it', () => {
    const deny = anp('deny', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    const allow = anp('allow', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [all] }] });
    const alsoDeny = anp('also-deny', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [ns({ env: 'dev' })] }] });
    expect(tiered(w, [], [deny, allow], 'dev/toy', 'prod/web', 80)).to.equal('unspecified');
    expect(tiered(w, [], [deny, alsoDeny], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });

  it('an equal priority matters only where both policies match: elsewhere the one that matches decides', () => {
    const denyDev = anp('deny-dev', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [ns({ env: 'dev' })] }] });
    const allowMon = anp('allow-mon', 10, prodSubject, {
      ingress: [{ action: 'Allow', peers: [ns({ team: 'platform' })] }],
    });
    expect(tiered(w, [denyAllIngressToWeb], [denyDev, allowMon], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [denyAllIngressToWeb], [denyDev, allowMon], 'mon/prom', 'prod/web', 80)).to.equal('allowed');
  });

  it('blocked on one side is blocked, even when the other side is unspecified', () => {
    const deny = anp('deny', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    const allow = anp('allow', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [all] }] });
    const egressDeny = anp(
      'dev-out',
      1,
      { namespaces: { matchLabels: { env: 'dev' } } },
      {
        egress: [{ action: 'Deny', peers: [all] }],
      },
    );
    expect(tiered(w, [], [deny, allow, egressDeny], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });
});

describe('AdminNetworkPolicy subjects and peers', () => {
  it('subject pods: namespaceSelector AND podSelector', () => {
    const db = anp(
      'db',
      10,
      { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } },
      {
        ingress: [{ action: 'Deny', peers: [all] }],
      },
    );
    expect(tiered(w, [], [db], 'dev/toy', 'prod/db', 5432)).to.equal('blocked');
    expect(tiered(w, [], [db], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('peer pods: matching pods in matching namespaces only', () => {
    const admin = anp('from-prom', 10, prodSubject, {
      ingress: [
        {
          action: 'Deny',
          peers: [
            {
              pods: {
                namespaceSelector: { matchLabels: { team: 'platform' } },
                podSelector: { matchLabels: { app: 'prom' } },
              },
            },
          ],
        },
      ],
    });
    expect(tiered(w, [], [admin], 'mon/prom', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [], [admin], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('networks (egress) match any address in a CIDR, pods included', () => {
    const out = anp('no-dev-ips', 10, prodSubject, {
      egress: [{ action: 'Deny', peers: [{ networks: ['10.244.9.0/24'] }] }],
    });
    expect(tiered(w, [], [out], 'prod/web', 'dev/toy', 80)).to.equal('blocked');
    const ext = anp('no-api', 10, prodSubject, {
      egress: [{ action: 'Deny', peers: [{ networks: ['203.0.113.0/24'] }] }],
    });
    expect(tiered(w, [], [ext], 'prod/web', 'external:api', 443)).to.equal('blocked');
    expect(tiered(w, [], [ext], 'prod/web', 'dev/toy', 80)).to.equal('allowed');
  });

  it('namespace and pod peers never match an external, whatever the selector', () => {
    const out = anp('deny-all-pods', 10, prodSubject, { egress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [out], 'prod/web', 'external:api', 443)).to.equal('allowed');
    expect(tiered(w, [], [out], 'prod/web', 'dev/toy', 80)).to.equal('blocked');
  });

  it('a peer with no field matches nothing (scenarios refuse one, and nodes peers, at load)', () => {
    const odd = anp('odd', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [{}] }] });
    expect(tiered(w, [denyAllIngressToWeb], [odd], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });
});

describe('AdminNetworkPolicy ports', () => {
  const rule = (ports: NonNullable<Parameters<typeof anp>[3]['ingress']>[number]['ports']) =>
    anp('ports', 10, prodSubject, { ingress: [{ action: 'Deny', peers: [all], ...(ports ? { ports } : {}) }] });

  it('absent ports: every port', () => {
    expect(tiered(w, [], [rule(undefined)], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('blocked');
  });

  it('portNumber: protocol and number', () => {
    const p = rule([{ portNumber: { protocol: 'UDP', port: 53 } }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('portRange: inclusive at both ends, TCP when no protocol is given', () => {
    const p = rule([{ portRange: { start: 80, end: 8080 } }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 8080)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 53, 'UDP')).to.equal('allowed');
  });

  it('namedPort: the destination container port of that name', () => {
    const p = rule([{ namedPort: 'http' }]);
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 8080)).to.equal('blocked');
    expect(tiered(w, [], [p], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });
});

describe('BaselineAdminNetworkPolicy', () => {
  const base = banp(
    { namespaces: {} },
    {
      ingress: [
        { action: 'Allow', peers: [ns({ team: 'platform' })] },
        { action: 'Deny', peers: [all] },
      ],
    },
  );

  it('applies only to traffic no NetworkPolicy isolates', () => {
    expect(tiered(w, [], [base], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [allowDevToWeb], [base], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
    expect(tiered(w, [allowDevToWeb], [base], 'dev/toy', 'prod/db', 5432), 'db is not isolated').to.equal('blocked');
  });

  it('its rules in order: the first match decides', () => {
    expect(tiered(w, [], [base], 'mon/prom', 'prod/web', 80)).to.equal('allowed');
  });

  it('no matching baseline rule: allowed, as without a baseline', () => {
    const narrow = banp({ namespaces: {} }, { ingress: [{ action: 'Deny', peers: [ns({ env: 'nowhere' })] }] });
    expect(tiered(w, [], [narrow], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('an AdminNetworkPolicy Allow is final: the baseline is not consulted', () => {
    const allow = anp('allow', 10, prodSubject, { ingress: [{ action: 'Allow', peers: [all] }] });
    expect(tiered(w, [], [allow, base], 'dev/toy', 'prod/web', 80)).to.equal('allowed');
  });

  it('its subject limits it: pods it does not select fall through to allowed', () => {
    const prodOnly = banp(prodSubject, { ingress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [prodOnly], 'prod/web', 'dev/toy', 80)).to.equal('allowed');
    expect(tiered(w, [], [prodOnly], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
  });

  it('egress is its own walk: a baseline egress deny blocks what ingress would allow', () => {
    const out = banp({ namespaces: { matchLabels: { env: 'dev' } } }, { egress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [out], 'dev/toy', 'prod/web', 80)).to.equal('blocked');
    expect(tiered(w, [], [out], 'prod/web', 'dev/toy', 80)).to.equal('allowed');
  });
});

describe('cluster-scoped selectors and cluster DNS', () => {
  it('never select cluster DNS: a scenario confines them to its own namespaces', () => {
    const out = anp('deny-egress', 10, { namespaces: {} }, { egress: [{ action: 'Deny', peers: [all] }] });
    expect(tiered(w, [], [out], 'prod/web', 'kube-system/kube-dns', 53, 'UDP')).to.equal('allowed');
    const ips = anp(
      'deny-pod-cidr',
      10,
      { namespaces: {} },
      {
        egress: [{ action: 'Deny', peers: [{ networks: ['10.244.0.0/16'] }] }],
      },
    );
    expect(tiered(w, [], [ips], 'prod/web', 'kube-system/kube-dns', 53, 'UDP'), 'a CIDR still covers it').to.equal(
      'blocked',
    );
  });
});
