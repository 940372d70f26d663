import type { StepPrediction } from '../engine/predict-step.js';
import { batchArgv, batchSpec, probeArgv, type Prober, type ProbeTarget, type ProbeTimeouts } from './commands.js';
import { workloadIdentity } from './workload-spec.js';

/** Where a logical endpoint lives on the target: its namespace and pod, and the IP to probe. */
export interface Placement {
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  /** What the server there answers with, when it is not a workload pod (an external's server). */
  readonly identity?: string;
  /** A server that is not ours (a real external): a TCP handshake or a UDP reply is the evidence. */
  readonly foreign?: boolean;
}

/** An endpoint the target cannot offer, with why (an external that could not be provisioned, say). */
export interface Unavailable {
  readonly unavailable: string;
}

export type ProbeSubject =
  { readonly kind: 'cell'; readonly index: number } | { readonly kind: 'dns'; readonly index: number };

export interface PlannedProbe {
  readonly id: number;
  readonly subject: ProbeSubject;
  readonly target: ProbeTarget;
  readonly argv: readonly string[];
  /** The identity an answering workload must give (TCP), so reaching the wrong pod is caught. */
  readonly identity?: string;
  /** Set when the batch prober runs this probe: its target spec (tcp:IP:PORT, udp:..., dns:NAME). */
  readonly batch?: string;
}

export interface SourcePlan {
  readonly source: string;
  readonly namespace: string;
  readonly pod: string;
  /** The source pod's own IP: other sources' probes to it are judged by whether it is alive. */
  readonly ip?: string;
  readonly probes: readonly PlannedProbe[];
}

export interface ProbePlan {
  readonly sources: readonly SourcePlan[];
  /** Cells not probed, with the outcome to record for them (e.g. SCTP on a kernel without it). */
  readonly skipped: ReadonlyArray<{ readonly index: number; readonly reason: string }>;
}

/**
 * Every cell and DNS cell of a step, grouped by source pod so each source needs one exec.
 * Ids are unique within a source; a cell's probe targets the destination's real IP.
 */
export function planProbes(
  step: StepPrediction,
  placement: (key: string) => Placement | Unavailable | undefined,
  timeouts: ProbeTimeouts,
  capabilities: { sctp: boolean },
  prober: Prober = 'batch',
): ProbePlan {
  const bySource = new Map<string, PlannedProbe[]>();
  const skipped: Array<{ index: number; reason: string }> = [];
  const add = (source: string, subject: ProbeSubject, target: ProbeTarget, identity?: string) => {
    const list = bySource.get(source) ?? [];
    const id = list.length;
    const batch = prober === 'batch' ? batchSpec(target) : undefined;
    const argv = batch ? batchArgv([{ id, spec: batch }], timeouts) : probeArgv(target, timeouts);
    list.push({ id, subject, target, argv, ...(identity ? { identity } : {}), ...(batch ? { batch } : {}) });
    bySource.set(source, list);
  };
  step.cells.forEach((cell, index) => {
    if (cell.port.protocol === 'SCTP' && !capabilities.sctp) {
      skipped.push({ index, reason: 'SCTP is not supported on this target (no SCTP in the node kernel)' });
      return;
    }
    const to = placement(cell.to.key);
    if (!to || 'unavailable' in to) {
      skipped.push({ index, reason: to?.unavailable ?? `${cell.to.key} has no address on this target` });
      return;
    }
    const identity =
      to.identity ?? (cell.to.kind === 'workload' ? workloadIdentity(cell.to.key, to.namespace) : undefined);
    add(
      cell.from.key,
      { kind: 'cell', index },
      {
        kind: 'connect',
        ip: to.ip,
        port: cell.port.port,
        protocol: cell.port.protocol,
        ...(to.foreign ? { handshakeOnly: true } : {}),
      },
      identity,
    );
  });
  step.dns.forEach((d, index) => add(d.from, { kind: 'dns', index }, { kind: 'dns', name: d.name }));
  const sources = [...bySource].flatMap(([source, probes]) => {
    const where = placement(source);
    return where && !('unavailable' in where)
      ? [{ source, namespace: where.namespace, pod: where.pod, ip: where.ip, probes }]
      : [];
  });
  return { sources, skipped };
}
