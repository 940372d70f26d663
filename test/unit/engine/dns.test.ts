import { expect } from 'chai';
import { Prediction } from '../../../harness/engine/predict.js';
import { policy, pod, world } from '../../support/world.js';

const w = world({ shop: {} }, [pod('shop/web', { app: 'web' })]);
const resolves = (policies: Parameters<typeof policy>[2][]) =>
  new Prediction(
    w,
    policies.map((spec, i) => policy('shop', `p${i}`, spec)),
  ).dnsReachable(0);
const toKubeDns = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

describe('cluster DNS as a cell', () => {
  it('resolves with no policies', () => {
    expect(resolves([])).to.equal(true);
  });
  it('an ingress-only deny does not affect DNS', () => {
    expect(resolves([{ podSelector: {}, policyTypes: ['Ingress'] }])).to.equal(true);
  });
  it('a deny-all egress breaks DNS', () => {
    expect(resolves([{ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }])).to.equal(false);
  });
  it('egress to kube-system/kube-dns on 53/UDP restores it', () => {
    expect(
      resolves([
        { podSelector: {}, policyTypes: ['Egress'] },
        {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [toKubeDns], ports: [{ port: 53, protocol: 'UDP' }] }],
        },
      ]),
    ).to.equal(true);
  });
  it('53/TCP alone does not: nslookup asks over UDP', () => {
    expect(
      resolves([{ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [toKubeDns], ports: [{ port: 53 }] }] }]),
    ).to.equal(false);
  });
  it('a podSelector without namespaceSelector cannot reach kube-system', () => {
    expect(
      resolves([
        {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: [{ port: 53, protocol: 'UDP' }],
            },
          ],
        },
      ]),
    ).to.equal(false);
  });
});
