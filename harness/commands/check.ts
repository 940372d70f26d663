/**
 * `check --context C --namespace a,b --dry-run`: probe real namespaces in place. It reads the
 * namespaces read-only (harness/target/read-cluster.ts), groups pods into workload classes, predicts
 * every class pair with the engine, plans a probe pod per source class and a probe per destination
 * pod and port, and prints all of it. Only --dry-run exists so far: the live path (create the probe
 * pods, probe, judge, delete by run label) has not been run against a cluster, and a command that
 * creates pods in production namespaces ships only once it has been.
 */
import { hostname } from 'node:os';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { loadClusterVersions, probeImage } from '../cluster/versions.js';
import { Prediction } from '../engine/predict.js';
import { classesToWorld } from '../inventory/world.js';
import type { Environment } from '../inventory/environment.js';
import type { AccessCheck, KubeGateway } from '../kube/gateway.js';
import { LiveGateway } from '../kube/live-gateway.js';
import { newRunId } from '../model/cluster-names.js';
import { formatOwner } from '../model/run-owner.js';
import { planCheck, predictorFor } from '../probe/check-plan.js';
import { unsafeSources } from '../probe/check-safety.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { readInventory, type Inventory } from '../target/read-cluster.js';
import { TargetError } from '../target/target-error.js';
import { checkTimeouts, namespaceRequest, type CheckFlags } from './check-options.js';
import { renderDryRun } from './check-dry-run.js';
import type { CommandIO } from './io.js';

/** What check needs from outside: injected, so tests run it on a recorded cluster. */
export interface CheckDeps {
  readonly gateway: (context: string, kubeconfig?: string) => KubeGateway;
  readonly image: () => string;
  readonly runId: () => string;
  /** `host:pid`, recorded on every object check creates. */
  readonly owner: () => string;
}

export const LIVE_CHECK_DEPS: CheckDeps = {
  gateway: (context, kubeconfig) => {
    try {
      return new LiveGateway(kubeconfig, context);
    } catch (e) {
      throw new TargetError((e as Error).message);
    }
  },
  image: () => probeImage(loadClusterVersions()),
  runId: () => newRunId(),
  owner: () => formatOwner({ host: hostname(), pid: process.pid }),
};

export const LIVE_PATH_UNAVAILABLE =
  'check without --dry-run is not yet available: the live path (probe pods in real namespaces) ' +
  'has not been tested on a cluster yet; use --dry-run to see every object and probe it would use';

export async function checkCommand(
  flags: CheckFlags,
  io: CommandIO,
  deps: CheckDeps = LIVE_CHECK_DEPS,
): Promise<ExitCode> {
  const request = namespaceRequest(flags);
  // Refused before the cluster is asked anything: nothing is read, nothing is created.
  if (!flags.dryRun) {
    io.err(`error: ${LIVE_PATH_UNAVAILABLE}`);
    return EXIT.infrastructure;
  }
  const gw = deps.gateway(flags.context, flags.kubeconfig);
  const inventory = await readInventory(gw, request);
  const namespaces = inventory.snapshot.namespaces;
  const classes = inventory.classing.classes;
  const world = classesToWorld(inventory.snapshot, classes);
  const timeouts = checkTimeouts(flags);
  const run = { runId: deps.runId(), owner: deps.owner() };
  // The Services again, raw: publishNotReadyAddresses is not part of the snapshot.
  const services = (await Promise.all(namespaces.map((ns) => gw.list('v1', 'Service', ns)))).flat();
  const plan = planCheck(classes, predictorFor(world, new Prediction(world, inventory.snapshot.policies)), {
    runId: run.runId,
    timeouts,
    allReplicas: flags.allReplicas ?? false,
    governedBy: governing(inventory.environment),
    unsafeSources: unsafeSources(services, classes),
  });
  const image: WorkloadImage = { image: flags.image ?? deps.image(), pullPolicy: 'IfNotPresent' };
  const denied = await gw.deniedAccess(liveAccess([...new Set(plan.probePods.map((p) => p.namespace))]));
  const notes = [
    ...notesOf(inventory),
    ...(denied.length ? [`the live path would be refused: ${denied.map(describeAccess).join(', ')} denied`] : []),
  ];
  io.out(
    renderDryRun({
      context: flags.context,
      namespaces,
      classes,
      plan,
      run,
      image,
      timeouts,
      activeDeadlineSeconds: flags.activeDeadline,
      notes,
    }),
  );
  return EXIT.ok;
}

/** Class key -> the policies of other kinds that apply or may apply to it (and that the CNI may enforce). */
function governing(environment: Environment): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const p of environment.clusterPolicies) {
    if (p.applicability === 'does not apply' || p.enforced === false) continue;
    const name = `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
    for (const key of p.classes) by.set(key, [...(by.get(key) ?? []), name]);
  }
  return by;
}

function notesOf(inventory: Inventory): string[] {
  return [
    ...(inventory.excluded.length ? [`system namespaces left out: ${inventory.excluded.join(', ')}`] : []),
    ...inventory.classing.skipped.map((s) => `${s.pod} skipped: ${s.reason}`),
    ...inventory.findings.map((f) => `${f.level}: ${f.message}`),
    ...inventory.classing.classes
      .filter((c) => c.splitBy.length && !c.hostNetwork)
      .map(
        (c) =>
          `${c.key} is split by ipBlock ${c.splitBy.join(', ')}: its cells as a source are predicted for its pods' ` +
          'IPs, while its probe pod sends from an IP of its own: ' +
          "the live path predicts them again for the probe pod's IP",
      ),
  ];
}

/**
 * What the live path needs in each checked namespace: clusters/rbac/netpol-harness-check.yaml's
 * netpol-harness-check-probe, bound there (server-side apply is a patch; exec is a get and a create).
 */
export function liveAccess(namespaces: readonly string[]): AccessCheck[] {
  const grants: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['configmaps', ['create', 'patch', 'delete']],
    ['pods', ['create', 'patch', 'delete']],
    ['pods/exec', ['create', 'get']],
  ];
  return namespaces.flatMap((namespace) =>
    grants.flatMap(([resource, verbs]) => verbs.map((verb) => ({ verb, resource, group: '', namespace }))),
  );
}

function describeAccess(a: AccessCheck): string {
  return `${a.verb} ${a.resource}${a.namespace ? ` in ${a.namespace}` : ''}`;
}
