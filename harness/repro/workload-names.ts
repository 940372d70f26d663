/**
 * A scenario workload's name for each workload class. A class is named after its owner (a DNS
 * subdomain: dots allowed, up to 253 characters) or `owner~2` when several classes share an owner;
 * a scenario workload name is a DNS label (no dots, at most 63). Names that already are labels are
 * kept, so the scenario reads with the names the team knows; the others are rewritten and the
 * rewrite is said.
 */
import type { WorkloadClass } from '../inventory/classes.js';
import { DNS_LABEL_MAX, isDnsLabel, toDnsLabel } from '../model/k8s-names.js';

export interface WorkloadNaming {
  /** Class key (`ns/name`) -> the workload's name in the scenario. */
  readonly names: ReadonlyMap<string, string>;
  /** One line per class whose name had to change. */
  readonly renamed: readonly string[];
}

export function workloadNames(classes: readonly WorkloadClass[]): WorkloadNaming {
  const names = new Map<string, string>();
  const renamed: string[] = [];
  const taken = new Map<string, Set<string>>();
  const takenIn = (ns: string) => taken.get(ns) ?? taken.set(ns, new Set()).get(ns)!;
  // Names that are already DNS labels first: they never move for a rewritten neighbour.
  const ordered = [...classes].sort((a, b) => Number(!isDnsLabel(a.name)) - Number(!isDnsLabel(b.name)));
  for (const c of ordered) {
    const used = takenIn(c.namespace);
    const name = isDnsLabel(c.name) && !used.has(c.name) ? c.name : free(c.name, used);
    used.add(name);
    names.set(c.key, name);
    if (name !== c.name)
      renamed.push(`${c.key} is the workload ${c.namespace}/${name} (a scenario names workloads with DNS labels)`);
  }
  return { names, renamed };
}

/** `web~2` -> `web-2`, `api.v1` -> `api-v1`, shortened to 63 characters, then numbered until free. */
function free(name: string, used: ReadonlySet<string>): string {
  const base = toDnsLabel(name, 'workload');
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, DNS_LABEL_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
