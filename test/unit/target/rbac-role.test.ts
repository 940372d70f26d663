import { expect } from 'chai';
import { REQUIRED_ACCESS, SERVICE_ACCESS } from '../../../harness/target/access.js';
import { grantsOf, shippedRole, wording } from '../../e2e/fixtures/rbac/identities.js';

describe('clusters/rbac/netpol-harness.yaml', () => {
  it('grants exactly the permissions the harness checks for before a run (REQUIRED_ACCESS, and SERVICE_ACCESS for Services), each once', () => {
    const granted = grantsOf(shippedRole()).map(wording).sort();
    expect(granted).to.deep.equal([...REQUIRED_ACCESS, ...SERVICE_ACCESS].map(wording).sort());
    expect(new Set(granted).size).to.equal(granted.length);
  });
});
