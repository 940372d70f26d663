import { expect } from 'chai';
import type { WorkloadClass } from '../../../harness/inventory/classes.js';
import type { LiveService } from '../../../harness/inventory/snapshot.js';
import { reproServices } from '../../../harness/repro/repro-services.js';

const cls = (
  name: string,
  labels: Record<string, string>,
  ports = [{ port: 8080, protocol: 'TCP' as const, name: 'http' }],
) =>
  ({
    key: `shop/${name}`,
    namespace: 'shop',
    name,
    owners: [],
    labels,
    ports,
    hostNetwork: false,
    replicas: 1,
    pods: [],
    splitBy: [],
  }) satisfies WorkloadClass;

const svc = (
  name: string,
  selector: Record<string, string> | undefined,
  extra: Partial<LiveService> = {},
): LiveService => ({
  namespace: 'shop',
  name,
  type: 'ClusterIP',
  clusterIPs: ['10.96.0.10'],
  ...(selector ? { selector } : {}),
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
  ...extra,
});

const WEB = cls('web', { app: 'web', tier: 'front' });
const API = cls('api', { app: 'api' });
const API_CANARY = cls('api~2', { app: 'api', track: 'canary' });

describe('the live Services a snapshot carries into its scenario', () => {
  it('a Service whose selector matches one class fronts it, ports as Kubernetes has them', () => {
    const { carried, notes } = reproServices([svc('web', { app: 'web' })], [WEB, API]);
    expect([...carried]).to.deep.equal([
      [
        'shop/web',
        {
          classKey: 'shop/web',
          service: {
            name: 'web',
            type: 'ClusterIP',
            ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
          },
        },
      ],
    ]);
    expect(notes).to.deep.equal([]);
  });

  it('a Service over two classes is not carried (a scenario Service fronts one workload), and said', () => {
    const { carried, notes } = reproServices([svc('api', { app: 'api' })], [API, API_CANARY]);
    expect(carried.size).to.equal(0);
    expect(notes).to.deep.equal([
      "Service shop/api not carried: it selects 2 workload classes (shop/api, shop/api~2); a scenario's Service " +
        'fronts one workload, and the pod path probes each',
    ]);
  });

  it('headless, ExternalName, selector-less and empty Services are said, not carried', () => {
    const { carried, notes } = reproServices(
      [
        svc('a-headless', { app: 'web' }, { clusterIPs: ['None'] }),
        svc('b-external', undefined, { type: 'ExternalName', clusterIPs: [] }),
        svc('c-manual', undefined),
        svc('d-nobody', { app: 'gone' }),
      ],
      [WEB],
    );
    expect(carried.size).to.equal(0);
    expect(notes).to.deep.equal([
      "Service shop/a-headless not carried: it is headless: its DNS name answers with the pods' own IPs, which " +
        'the pod path probes',
      'Service shop/b-external not carried: it is an ExternalName: it names a host outside the cluster, not pods',
      'Service shop/c-manual not carried: it has no selector (its endpoints are managed by hand)',
      'Service shop/d-nobody not carried: it selects no pod the scenario carries',
    ]);
  });

  it('a second Service in front of one class is said (a scenario workload has one Service)', () => {
    const { carried, notes } = reproServices([svc('web-b', { app: 'web' }), svc('web-a', { tier: 'front' })], [WEB]);
    expect([...carried.keys()]).to.deep.equal(['shop/web-a']);
    expect(notes).to.deep.equal([
      'Service shop/web-b not carried: shop/web already has the Service shop/web-a (a scenario workload has one)',
    ]);
  });

  it('a LoadBalancer is carried as the NodePort it allocates, with its externalTrafficPolicy, and said', () => {
    const { carried, notes } = reproServices(
      [svc('web', { app: 'web' }, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })],
      [WEB],
    );
    expect(carried.get('shop/web')?.service).to.include({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(notes[0]).to.match(/^Service shop\/web is a LoadBalancer, carried as a NodePort/);
    const clusterIp = reproServices([svc('web', { app: 'web' }, { externalTrafficPolicy: 'Local' })], [WEB]);
    expect(clusterIp.carried.get('shop/web')?.service).to.not.have.property('externalTrafficPolicy');
  });

  it('internalTrafficPolicy: Local is carried as a note: the replay cannot show node-local routing', () => {
    const { carried, notes } = reproServices([svc('web', { app: 'web' }, { internalTrafficPolicy: 'Local' })], [WEB]);
    expect(carried.size).to.equal(1);
    expect(notes).to.deep.equal([
      'Service shop/web has internalTrafficPolicy: Local (a pod reaches it only where the same node runs an ' +
        "endpoint; elsewhere the connection is dropped, whatever the policies say); the replay's Service routes " +
        'to any node, so it cannot show that',
    ]);
  });

  it('a port whose target the class does not declare is dropped and said; none left: not carried', () => {
    const ports = [
      { name: 'http', port: 80, protocol: 'TCP' as const, targetPort: 'http' },
      { name: 'admin', port: 9000, protocol: 'TCP' as const, targetPort: 'admin' },
      { name: 'raw', port: 9001, protocol: 'TCP' as const, targetPort: 9001 },
    ];
    const { carried, notes } = reproServices([svc('web', { app: 'web' }, { ports })], [WEB]);
    expect(carried.get('shop/web')?.service.ports.map((p) => p.port)).to.deep.equal([80]);
    expect(notes).to.deep.equal([
      'Service shop/web port 9000/TCP targets the port name "admin", which shop/web does not declare: a ' +
        'connection through it is refused wherever it lands; not carried',
      'Service shop/web port 9001/TCP targets "9001", which shop/web does not declare: a connection through it ' +
        'is refused wherever it lands; not carried',
    ]);
    const none = reproServices([svc('web', { app: 'web' }, { ports: ports.slice(1) })], [WEB]);
    expect(none.carried.size).to.equal(0);
    expect(none.notes.at(-1)).to.equal(
      'Service shop/web not carried: none of its ports reaches a port shop/web declares',
    );
  });

  it('a port name Kubernetes allows but a scenario does not (over 15 characters) is renamed, and said', () => {
    const ports = [{ name: 'http-for-the-web-ui', port: 80, protocol: 'TCP' as const, targetPort: 8080 }];
    const { carried, notes } = reproServices([svc('web', { app: 'web' }, { ports })], [WEB]);
    expect(carried.get('shop/web')?.service.ports).to.deep.equal([
      { name: 'port-80', port: 80, targetPort: 8080, protocol: 'TCP' },
    ]);
    expect(notes).to.deep.equal([
      'Service shop/web port 80 is named "port-80" (a scenario\'s port names are IANA service names, as ' +
        '"http-for-the-web-ui" is not)',
    ]);
  });
});
