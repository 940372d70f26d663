/**
 * `check` on one context: read the namespaces (read-only), class the pods, predict every class pair
 * over the live policies, plan the probe pods and probes; then, live, refuse up front when an RBAC
 * verb is missing (nothing created), create, probe, judge and remove (harness/run/check-live.ts),
 * and assemble the context's report. The command prints the plan instead with --dry-run.
 */
import { Prediction } from '../engine/predict.js';
import { modelledClusterPolicies } from '../inventory/cluster-policies.js';
import { clusterPolicyOf } from '../model/admin-policy.js';
import type { KubeObject } from '../model/kube-object.js';
import { classesToWorld } from '../inventory/world.js';
import { environmentRows } from '../inventory/environment-rows.js';
import type { Environment } from '../inventory/environment.js';
import type { NamespaceRequest } from '../inventory/namespaces.js';
import type { AccessCheck, KubeGateway } from '../kube/gateway.js';
import type {
  CheckContextReport,
  CheckReportCell,
  CheckReportClass,
  CheckReportService,
} from '../model/check-report.js';
import type { World } from '../model/world.js';
import { unsafeSources } from '../probe/check-safety.js';
import { serviceRoutes } from '../inventory/service-routes.js';
import { planCheck, predictorFor, predictorForProbePods, type CheckCell, type CheckPlan } from '../probe/check-plan.js';
import { readInventory, type Inventory } from '../target/read-cluster.js';
import { resolveExpectations } from '../model/expectations.js';
import { errorsOf, ScenarioError } from '../scenario/diagnostic.js';
import { intentExpectations, type Intent } from '../scenario/intent.js';
import type { HarnessPod } from '../inventory/snapshot.js';
import { ownerState, parseOwner, type Here } from '../model/run-owner.js';
import { CHECK_POD_PREFIX, checkOwnerName } from '../probe/check-pod.js';
import { thisHost } from './orphans.js';
import { TargetError } from '../target/target-error.js';
import { checkLive, type CheckedCell, type CheckLiveResult, type CheckLiveSettings } from './check-live.js';

export interface PlannedContext {
  readonly context: string;
  readonly inventory: Inventory;
  readonly world: World;
  readonly plan: CheckPlan;
  /** What planning left out, one line each (Services not probed via, and why). */
  readonly notes: readonly string[];
}

export interface PlanOptions {
  readonly runId: string;
  readonly timeouts: CheckLiveSettings['timeouts'];
  readonly allReplicas: boolean;
  /** `--expect`: cells it names are judged against it. */
  readonly intent?: Intent;
  /** `--via`: which paths to probe: the pods by IP, the Services by cluster IP and DNS name. */
  readonly via: { readonly pods: boolean; readonly services: boolean };
  /** The cluster's DNS domain, for Services' names (`--cluster-domain`). */
  readonly clusterDomain: string;
}

/** Everything before the first write: read, class, predict, plan. */
export async function planContext(
  gw: KubeGateway,
  context: string,
  request: NamespaceRequest,
  options: PlanOptions,
): Promise<PlannedContext> {
  const inventory = await readInventory(gw, request);
  const classes = inventory.classing.classes;
  const world = classesToWorld(inventory.snapshot, classes);
  // The Services again, raw: publishNotReadyAddresses is not part of the snapshot.
  const namespaces = inventory.snapshot.namespaces;
  const services = (await Promise.all(namespaces.map((ns) => gw.list('v1', 'Service', ns)))).flat();
  const routes = options.via.services
    ? serviceRoutes(inventory.snapshot.services, classes, options.clusterDomain)
    : { routes: [], skipped: [] };
  const modelled = modelledClusterPolicies(inventory.clusterPolicyObjects);
  const prediction = new Prediction(world, inventory.snapshot.policies, modelled.map(clusterPolicyOf));
  const planned = planCheck(classes, predictorFor(world, prediction), {
    runId: options.runId,
    timeouts: options.timeouts,
    allReplicas: options.allReplicas,
    governedBy: governing(inventory.environment, modelled),
    unsafeSources: unsafeSources(services, classes),
    viaPods: options.via.pods,
    routes: routes.routes,
  });
  const plan = options.intent ? withIntent(planned, options.intent, context, world, inventory) : planned;
  return { context, inventory, world, plan, notes: routes.skipped };
}

/**
 * The intent's expectation on every cell a rule or matrix of it names; a peer naming nothing is
 * exit 3. A Service cell takes the expectation of the classes behind it when they all share one.
 */
function withIntent(plan: CheckPlan, intent: Intent, context: string, world: World, inventory: Inventory): CheckPlan {
  const { expectations, diagnostics } = intentExpectations(
    intent,
    context,
    inventory.snapshot.namespaces,
    inventory.classing.classes,
  );
  if (!expectations) throw new ScenarioError(errorsOf(diagnostics));
  // A host-network class is an endpoint keyed `host:<key>` (harness/inventory/world.ts), named by its key.
  const endpoint = new Map(world.endpoints.map((e) => [e.kind === 'external' ? e.name : e.key, e]));
  // Each cell asks for one pair per destination class: itself, or every class behind its Service.
  const pairs = plan.cells.map((c) => c.route?.service.backends ?? [{ key: c.to, port: c.port }]);
  const refs = plan.cells.flatMap((c, i) =>
    pairs[i]!.map((to) => ({
      from: endpoint.get(c.from)!,
      to: endpoint.get(to.key)!,
      port: to.port,
      predicted: c.predicted,
    })),
  );
  const resolved = resolveExpectations(expectations, refs);
  let next = 0;
  const cells = plan.cells.map((c, i) => {
    const named = pairs[i]!.map(() => resolved[next++]!);
    const said = new Set(named.map((e) => (e.source === 'default' ? 'unasserted' : e.expected)));
    const [only] = [...said];
    if (said.size !== 1 || only === undefined || only === 'unasserted') return c;
    return { ...c, expected: only === 'allow' };
  });
  return { ...plan, cells };
}

/** Class key -> the policies of other kinds that apply or may apply to it (and that the CNI may enforce). */
function governing(environment: Environment, modelled: readonly KubeObject[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  const isModelled = (p: { kind: string; name: string }) =>
    modelled.some((o) => o.kind === p.kind && o.metadata.name === p.name);
  for (const p of environment.clusterPolicies) {
    if (p.applicability === 'does not apply' || p.enforced === false || isModelled(p)) continue;
    const name = `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
    for (const key of p.classes) by.set(key, [...(by.get(key) ?? []), name]);
  }
  return by;
}

/** The namespaces the live path writes in: those with a probe pod. */
export function probedNamespaces(plan: CheckPlan): string[] {
  return [...new Set(plan.probePods.map((p) => p.namespace))];
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

export function describeAccess(a: AccessCheck): string {
  return `${a.verb} ${a.resource}${a.namespace ? ` in ${a.namespace}` : ''}`;
}

/** Refuse before the first write when a verb the live path needs is denied, listing each one. */
export async function assertCheckAccess(gw: KubeGateway, planned: PlannedContext): Promise<void> {
  const denied = await gw.deniedAccess(liveAccess(probedNamespaces(planned.plan)));
  if (!denied.length) return;
  throw new TargetError(
    `${planned.context}: missing RBAC permissions: ${denied.map(describeAccess).join(', ')} ` +
      '(bind clusters/rbac/netpol-harness-check.yaml in the checked namespaces); nothing was created',
  );
}

/**
 * Probe in place and report; the probe pods are removed before this returns, whatever happened.
 * First, what earlier checks killed before their cleanup left here (SIGKILL, a crash) is removed,
 * when their process on this host is gone; probe pods of checks still running are left alone.
 */
export async function checkContextLive(
  gw: KubeGateway,
  planned: PlannedContext,
  settings: Omit<CheckLiveSettings, 'repredict'>,
  here: Here = thisHost,
): Promise<CheckContextReport> {
  const { inventory, world } = planned;
  const earlier = await removeDeadChecks(gw, inventory.snapshot.harnessPods, here, probedNamespaces(planned.plan));
  const result = await checkLive(gw, planned.plan, inventory.classing.classes, {
    ...settings,
    repredict: (ips) =>
      predictorForProbePods(
        world,
        inventory.snapshot.policies,
        ips,
        modelledClusterPolicies(inventory.clusterPolicyObjects).map(clusterPolicyOf),
      ),
  });
  const report = contextReport(planned, result);
  return {
    ...report,
    notes: [...earlier.notes, ...report.notes],
    cleanupErrors: [...earlier.failures, ...report.cleanupErrors],
  };
}

/**
 * Probe pods of other checks, by run: those whose process is gone are removed with their owner
 * ConfigMaps. A check killed between creating a namespace's ConfigMap and its first probe pod there
 * left a ConfigMap with no pod beside it; the check role cannot list ConfigMaps (they hold real
 * configuration), so the dead run's ConfigMap is deleted by name in every namespace this check
 * writes in too (`alsoIn`), not only where its pods were. A check killed before its first pod
 * anywhere leaves one ConfigMap (no data, the run label) nothing here can name (README: check).
 */
export async function removeDeadChecks(
  gw: KubeGateway,
  pods: readonly HarnessPod[],
  here: Here,
  alsoIn: readonly string[] = [],
): Promise<{ notes: string[]; failures: string[] }> {
  const notes: string[] = [];
  const failures: string[] = [];
  const byRun = new Map<string, HarnessPod[]>();
  for (const p of pods.filter((x) => x.name.startsWith(CHECK_POD_PREFIX)))
    byRun.set(p.runId, [...(byRun.get(p.runId) ?? []), p]);
  for (const [runId, list] of byRun) {
    const owner = parseOwner(list[0]!.owner);
    const state = ownerState(owner, here);
    const who = owner ? `${owner.host} pid ${owner.pid}` : 'an unknown process';
    if (state !== 'orphaned') {
      notes.push(`check ${runId} (${who}, ${state}) also has ${list.length} probe pod(s) here: left alone`);
      continue;
    }
    const remove = (kind: string, namespace: string, name: string) =>
      gw
        .remove({ apiVersion: 'v1', kind, metadata: { name, namespace } })
        .catch((e: Error) => void failures.push(`${kind} ${namespace}/${name} (check ${runId}): ${e.message}`));
    for (const namespace of new Set([...list.map((p) => p.namespace), ...alsoIn]))
      await remove('ConfigMap', namespace, checkOwnerName(runId));
    for (const p of list) await remove('Pod', p.namespace, p.name);
    notes.push(`removed ${list.length} probe pod(s) left by check ${runId}, whose process (${who}) is gone`);
  }
  return { notes, failures };
}

export function contextReport(planned: PlannedContext, result?: CheckLiveResult): CheckContextReport {
  const { inventory, plan } = planned;
  const notStarted = result?.notStarted ?? [];
  return {
    context: planned.context,
    namespaces: inventory.snapshot.namespaces,
    classes: inventory.classing.classes.map((c): CheckReportClass => ({
      key: c.key,
      owners: c.owners.map((o) => `${o.kind}/${o.name}`),
      labels: c.labels,
      ports: c.ports.map((p) => ({ port: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })),
      replicas: c.replicas,
      pods: c.pods.map((p) => p.name),
      hostNetwork: c.hostNetwork,
    })),
    cells: (result?.cells ?? []).map(reportCell),
    environment: environmentRows(inventory.environment, inventory.snapshot, inventory.classing.classes),
    notProbed: [
      ...plan.unprobedSources.map((n) => ({ ...n, failed: false })),
      ...notStarted.map((n) => ({ ...n, failed: true })),
    ],
    notes: [...notesOf(inventory), ...planned.notes],
    cleanupErrors: result?.cleanupErrors ?? [],
    stable: result?.stable ?? true,
  };
}

function reportCell({ cell, observation, verdict }: CheckedCell): CheckReportCell {
  return {
    from: cell.from,
    to: cell.to,
    ...(cell.pod ? { pod: cell.pod } : {}),
    ...(cell.ip ? { ip: cell.ip } : {}),
    port: { port: cell.port.port, protocol: cell.port.protocol, ...(cell.port.name ? { name: cell.port.name } : {}) },
    predicted: cell.predicted ? 'allowed' : 'blocked',
    ...(cell.expected !== undefined ? { expected: cell.expected ? 'allowed' : 'blocked' } : {}),
    evidence: observation.evidence,
    outcome: observation.outcome,
    detail: observation.detail,
    verdict,
    ...(cell.governedBy?.length ? { governedBy: cell.governedBy } : {}),
    ...(cell.route ? { service: reportService(cell.route) } : {}),
  };
}

function reportService({ address, service }: NonNullable<CheckCell['route']>): CheckReportService {
  return {
    name: service.service,
    address,
    host: address === 'cluster-ip' ? (service.clusterIP ?? '') : service.dnsName,
    backends: service.backends.map((b) => `${b.key} ${b.port.port}/${b.port.protocol}`),
  };
}

export function notesOf(inventory: Inventory): string[] {
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
