import { expect } from 'chai';
import { leftovers, type DockerSnapshot } from '../../../scripts/ci/docker-state.js';

const o = (id: string, name: string, run = '') => ({ id, name, run });

describe('the live smoke judges only what it made itself', () => {
  const before: DockerSnapshot = { containers: [o('a1', 'old-job')], networks: [o('n1', 'bridge')] };
  const after: DockerSnapshot = {
    containers: [
      o('a1', 'old-job'),
      o('c1', 'nph-smoke-42-calico-worker'),
      o('c2', 'nph-ext-r1abcd-0-203-0-113-10', 'r1abcd'),
      o('c3', 'nph-rbac-calico-control-plane'),
    ],
    networks: [o('n1', 'bridge'), o('n2', 'kind'), o('n3', 'nph-ext-r1abcd-0', 'r1abcd')],
  };
  it("names its own cluster's nodes and its run's externals and networks left behind", () => {
    expect(leftovers(before, after, 'nph-smoke-42', 'r1abcd')).to.deep.equal([
      'container left behind: nph-smoke-42-calico-worker (c1)',
      'container left behind: nph-ext-r1abcd-0-203-0-113-10 (c2)',
      'docker network left behind: nph-ext-r1abcd-0 (n3)',
    ]);
  });
  it("ignores another job's cluster started meanwhile, and kind's own network", () => {
    expect(leftovers(before, after, 'nph-smoke-42', 'r1abcd').join('\n')).not.to.match(/nph-rbac|kind\b/);
  });
  it('a clean teardown leaves nothing to name', () => {
    expect(leftovers(before, before, 'nph-smoke-42', 'r1abcd')).to.deep.equal([]);
  });
});
