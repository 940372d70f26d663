// What docker holds before and after a live run, so the smoke can name anything it left behind.
import { runCommand } from '../../harness/process/command.js';
import { RUN_LABEL } from '../../harness/model/cluster-names.js';

/** One container or network: "id name run-label". */
export interface DockerObject {
  readonly id: string;
  readonly name: string;
  readonly run: string;
}

export interface DockerSnapshot {
  readonly containers: readonly DockerObject[];
  readonly networks: readonly DockerObject[];
}

async function objects(kind: 'ps' | 'network'): Promise<DockerObject[]> {
  const format = `{{.ID}}\t{{.Name${kind === 'ps' ? 's' : ''}}}\t{{.Label "${RUN_LABEL}"}}`;
  const args =
    kind === 'ps'
      ? ['ps', '-a', '--no-trunc', '--format', format]
      : ['network', 'ls', '--no-trunc', '--format', format];
  const r = await runCommand('docker', args, { timeoutMs: 60_000 });
  if (!r.ok) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', name = '', run = ''] = line.split('\t');
      return { id, name, run };
    });
}

export async function snapshotDocker(): Promise<DockerSnapshot> {
  return { containers: await objects('ps'), networks: await objects('network') };
}

/**
 * The smoke's own containers and networks that exist now and did not before: its kind nodes (named
 * after its cluster prefix) and everything carrying its run's label. Other jobs on the same docker
 * (another cluster being built, say) are not the smoke's to judge. kind's own `kind` network, which
 * kind creates with the first cluster and never deletes, is not a leftover.
 */
export function leftovers(before: DockerSnapshot, after: DockerSnapshot, prefix: string, runId: string): string[] {
  const ours = (o: DockerObject) =>
    o.name.startsWith(prefix) || (runId !== '' && (o.run === runId || o.name.includes(runId)));
  const added = (a: readonly DockerObject[], b: readonly DockerObject[]) =>
    b.filter((x) => ours(x) && !a.some((y) => y.id === x.id));
  return [
    ...added(before.containers, after.containers).map((c) => `container left behind: ${c.name} (${c.id.slice(0, 12)})`),
    ...added(before.networks, after.networks).map(
      (n) => `docker network left behind: ${n.name} (${n.id.slice(0, 12)})`,
    ),
  ];
}
