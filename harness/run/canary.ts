import type { Expectations, Scenario } from '../model/scenario.js';
import { isBlocked } from '../model/observation.js';
import type { RunSettings } from './settings.js';
import { runScenario } from './scenario-run.js';
import { type TargetSession } from '../target/session.js';

const ORIGIN = { file: '<canary>', line: 1, col: 1 };
const PREDICTED: Expectations = {
  default: 'predicted',
  ignoreSelf: true,
  rules: [],
  matrices: [],
  dns: [],
  knownDeviations: [],
};
const NO_LABELS = { namespaces: new Map(), workloads: new Map() };

/** Two pods; first no policy (client must reach server), then a default-deny ingress (it must not). */
export function canaryScenario(): Scenario {
  const denyIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'canary-deny-ingress', namespace: 'canary' },
    spec: { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'] },
  };
  return {
    file: ORIGIN.file,
    name: 'canary',
    podCIDR: '10.244.0.0/16',
    namespaces: [{ name: 'canary', labels: {} }],
    workloads: [
      { namespace: 'canary', name: 'server', labels: { app: 'server' }, ports: [{ port: 8080, protocol: 'TCP' }] },
      { namespace: 'canary', name: 'client', labels: { app: 'client' }, ports: [{ port: 8081, protocol: 'TCP' }] },
    ],
    externals: [],
    steps: [
      { name: 'open', index: 0, policies: [], clusterPolicies: [], labels: NO_LABELS, expect: PREDICTED },
      {
        name: 'deny',
        index: 1,
        policies: [{ manifest: denyIngress, origin: ORIGIN }],
        clusterPolicies: [],
        labels: NO_LABELS,
        expect: PREDICTED,
      },
    ],
  };
}

export interface Enforcement {
  readonly enforced: boolean;
  readonly evidence: string;
}

/**
 * Does this target enforce NetworkPolicy at all? A CNI that accepts policies and enforces nothing
 * (kindnet without NFT_QUEUE, say) would make every "allowed" look like a policy bug; this finds it first.
 */
export async function checkEnforcement(target: TargetSession, settings: RunSettings): Promise<Enforcement> {
  // The canary is ours, not the user's: its namespace goes at its end even under --keep-namespaces.
  const run = await runScenario(target, canaryScenario(), 999, { ...settings, keepNamespaces: false });
  if (run.error) throw new Error(`the enforcement canary could not run: ${run.error}`);
  const cell = (step: number) =>
    run.steps[step]?.cells.find((c) => c.from === 'canary/client' && c.to === 'canary/server');
  const open = cell(0);
  const denied = cell(1);
  if (!open || !denied) throw new Error('the enforcement canary produced no result');
  if (open.observed !== 'allowed')
    throw new Error(
      `the canary client cannot reach its server even without policy (${open.observed}: ${open.detail}); ` +
        `pod networking is broken on ${target.name}`,
    );
  if (isBlocked(denied.observed))
    return {
      enforced: true,
      evidence: `a default-deny ingress made client -> server ${denied.observed} after ${denied.settledAfterMs} ms`,
    };
  return {
    enforced: false,
    evidence:
      `with a default-deny ingress policy applied, client -> server was still ${denied.observed} (${denied.detail}) ` +
      `after ${run.steps[1]?.convergence.rounds ?? 0} probe rounds`,
  };
}
