import { expect } from 'chai';
import { workloadClasses } from '../../../harness/inventory/classes.js';
import { serviceRoutes } from '../../../harness/inventory/service-routes.js';
import type { LiveService } from '../../../harness/inventory/snapshot.js';
import { shopSnapshot } from '../../support/shop-snapshot.js';

const snapshot = shopSnapshot();
const { classes } = workloadClasses(snapshot);
const { routes } = serviceRoutes(snapshot.services, classes, 'cluster.local');
const route = (service: string, port: number) => routes.find((r) => r.service === service && r.port.port === port)!;

describe('Services as check reaches them (--via service)', () => {
  it('each port of each Service, by its cluster IP and its fully qualified DNS name', () => {
    expect(routes.map((r) => `${r.service} ${r.port.port}`)).to.deep.equal([
      'shop/frontend 80',
      'shop/backend 80',
      'shop/backend 9090',
      'shop/redis 6379',
      'payments/payment-api 443',
    ]);
    expect(route('shop/frontend', 80)).to.deep.include({
      clusterIP: '10.96.12.40',
      dnsName: 'frontend.shop.svc.cluster.local.',
    });
  });
  it('a headless Service has no cluster IP: only its name, which answers with the pods', () => {
    expect(route('shop/redis', 6379).clusterIP).to.equal(undefined);
  });
  it('the classes behind a port are those the selector matches, on the targetPort: a name resolves per class', () => {
    expect(route('payments/payment-api', 443).backends).to.deep.equal([
      { key: 'payments/payment-api', port: { port: 8443, protocol: 'TCP', name: 'https' }, hostNetwork: false },
    ]);
    expect(route('shop/backend', 80).backends.map((b) => `${b.key} ${b.port.port}`)).to.deep.equal([
      'shop/backend 8080',
      'shop/backend~2 8080',
    ]);
  });
  it('the cluster domain is a setting (kubelet --cluster-domain)', () => {
    const other = serviceRoutes(snapshot.services, classes, 'corp.internal').routes;
    expect(other[0]!.dnsName).to.equal('frontend.shop.svc.corp.internal.');
  });

  const service = (extra: Partial<LiveService>): LiveService => ({
    namespace: 'shop',
    name: 'x',
    type: 'ClusterIP',
    clusterIPs: ['10.96.0.9'],
    selector: { app: 'frontend' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }],
    ...extra,
  });
  it('a named targetPort no class declares, or a selector nothing matches: nothing behind the port', () => {
    const none = serviceRoutes(
      [service({ ports: [{ port: 80, protocol: 'TCP', targetPort: 'grpc' }] }), service({ selector: { app: 'gone' } })],
      classes,
      'cluster.local',
    );
    expect(none.routes.map((r) => r.backends.length)).to.deep.equal([0, 0]);
  });
  it('a numeric targetPort a class does not declare still reaches it (EndpointSlices list the pod)', () => {
    const r = serviceRoutes([service({ ports: [{ port: 80, protocol: 'TCP', targetPort: 7000 }] })], classes, 'x.y');
    expect(r.routes[0]!.backends).to.deep.equal([
      { key: 'shop/frontend', port: { port: 7000, protocol: 'TCP' }, hostNetwork: false },
    ]);
  });
  it('a Service without a selector or an ExternalName is left out, with why', () => {
    const { selector: _, ...bare } = service({});
    const r = serviceRoutes([bare, service({ name: 'ext', type: 'ExternalName' })], classes, 'cluster.local');
    expect(r.routes).to.deep.equal([]);
    expect(r.skipped).to.deep.equal([
      'Service shop/x has no selector: its endpoints are managed by hand, not probed via it',
      'Service shop/ext is an ExternalName: it points outside, not to pods',
    ]);
  });
});
