import { expect } from 'chai';
import type { Scenario } from '../../../harness/model/scenario.js';
import { replayWarnings } from '../../../harness/report/replay-warnings.js';

const scenario = (environment?: Scenario['environment']): Scenario => ({
  file: 'repro/prod.yaml',
  name: 'prod',
  podCIDR: '10.244.0.0/16',
  namespaces: [],
  workloads: [],
  externals: [],
  steps: [],
  ...(environment ? { environment } : {}),
});

describe('a replay says which cluster the scenario was captured from', () => {
  it('nothing for a scenario written by hand', () => {
    expect(replayWarnings(scenario())).to.deep.equal([]);
  });

  it('the cluster, its settings, the policies not replayed and how much was not carried', () => {
    expect(
      replayWarnings(
        scenario({
          context: 'prod',
          capturedAt: '2026-11-30T12:00:00.000Z',
          kubernetesVersion: 'v1.31.2',
          cni: ['cilium v1.16.4'],
          settings: ['kube-system/cilium-config enable-policy=default (default)'],
          otherPolicies: ['CiliumClusterwideNetworkPolicy lockdown: applies (shop/redis)'],
          notCarried: ['a', 'b'],
        }),
      ),
    ).to.deep.equal([
      'warning: repro/prod.yaml was captured from context prod (Kubernetes v1.31.2, CNI cilium v1.16.4) at ' +
        '2026-11-30T12:00:00.000Z; where this replay differs from it, look here first:',
      'warning:   its CNI settings: kube-system/cilium-config enable-policy=default (default)',
      'warning:   policies of other kinds there, not replayed: CiliumClusterwideNetworkPolicy lockdown: applies (shop/redis)',
      'warning:   2 thing(s) the scenario could not carry (metadata.environment.notCarried lists them)',
    ]);
  });
});
