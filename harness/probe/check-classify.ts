/**
 * What a probe of a real server proves. Our own servers (run) answer every port with their
 * identity, so a reset means a policy refused. A real server may simply not listen on a port it
 * declares, so on `check`:
 * - allowed: a completed TCP handshake (netpol-server `tcpconnect`), or any DNS answer (NXDOMAIN,
 *   REFUSED and SERVFAIL included: the server was reached and replied);
 * - blocked: a timeout (a dropped SYN or query), or a refusal once the same port of the same pod is
 *   confirmed listening from a path that reached it (another source's handshake in the same round);
 * - ambiguous: a refusal (RST, ICMP unreachable) with no such confirmation: a policy that rejects
 *   (Calico's iptablesFilterDenyAction: Reject) and a port nobody listens on look the same;
 * - error: the probe could not tell (no line, a tool missing, anything else). Never blocked.
 */
import type { CheckEvidence, CheckVerdict } from '../model/check-report.js';
import type { Observation } from '../model/observation.js';
import type { CheckCell, CheckVia } from './check-plan.js';
import type { ProbeLine } from './script.js';
import { assertNever } from '../util/assert-never.js';

export type { CheckEvidence, CheckVerdict };

export interface CheckObservation extends Observation {
  readonly evidence: CheckEvidence;
}

/** The shell's "command not found" and "not executable". */
const TOOL_MISSING = new Set([126, 127]);

export function classifyCheckProbe(via: CheckVia, line: ProbeLine | undefined): CheckObservation {
  if (!line) return { evidence: 'error', outcome: 'error', detail: 'the probe printed no result' };
  const base = { exitCode: line.exitCode, detail: line.output || `exit ${line.exitCode}` };
  if (TOOL_MISSING.has(line.exitCode))
    return { ...base, evidence: 'error', outcome: 'error', detail: `probe tool missing: ${line.output}` };
  return via === 'dns' ? classifyDnsQuery(line, base) : classifyHandshake(line, base);
}

type Base = { exitCode: number; detail: string };

/** netpol-server probe lines: the text starts with OK, REFUSED, TIMEOUT or ERROR. */
function classifyHandshake(line: ProbeLine, base: Base): CheckObservation {
  switch (/^[A-Z]+/.exec(line.output)?.[0]) {
    case 'OK':
      return { ...base, evidence: 'allowed', outcome: 'allowed' };
    case 'TIMEOUT':
      return { ...base, evidence: 'blocked', outcome: 'dropped' };
    case 'REFUSED':
      return { ...base, evidence: 'ambiguous', outcome: 'refused', detail: ambiguousRefusal(line.output) };
    default:
      return { ...base, evidence: 'error', outcome: 'error' };
  }
}

/** nslookup (bind9) asked of one server: any reply is a reply. */
function classifyDnsQuery(line: ProbeLine, base: Base): CheckObservation {
  const out = line.output;
  if (/Name:\s*\S+\s+Address:|server can't find|NXDOMAIN|SERVFAIL/i.test(out))
    return { ...base, evidence: 'allowed', outcome: 'allowed' };
  if (/timed out|no servers could be reached/i.test(out) && !/refused|unreachable/i.test(out))
    return { ...base, evidence: 'blocked', outcome: 'dropped' };
  if (/connection refused|unreachable/i.test(out))
    return { ...base, evidence: 'ambiguous', outcome: 'refused', detail: ambiguousRefusal(out) };
  return { ...base, evidence: 'error', outcome: 'error' };
}

/**
 * The same rules over an outcome probeRound has already classified (harness/probe/classify.ts):
 * the batch prober's OK, REFUSED and TIMEOUT, and nslookup's answers, where a negative answer
 * (dns-error) from the server asked is a reply, so the path is open.
 */
export function evidenceOf(cell: Pick<CheckCell, 'via' | 'unverifiable'>, seen: Observation): CheckObservation {
  if (cell.unverifiable)
    return { ...seen, evidence: 'unverifiable', outcome: 'unsupported', detail: cell.unverifiable };
  switch (seen.outcome) {
    case 'allowed':
      return { ...seen, evidence: 'allowed' };
    case 'dropped':
      return { ...seen, evidence: 'blocked' };
    case 'refused':
      return { ...seen, evidence: 'ambiguous', detail: ambiguousRefusal(seen.detail) };
    case 'dns-error':
      return cell.via === 'dns'
        ? { ...seen, evidence: 'allowed', outcome: 'allowed' }
        : { ...seen, evidence: 'error', outcome: 'error' };
    case 'unsupported':
      return { ...seen, evidence: 'unverifiable' };
    case 'error':
      return { ...seen, evidence: 'error' };
    default:
      return assertNever(seen.outcome, 'outcome');
  }
}

function ambiguousRefusal(output: string): string {
  return (
    `${output}: refused, but nothing confirmed that this port listens (a policy that rejects and a port ` +
    'nobody listens on look the same)'
  );
}

/**
 * A refusal counts as blocked once the same destination pod and port completed a handshake (or
 * answered DNS) for another source in the same round: the port listens, so the refusal was the
 * path's. Cells are matched by IP, port and protocol; a Service cell also by the classes behind it
 * (every one of them must be seen listening on the port it serves, since the refusal may come from
 * any). Observations are in the cells' order.
 */
export function confirmRefusals(cells: readonly CheckCell[], seen: readonly CheckObservation[]): CheckObservation[] {
  const listening = new Map<string, string>();
  cells.forEach((c, i) => {
    if (seen[i]?.evidence !== 'allowed') return;
    if (c.ip) listening.set(portOf(c.ip, c.port), c.from);
    if (!c.route) listening.set(portOf(c.to, c.port), c.from);
  });
  const confirmedBy = (cell: CheckCell): string | undefined => {
    const byIp = cell.ip ? listening.get(portOf(cell.ip, cell.port)) : undefined;
    if (byIp || !cell.route?.service.backends.length) return byIp;
    const each = cell.route.service.backends.map((b) => listening.get(portOf(b.key, b.port)));
    return each.every(Boolean) ? [...new Set(each)].join(', ') : undefined;
  };
  return seen.map((o, i) => {
    const cell = cells[i]!;
    const by = o.evidence === 'ambiguous' ? confirmedBy(cell) : undefined;
    if (!by) return o;
    return {
      ...o,
      evidence: 'blocked',
      detail: `${o.detail.split(': refused, but')[0]}: refused, and the port listens (${by} reached it)`,
    };
  });
}

function portOf(where: string, port: CheckCell['port']): string {
  return `${where}|${port.port}|${port.protocol}`;
}

/**
 * A cell's verdict against the user's intent where it names the cell, else the engine's prediction:
 * evidence that cannot decide never fails, and a cell that a policy of another kind may govern is
 * reported as such, not judged by the prediction (an intent judges it all the same).
 */
export function judgeCheckCell(
  cell: Pick<CheckCell, 'predicted' | 'governedBy' | 'expected'>,
  observation: CheckObservation,
): CheckVerdict {
  const predicted = cell.expected ?? cell.predicted;
  const decisive = observation.evidence === 'allowed' || observation.evidence === 'blocked';
  if (cell.expected === undefined && cell.governedBy?.length && decisive) return 'not judged';
  switch (observation.evidence) {
    case 'allowed':
      return predicted ? 'pass' : 'fail';
    case 'blocked':
      return predicted ? 'fail' : 'pass';
    default:
      return 'inconclusive';
  }
}
