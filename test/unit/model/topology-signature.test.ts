import { expect } from 'chai';
import { topologySignature } from '../../../harness/model/topology-signature.js';
import type { Scenario } from '../../../harness/model/scenario.js';

type Shape = Pick<Scenario, 'namespaces' | 'workloads'>;
const shape = (
  labels: Record<string, string>,
  ports: Shape['workloads'][number]['ports'] = [{ port: 80, protocol: 'TCP' }],
): Shape => ({
  namespaces: [
    { name: 'x', labels: { team: labels['team'] ?? 'a' } },
    { name: 'y', labels: {} },
  ],
  workloads: [
    { namespace: 'x', name: 'a', labels, ports },
    { namespace: 'y', name: 'b', labels: {}, ports: [{ port: 81, protocol: 'UDP' }] },
  ],
});

describe('topology signature: which scenarios can share pods', () => {
  it('ignores declaration order', () => {
    const a = shape({ app: 'a' });
    const b = { ...a, workloads: [...a.workloads].reverse(), namespaces: [...a.namespaces].reverse() };
    expect(topologySignature(a)).to.equal(topologySignature(b));
  });

  it("differs when the first step's labels differ: a relabelled pod takes some CNIs tens of seconds (cilium/cilium#38031)", () => {
    expect(topologySignature(shape({ app: 'a' }))).not.to.equal(topologySignature(shape({ app: 'b' })));
    expect(topologySignature(shape({ app: 'a' }))).not.to.equal(topologySignature(shape({ app: 'a', team: 'b' })));
    const overridden = {
      ...shape({ app: 'a' }),
      steps: [{ labels: { namespaces: new Map(), workloads: new Map([['x/a', { app: 'b' }]]) } }],
    };
    expect(topologySignature(overridden)).to.equal(topologySignature(shape({ app: 'b' })));
  });

  it('differs when a port, a protocol or a port name differs (container ports are immutable)', () => {
    const base = topologySignature(shape({}));
    expect(topologySignature(shape({}, [{ port: 8080, protocol: 'TCP' }]))).not.to.equal(base);
    expect(topologySignature(shape({}, [{ port: 80, protocol: 'UDP' }]))).not.to.equal(base);
    expect(topologySignature(shape({}, [{ port: 80, protocol: 'TCP', name: 'http' } as never]))).not.to.equal(base);
  });

  it('differs when a namespace or workload is added or renamed', () => {
    const base = shape({});
    expect(topologySignature({ ...base, namespaces: [...base.namespaces, { name: 'z', labels: {} }] })).not.to.equal(
      topologySignature(base),
    );
    expect(
      topologySignature({ ...base, workloads: [{ ...base.workloads[0]!, name: 'c' }, base.workloads[1]!] }),
    ).not.to.equal(topologySignature(base));
  });
});
