import type { Observation } from '../model/observation.js';
import type { ProbeLine } from './script.js';
import type { ProbeTarget } from './commands.js';

/** The shell's "command not found" and "not executable". */
const TOOL_MISSING = new Set([126, 127]);

/**
 * Turn one probe's exit code and output into an outcome; an allowed result needs evidence from the
 * server, and when the answering server's identity is known it must be the one we meant to reach.
 */
export function classifyProbe(
  target: ProbeTarget,
  line: ProbeLine | undefined,
  identity?: string,
  batch = false,
): Observation {
  const observation = batch ? classifyBatch(target, line) : classifyOutput(target, line);
  if (
    observation.outcome === 'allowed' &&
    identity &&
    target.kind === 'connect' &&
    target.protocol === 'TCP' &&
    !observation.detail.includes(`netpol-harness ${identity} `)
  ) {
    return {
      ...observation,
      outcome: 'error',
      detail: `answered by a different server than ${identity}: ${observation.detail}`,
    };
  }
  return observation;
}

function classifyOutput(target: ProbeTarget, line: ProbeLine | undefined): Observation {
  if (!line)
    return { outcome: 'error', detail: 'the probe printed no result (the exec ended early or its output was cut)' };
  const { exitCode, output } = line;
  const base = { exitCode, detail: output || `exit ${exitCode}` };
  if (TOOL_MISSING.has(exitCode)) {
    return { ...base, outcome: 'error', detail: `probe tool missing in the image: ${output}` };
  }
  if (target.kind === 'dns') return classifyNslookup(exitCode, output, base);
  if (target.kind === 'connect-name') return classifyConnect(exitCode, output, base);
  if (target.protocol === 'TCP' && !target.handshakeOnly) return classifyCurl(exitCode, output, base);
  return classifyConnect(exitCode, output, base);
}

type Base = { exitCode: number; detail: string };

/** netpol-server probe: each line's text starts with the class (OK, REFUSED, TIMEOUT, NXDOMAIN, ERROR). */
function classifyBatch(target: ProbeTarget, line: ProbeLine | undefined): Observation {
  if (!line)
    return {
      outcome: 'error',
      detail: 'the batch prober printed no result for this probe (the exec ended early or its output was cut)',
    };
  const base = { exitCode: line.exitCode, detail: line.output };
  if (TOOL_MISSING.has(line.exitCode))
    return { ...base, outcome: 'error', detail: `netpol-server missing in the image: ${line.output}` };
  const word = /^[A-Z]+/.exec(line.output)?.[0];
  // A connection to a name (a `dns` cell) whose lookup failed never sent a packet to the destination:
  // "TIMEOUT: dial tcp: lookup web.shop.svc on 10.96.0.10:53: i/o timeout" is a failed lookup, not a
  // dropped SYN. (On a dns: probe the lookup is the thing probed, and keeps its class.)
  if (word !== 'OK' && target.kind === 'connect' && /\blookup \S+/.test(line.output))
    return { ...base, outcome: 'dns-error' };
  switch (word) {
    case 'OK':
      return { ...base, outcome: 'allowed', detail: line.output.slice(3).replace(/\s+/g, ' ').trim() };
    case 'REFUSED':
      return { ...base, outcome: 'refused' };
    case 'TIMEOUT':
      return { ...base, outcome: 'dropped' };
    case 'NXDOMAIN':
      return { ...base, outcome: 'dns-error' };
    default:
      return { ...base, outcome: 'error' };
  }
}

/** curl exit codes: https://curl.se/libcurl/c/libcurl-errors.html */
function classifyCurl(exitCode: number, output: string, base: Base): Observation {
  switch (exitCode) {
    case 0: {
      const status = /HTTP (\d{3})\s*$/.exec(output)?.[1];
      return status && status !== '000'
        ? { ...base, outcome: 'allowed', detail: output.replace(/\s+/g, ' ').trim() }
        : { ...base, outcome: 'error', detail: `curl succeeded without an HTTP status: ${output}` };
    }
    case 7:
      // "Couldn't connect to server" within the connect timeout: a RST or an ICMP reject (both recorded).
      return { ...base, outcome: 'refused' };
    case 28:
      // A connect timeout is a dropped SYN; a timeout after connecting means the server never answered.
      if (/connect|connection timed out/i.test(output) && !/bytes received/i.test(output))
        return { ...base, outcome: 'dropped' };
      return { ...base, outcome: 'error', detail: `connected but no HTTP answer in time: ${output}` };
    case 52:
      return { ...base, outcome: 'allowed', detail: `connected (the server closed without a reply): ${output}` };
    case 56:
      return /reset/i.test(output) ? { ...base, outcome: 'refused' } : { ...base, outcome: 'error' };
    case 6:
      return { ...base, outcome: 'dns-error' };
    default:
      return { ...base, outcome: 'error' };
  }
}

/** agnhost connect prints TIMEOUT, REFUSED, DNS, OTHER or UNKNOWN and exits 1; 0 means a reply came back. */
function classifyConnect(exitCode: number, output: string, base: Base): Observation {
  if (exitCode === 0) return { ...base, outcome: 'allowed', detail: output || 'reply received' };
  if (/^TIMEOUT/m.test(output)) return { ...base, outcome: 'dropped' };
  if (/^REFUSED/m.test(output) || /no route to host/i.test(output)) return { ...base, outcome: 'refused' };
  if (/^DNS/m.test(output)) return { ...base, outcome: 'dns-error' };
  if (/protocol not supported|address family not supported/i.test(output)) return { ...base, outcome: 'unsupported' };
  return { ...base, outcome: 'error' };
}

/** nslookup (bind9 or busybox): an answer, a negative answer, or no answer at all. */
function classifyNslookup(exitCode: number, output: string, base: Base): Observation {
  // An answer section counts even when nslookup exits 1 because the AAAA query failed (recorded).
  const answer = /Name:\s*\S+\s+Address:\s*\S+/.test(output);
  if (answer || (exitCode === 0 && /Address:/.test(output.replace(/^.*?Name:/s, ''))))
    return { ...base, outcome: 'allowed' };
  if (/connection refused|unreachable/i.test(output)) return { ...base, outcome: 'refused' };
  if (/timed out|no servers could be reached/i.test(output)) return { ...base, outcome: 'dropped' };
  if (/NXDOMAIN|SERVFAIL|REFUSED|can't find|can't resolve/i.test(output)) return { ...base, outcome: 'dns-error' };
  return { ...base, outcome: 'error' };
}
