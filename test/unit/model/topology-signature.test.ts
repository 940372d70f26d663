import { expect } from 'chai';
import { topologySignature } from '../../../harness/model/topology-signature.js';
import type { Scenario } from '../../../harness/model/scenario.js';

type Shape = Pick<Scenario, 'namespaces' | 'workloads'>;
const shape = (labels: Record<string, string>, ports: Shape['workloads'][number]['ports'] = [{ port: 80, protocol: 'TCP' }]): Shape => ({
  namespaces: [{ name: 'x', labels: { team: labels['team'] ?? 'a' } }, { name: 'y', labels: {} }],
  workloads: [{ namespace: 'x', name: 'a', labels, ports }, { namespace: 'y', name: 'b', labels: {}, ports: [{ port: 81, protocol: 'UDP' }] }],
});

describe('topology signature: which scenarios can share pods', () => {
  it('ignores labels (they change on running pods) and declaration order', () => {
    const a = shape({ app: 'a' });
    const b = { ...shape({ app: 'other', team: 'b' }), workloads: [...shape({}).workloads].reverse() };
    expect(topologySignature(a)).to.equal(topologySignature(b));
  });

  it('differs when a port, a protocol or a port name differs (container ports are immutable)', () => {
    const base = topologySignature(shape({}));
    expect(topologySignature(shape({}, [{ port: 8080, protocol: 'TCP' }]))).not.to.equal(base);
    expect(topologySignature(shape({}, [{ port: 80, protocol: 'UDP' }]))).not.to.equal(base);
    expect(topologySignature(shape({}, [{ port: 80, protocol: 'TCP', name: 'http' } as never]))).not.to.equal(base);
  });

  it('differs when a namespace or workload is added or renamed', () => {
    const base = shape({});
    expect(topologySignature({ ...base, namespaces: [...base.namespaces, { name: 'z', labels: {} }] })).not.to.equal(topologySignature(base));
    expect(topologySignature({ ...base, workloads: [{ ...base.workloads[0]!, name: 'c' }, base.workloads[1]!] })).not.to.equal(topologySignature(base));
  });
});
