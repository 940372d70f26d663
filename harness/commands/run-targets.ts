import type { CommandIO } from './io.js';
import { prepareContextTarget } from '../cluster/context-target.js';
import type { TargetInfo } from '../model/run-report.js';
import type { PreparedTarget } from '../target/session.js';
import type { RunSettings } from '../run/settings.js';
import type { Scenario } from '../model/scenario.js';
import { formatOwner } from '../model/run-owner.js';
import { execInExternal, findExternalRuns, provisionExternals, removeRunExternals } from '../cluster/externals.js';
import { thisHost } from '../run/orphans.js';
import { kindClusterNameFor } from '../cluster/kind-cluster.js';
import { kindTargetName, prepareKindTarget } from '../cluster/kind-target.js';

export type TargetRequest =
  | {
      readonly kind: 'kind';
      readonly cni: string;
      /** A version of the CNI the kit builds; absent, the default one. */
      readonly cniVersion?: string;
      /** A Kubernetes version of clusters/versions.yaml; absent, the default one. */
      readonly kubernetesVersion?: string;
      readonly keep: boolean;
    }
  | {
      readonly kind: 'context';
      readonly context: string;
      readonly kubeconfig?: string;
      readonly sctp: boolean;
      readonly probeExternals: boolean;
      /** Some scenario declares Services: the permissions they take are checked up front too. */
      readonly services?: boolean;
      /** Some scenario has cluster-scoped policies (and --allow-cluster-scoped): their permissions too. */
      readonly clusterScoped?: boolean;
    };

/** Bring every requested target up concurrently; one that cannot be used is reported, not fatal. */
export async function prepareTargets(
  requests: readonly TargetRequest[],
  settings: RunSettings,
  io: CommandIO,
  signal: AbortSignal,
): Promise<Array<PreparedTarget | { info: TargetInfo }>> {
  return Promise.all(
    requests.map(async (request) => {
      const name = request.kind === 'kind' ? kindTargetName(request) : request.context;
      try {
        return request.kind === 'kind'
          ? await prepareKindTarget({ ...request, images: [settings.image.image] }, (line) => io.err(line), signal)
          : await prepareContextTarget(request);
      } catch (e) {
        io.err(`target ${name}: ${(e as Error).message}`);
        const info: TargetInfo = {
          name,
          kind: request.kind,
          context: request.kind === 'context' ? request.context : `kind-${kindClusterNameFor(request)}`,
          enforcement: undefined,
          error: (e as Error).message,
          capabilities: { sctp: false },
          ...(request.kind === 'kind'
            ? { cni: request.cni, ...(request.cniVersion ? { cniVersion: request.cniVersion } : {}) }
            : {}),
        };
        return { info };
      }
    }),
  );
}

/**
 * Start the externals the scenarios declare beside the kind targets (one set for the whole run:
 * every kind cluster here shares the docker host) and tell each target which it can probe.
 * Existing clusters get none: their cells stay unsupported, with the reason.
 */
export async function attachExternals(
  prepared: ReadonlyArray<PreparedTarget | { info: TargetInfo }>,
  scenarios: readonly Scenario[],
  settings: RunSettings,
  io: CommandIO,
  signal: AbortSignal,
): Promise<{ targets: Array<PreparedTarget | { info: TargetInfo }>; remove: () => Promise<void> }> {
  const externals = scenarios.flatMap((s) => s.externals);
  const clusters = prepared.flatMap((t) => ('session' in t && t.session.kindCluster ? [t.session.kindCluster] : []));
  if (!externals.length || !clusters.length) return { targets: [...prepared], remove: async () => undefined };
  const removeLeftovers = () => removeRunExternals(settings.runId);
  try {
    const up = await provisionExternals(
      { id: settings.runId, owner: formatOwner(settings.owner) },
      externals,
      clusters,
      settings.image.image,
      (m) => io.err(`[externals] ${m}`),
      signal,
    );
    const targets = prepared.map((t) =>
      'session' in t && t.session.kindCluster
        ? {
            ...t,
            session: {
              ...t.session,
              externals: up.servers,
              externalsUnavailable: up.refused,
              externalClients: up.clients,
              execInExternal,
            },
          }
        : t,
    );
    return {
      targets,
      remove: async () => {
        await up.remove();
        await removeLeftovers();
      },
    };
  } catch (e) {
    await removeLeftovers();
    const why = `could not start the externals: ${(e as Error).message}`;
    io.err(`[externals] ${why}`);
    const refused = new Map(externals.map((x) => [x.ip, why]));
    return {
      targets: prepared.map((t) =>
        'session' in t ? { ...t, session: { ...t.session, externalsUnavailable: refused } } : t,
      ),
      remove: async () => undefined,
    };
  }
}

/**
 * Externals (containers, networks) of runs on this docker host whose process is gone (SIGKILL, a
 * crash): removed before this run starts its own, each named.
 */
export async function removeOrphanExternals(io: CommandIO): Promise<void> {
  for (const run of await findExternalRuns(thisHost)) {
    if (run.state !== 'orphaned') continue;
    io.err(`[externals] removing the externals of run ${run.runId}: its process (${run.owner}) is gone`);
    await removeRunExternals(run.runId);
  }
}
