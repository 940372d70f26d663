/**
 * `check --dry-run`: every object check would create, as a YAML stream, and every probe it would
 * send, as comments in that stream (so the output stays YAML a reviewer can diff or lint).
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../model/kube-object.js';
import { checkOwnerName, checkOwnerObject, checkProbePod, type CheckRun } from '../probe/check-pod.js';
import type { CheckCell, CheckClass, CheckPlan } from '../probe/check-plan.js';
import { reproduceCommand } from '../probe/commands.js';
import type { WorkloadImage } from '../probe/workload-spec.js';
import { batchArgv, type ProbeTimeouts } from '../probe/commands.js';

export interface DryRunInput {
  readonly context: string;
  readonly namespaces: readonly string[];
  readonly classes: readonly CheckClass[];
  readonly plan: CheckPlan;
  readonly run: CheckRun;
  readonly image: WorkloadImage;
  readonly timeouts: ProbeTimeouts;
  readonly activeDeadlineSeconds: number;
  /** Findings of the read (environment, what could not be read), one line each. */
  readonly notes: readonly string[];
}

/** The objects, in the order they would be created: each namespace's owner ConfigMap, then its pods. */
export function objectsToCreate(input: DryRunInput, uidOf: (namespace: string) => string): KubeObject[] {
  const namespaces = [...new Set(input.plan.probePods.map((p) => p.namespace))];
  const byKey = new Map(input.classes.map((c) => [c.key, c]));
  return namespaces.flatMap((ns) => [
    checkOwnerObject(ns, input.run),
    ...input.plan.probePods
      .filter((p) => p.namespace === ns)
      .map((p) =>
        checkProbePod({
          source: byKey.get(p.source)!,
          name: p.name,
          run: input.run,
          owner: { name: checkOwnerName(input.run.runId), uid: uidOf(ns) },
          image: input.image,
          activeDeadlineSeconds: input.activeDeadlineSeconds,
        }),
      ),
  ]);
}

export function renderDryRun(input: DryRunInput): string {
  const { plan } = input;
  const probed = plan.cells.filter((c) => !c.unverifiable).length;
  const objects = objectsToCreate(
    input,
    (ns) => `<uid of ConfigMap ${ns}/${checkOwnerName(input.run.runId)}, known once it is created>`,
  );
  const header = [
    `# netpol-harness check --dry-run: context ${input.context}, namespaces ${input.namespaces.join(', ')}`,
    `# run ${input.run.runId}: nothing was created; this is what check would create and send.`,
    `# ${input.classes.length} workload classes: ${plan.probePods.length} probe pods; ` +
      `${plan.cells.length} cells: ${probed} probed, ${plan.cells.length - probed} unverifiable`,
    ...input.notes.map((n) => `# note: ${n}`),
  ];
  const docs = objects.map((o) => `---\n${stringify(o, { lineWidth: 0 }).trimEnd()}`);
  return [...header, ...docs, ...probeLines(input), ...unverifiableLines(plan)].join('\n');
}

function describeCell(c: CheckCell): string {
  const route = c.route && (c.route.address === 'dns-name' ? c.route.service.dnsName : c.ip);
  const behind = c.route?.service.backends.map((b) => `${b.key} ${b.port.port}/${b.port.protocol}`).join(', ');
  const where = c.route
    ? ` ${route} (behind it: ${behind || 'nothing'})`
    : c.pod
      ? ` ${c.pod}${c.ip ? ` ${c.ip}` : ''}`
      : '';
  const port = `${c.port.port}/${c.port.protocol}${c.port.name ? ` (${c.port.name})` : ''}`;
  const governed = c.governedBy?.length ? '*' : '';
  return `${c.from} -> ${c.to}${where} ${port}: predicted ${c.predicted ? 'allowed' : 'blocked'}${governed}`;
}

/** Per probe pod: the cells, then the commands that probe them (kubectl exec lines that reproduce them). */
function probeLines({ plan, context, timeouts }: DryRunInput): string[] {
  const lines = [
    '# ---',
    '# probes: one exec per probe pod, all its probes at once. *: a policy the engine does not model',
    '# (cluster-scoped or CNI-native, see the notes) may govern the cell: it is not judged by the prediction alone',
  ];
  for (const source of plan.probes.sources) {
    lines.push(`# from ${source.source} (probe pod ${source.namespace}/${source.pod}):`);
    for (const p of source.probes) lines.push(`#   ${p.id}: ${describeCell(plan.cells[p.subject.index]!)}`);
    const batched = source.probes.flatMap((p) => (p.batch ? [{ id: p.id, spec: p.batch }] : []));
    if (batched.length)
      lines.push(`#   ${reproduceCommand(source.namespace, source.pod, batchArgv(batched, timeouts), context)}`);
    for (const p of source.probes.filter((x) => !x.batch))
      lines.push(`#   ${reproduceCommand(source.namespace, source.pod, p.argv, context)}`);
    if (!source.probes.length) lines.push('#   (no cell of this source can be probed)');
  }
  return lines;
}

function unverifiableLines(plan: CheckPlan): string[] {
  const cells = plan.cells.filter((c) => c.unverifiable);
  return [
    ...(cells.length ? ['# ---', '# unverifiable cells (not probed):'] : []),
    ...cells.map((c) => `#   ${describeCell(c)}: ${c.unverifiable}`),
    ...(plan.unprobedSources.length ? ['# sources no probe pod can stand in for:'] : []),
    ...plan.unprobedSources.map((s) => `#   ${s.source}: ${s.reason}`),
  ];
}
