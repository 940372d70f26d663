import { expect } from 'chai';
import { workloadClasses, type WorkloadClass } from '../../../harness/inventory/classes.js';
import { classesToWorld } from '../../../harness/inventory/world.js';
import { Prediction } from '../../../harness/engine/predict.js';
import { shopSnapshot } from '../../support/shop-snapshot.js';

const snapshot = shopSnapshot();
const { classes } = workloadClasses(snapshot);

/** Every running pod as a class of its own, with all its labels: the world the classes must agree with. */
const podLabels = new Map(snapshot.pods.map((p) => [`${p.namespace}/${p.name}`, p.labels]));
const perPod: WorkloadClass[] = classes.flatMap((c) =>
  c.pods.map((p) => {
    const key = `${c.namespace}/${p.name}`;
    return { ...c, key, name: p.name, labels: podLabels.get(key)!, replicas: 1, pods: [p] };
  }),
);

describe('classes as the engine world: one endpoint per class', () => {
  it('each class is an endpoint with its labels, ports and a member IP; host-network ones only as IPs', () => {
    const world = classesToWorld(snapshot, classes);
    const backend = world.endpoints.find((e) => e.key === 'shop/backend');
    expect(backend).to.deep.include({ kind: 'workload', namespace: 'shop', ip: '10.244.1.21' });
    expect(backend!.labels).to.deep.equal({ app: 'backend', tier: 'api' });
    const exporter = world.endpoints.find((e) => e.name === 'monitoring/node-exporter');
    expect(exporter).to.deep.include({ key: 'host:monitoring/node-exporter', kind: 'external', ip: '172.18.0.3' });
    expect(exporter!.labels).to.deep.equal({});
  });
  it('namespaces carry their labels, outside the read set too', () => {
    const world = classesToWorld(snapshot, classes);
    expect(world.namespaces.find((n) => n.name === 'kube-system')?.labels).to.deep.equal({
      'kubernetes.io/metadata.name': 'kube-system',
    });
  });
  it('the prediction per class pair equals the prediction for every pod pair it stands for', () => {
    const byClass = new Prediction(classesToWorld(snapshot, classes), snapshot.policies);
    const byPod = new Prediction(classesToWorld(snapshot, perPod), snapshot.policies);
    const classIndex = new Map(classes.flatMap((c, i) => c.pods.map((p) => [`${c.namespace}/${p.name}`, i])));
    let cells = 0;
    perPod.forEach((from, i) =>
      perPod.forEach((to, j) => {
        for (const port of classesToWorld(snapshot, [to]).endpoints[0]!.ports) {
          const a = classIndex.get(from.key)!;
          const b = classIndex.get(to.key)!;
          expect(byPod.allowed(i, j, port), `${from.key} -> ${to.key} ${port.port}`).to.equal(
            byClass.allowed(a, b, port),
          );
          cells++;
        }
      }),
    );
    expect(cells).to.be.greaterThan(200);
  });
});
