// CoreDNS in kit clusters answers cluster names only: no traffic may leave the
// machine, and the node's resolver (docker's embedded DNS) would forward upstream.

/** Removes the `forward . /etc/resolv.conf { ... }` block (or one-line forward) from a Corefile. */
export function withoutUpstreamForward(corefile: string): string {
  const lines = corefile.split('\n');
  const out: string[] = [];
  let depth = 0;
  for (const line of lines) {
    if (depth > 0) {
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      continue;
    }
    if (/^\s*forward\s/.test(line)) {
      depth = (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
