import { expect } from 'chai';
import type { WorkloadClass } from '../../../harness/inventory/classes.js';
import { workloadNames } from '../../../harness/repro/workload-names.js';

const cls = (namespace: string, name: string): WorkloadClass => ({
  key: `${namespace}/${name}`,
  namespace,
  name,
  owners: [],
  labels: {},
  ports: [],
  hostNetwork: false,
  replicas: 1,
  pods: [],
  splitBy: [],
});

describe('a scenario workload name for each class', () => {
  it('keeps names that are DNS labels, in every namespace', () => {
    const { names, renamed } = workloadNames([cls('shop', 'web'), cls('data', 'web')]);
    expect([...names]).to.deep.equal([
      ['shop/web', 'web'],
      ['data/web', 'web'],
    ]);
    expect(renamed).to.deep.equal([]);
  });

  it('rewrites `~2` and dots, and says so; a real name is never moved for a rewritten one', () => {
    const { names, renamed } = workloadNames([cls('shop', 'web~2'), cls('shop', 'web-2'), cls('shop', 'api.v1')]);
    expect(names.get('shop/web-2')).to.equal('web-2');
    expect(names.get('shop/web~2')).to.equal('web-2-2');
    expect(names.get('shop/api.v1')).to.equal('api-v1');
    expect(renamed).to.have.length(2);
    expect(renamed[0]).to.contain('shop/web~2 is the workload shop/web-2-2');
  });

  it('shortens a long owner name to 63 characters and keeps them apart', () => {
    const long = `${'a'.repeat(70)}.x`;
    const { names } = workloadNames([cls('shop', long), cls('shop', `${long}~2`)]);
    const [a, b] = [names.get(`shop/${long}`)!, names.get(`shop/${long}~2`)!];
    expect(a).to.have.length(63);
    expect(b).to.have.length.at.most(63);
    expect(a).to.not.equal(b);
  });
});
