import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CLUSTER_SCOPED_ACCESS, REQUIRED_ACCESS, SERVICE_ACCESS } from '../../../harness/target/access.js';
import { grantsOf, shippedRole, wording, type ClusterRole } from '../../e2e/fixtures/rbac/identities.js';

describe('clusters/rbac/netpol-harness.yaml', () => {
  it('grants exactly the permissions the harness checks for before a run (REQUIRED_ACCESS, and SERVICE_ACCESS for Services), each once', () => {
    const granted = grantsOf(shippedRole()).map(wording).sort();
    expect(granted).to.deep.equal([...REQUIRED_ACCESS, ...SERVICE_ACCESS].map(wording).sort());
    expect(new Set(granted).size).to.equal(granted.length);
  });
});

describe('clusters/rbac/netpol-harness-cluster-scoped.yaml', () => {
  it('grants exactly what run --allow-cluster-scoped checks for (CLUSTER_SCOPED_ACCESS), each once', () => {
    const role = parse(readFileSync('clusters/rbac/netpol-harness-cluster-scoped.yaml', 'utf8')) as ClusterRole;
    const granted = grantsOf(role).map(wording).sort();
    expect(granted).to.deep.equal(CLUSTER_SCOPED_ACCESS.map(wording).sort());
    expect(new Set(granted).size).to.equal(granted.length);
  });
});
