/**
 * `snapshot --context C --namespace a,b -o repro.yaml`: read a live namespace set (read-only) and
 * write it as a scenario to replay on kind with each CNI (harness/repro builds it). The files are
 * written to a temporary folder beside the output, checked by the scenario loader, and only then
 * moved into place: a failure leaves no partial file, and an existing file is never overwritten
 * without --force.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_POLICY_KINDS } from '../model/admin-policy.js';
import { EXIT, UsageError, type ExitCode } from '../exit-codes.js';
import type { KubeGateway } from '../kube/gateway.js';
import { CHECK_REPORT_SCHEMA_VERSION, type CheckContextReport, type CheckReport } from '../model/check-report.js';
import { buildRepro, ReproError, type Repro } from '../repro/repro-scenario.js';
import { reproText } from '../repro/repro-yaml.js';
import { isDnsLabel, toDnsLabel } from '../model/k8s-names.js';
import { formatDiagnostic } from '../scenario/diagnostic.js';
import { loadScenario } from '../scenario/load.js';
import { assertSnapshotAccess } from '../target/access.js';
import { readInventory } from '../target/read-cluster.js';
import { TargetError } from '../target/target-error.js';
import type { CommandIO } from './io.js';
import { LIVE_CHECK_DEPS } from './check.js';
import { namespaceRequest } from './check-options.js';

export interface SnapshotFlags {
  readonly context: string;
  readonly kubeconfig?: string;
  readonly namespace?: readonly string[];
  readonly allNamespaces?: boolean;
  readonly output: string;
  readonly observed?: string;
  readonly name?: string;
  readonly force?: boolean;
}

export interface SnapshotDeps {
  readonly gateway: (context: string, kubeconfig?: string) => KubeGateway;
  readonly now: () => Date;
}

export const LIVE_SNAPSHOT_DEPS: SnapshotDeps = { gateway: LIVE_CHECK_DEPS.gateway, now: () => new Date() };

/** More workloads than this do not fit one kind replay on a workstation: split by --namespace. */
export const MAX_REPRO_WORKLOADS = 200;

export const POLICIES_DIR = 'policies';

export async function snapshotCommand(
  flags: SnapshotFlags,
  io: CommandIO,
  deps: SnapshotDeps = LIVE_SNAPSHOT_DEPS,
): Promise<ExitCode> {
  const request = namespaceRequest(flags, 'snapshot');
  const output = path.resolve(flags.output);
  if (!/\.ya?ml$/.test(output)) throw new UsageError(`${flags.output}: the scenario file must end in .yaml or .yml`);
  if (existsSync(output) && !flags.force)
    throw new UsageError(`${flags.output} exists: choose another -o, or pass --force to overwrite it`);
  const name = flags.name ?? scenarioName(output);
  if (!isDnsLabel(name))
    throw new UsageError(`--name "${name}" must be a DNS label (lowercase letters, digits, '-', at most 63)`);
  const observed = flags.observed ? observedContext(flags.observed, flags.context) : undefined;

  const gw = deps.gateway(flags.context, flags.kubeconfig);
  await assertSnapshotAccess(gw, flags.context, 'all' in request ? 'all' : request.names);
  const inventory = await readInventory(gw, request);
  let repro: Repro;
  try {
    repro = buildRepro(
      {
        context: flags.context,
        capturedAt: deps.now().toISOString(),
        snapshot: inventory.snapshot,
        classing: inventory.classing,
        environment: inventory.environment,
        policyObjects: inventory.policyObjects,
        clusterPolicyObjects: inventory.clusterPolicyObjects,
        ...(observed ? { observed } : {}),
      },
      { name, policiesDir: POLICIES_DIR },
    );
  } catch (e) {
    if (e instanceof ReproError) throw new TargetError(e.message);
    throw e;
  }
  if (repro.workloads.length > MAX_REPRO_WORKLOADS)
    throw new UsageError(
      `${inventory.snapshot.namespaces.length} namespace(s) hold ${repro.workloads.length} workload classes; ` +
        `one scenario carries at most ${MAX_REPRO_WORKLOADS} (a kind replay on one machine): ` +
        `snapshot fewer namespaces with --namespace`,
    );
  if (repro.workloads.length === 0)
    throw new TargetError(`no running pods in ${inventory.snapshot.namespaces.join(', ')}: nothing to snapshot`);

  const text = reproText(repro, { command: commandLine(flags), file: path.basename(output) });
  const targets = text.policies.map((p) => path.join(path.dirname(output), p.path));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length && !flags.force)
    throw new UsageError(
      `${existing.map((t) => path.relative('.', t)).join(', ')} exist(s): pass --force to overwrite`,
    );
  writeAtomically(output, text);

  const count = (kind: string) =>
    repro.policyFiles.reduce((n, f) => n + f.manifests.filter((m) => m['kind'] === kind).length, 0);
  const clusterScoped = CLUSTER_POLICY_KINDS.reduce((n, kind) => n + count(kind), 0);
  io.out(
    `wrote ${path.relative('.', output)}: ${repro.namespaces.length} namespace(s), ` +
      `${repro.workloads.length} workload(s), ${repro.workloads.filter((w) => w.service).length} Service(s), ` +
      `${repro.externals.length} external(s), ${count('NetworkPolicy')} NetworkPolicy(ies)` +
      (clusterScoped ? `, ${clusterScoped} cluster-scoped policy(ies)` : '') +
      ` in ${text.policies.map((p) => p.path).join(', ') || 'no file'}` +
      (repro.observed ? `; expectations: what check observed on ${observed!.context}` : '; expectations: predicted'),
  );
  for (const note of repro.notes) io.err(`note: ${note}`);
  io.out(`replay: netpol-harness run ${path.relative('.', output)} --cni calico,cilium`);
  return EXIT.ok;
}

/**
 * Everything goes to a temporary folder beside the scenario first, and is loaded there as `run`
 * would load it: a snapshot that does not validate is our bug, and nothing is left behind for it.
 */
function writeAtomically(output: string, text: ReturnType<typeof reproText>): void {
  const dir = path.dirname(output);
  mkdirSync(dir, { recursive: true });
  const temp = mkdtempSync(path.join(dir, '.netpol-harness-snapshot-'));
  const moved: string[] = [];
  try {
    const staged = path.join(temp, path.basename(output));
    writeFileSync(staged, text.scenario);
    for (const p of text.policies) {
      mkdirSync(path.dirname(path.join(temp, p.path)), { recursive: true });
      writeFileSync(path.join(temp, p.path), p.text);
    }
    const { scenario, diagnostics } = loadScenario(staged);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!scenario || errors.length)
      throw new Error(
        `the snapshot does not validate (please report this): ${errors.map(formatDiagnostic).join('; ')}`,
      );
    for (const p of text.policies) {
      const to = path.join(dir, p.path);
      mkdirSync(path.dirname(to), { recursive: true });
      renameSync(path.join(temp, p.path), to);
      moved.push(to);
    }
    renameSync(staged, output);
  } catch (e) {
    for (const f of moved) rmSync(f, { force: true });
    throw e;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** The scenario's name from the file's: `prod-shop.yaml` -> `prod-shop`. */
function scenarioName(file: string): string {
  return toDnsLabel(path.basename(file).replace(/\.ya?ml$/, ''), 'snapshot');
}

/** The context's part of a check report (`check --report F.json`): the one named like --context, or the only one. */
function observedContext(file: string, context: string): CheckContextReport {
  let report: CheckReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as CheckReport;
  } catch (e) {
    throw new UsageError(`--observed ${file}: ${(e as Error).message}`);
  }
  if (report?.schemaVersion !== CHECK_REPORT_SCHEMA_VERSION || !Array.isArray(report.contexts))
    throw new UsageError(`--observed ${file}: not a check report (check --report FILE.json writes one)`);
  const contexts = report.contexts.filter((c) => !c.error);
  const chosen = contexts.find((c) => c.context === context) ?? (contexts.length === 1 ? contexts[0] : undefined);
  if (!chosen)
    throw new UsageError(
      `--observed ${file}: it has no context ${context} (it has ${report.contexts.map((c) => c.context).join(', ')})`,
    );
  return chosen;
}

/** The command line as a reader would type it again (the header of the scenario). */
function commandLine(flags: SnapshotFlags): string {
  const words = [
    'netpol-harness snapshot',
    `--context ${flags.context}`,
    flags.allNamespaces ? '--all-namespaces' : `--namespace ${flags.namespace?.join(',')}`,
    ...(flags.observed ? [`--observed ${flags.observed}`] : []),
    `-o ${flags.output}`,
  ];
  return words.join(' ');
}
