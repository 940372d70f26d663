// What docker holds before and after a live run, so the smoke can name anything left behind.
import { runCommand } from '../../harness/process/command.js';

export interface DockerSnapshot {
  /** "id name" per container, running or not. */
  readonly containers: readonly string[];
  /** "id name" per network. */
  readonly networks: readonly string[];
}

/**
 * kind creates the `kind` network with the first cluster and keeps it for every later one (it
 * never deletes it): it is kind's, not something a run leaked.
 */
const KIND_NETWORK = / kind$/;

async function lines(args: string[]): Promise<string[]> {
  const r = await runCommand('docker', args, { timeoutMs: 60_000 });
  if (!r.ok) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

export async function snapshotDocker(): Promise<DockerSnapshot> {
  return {
    containers: await lines(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}']),
    networks: await lines(['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}']),
  };
}

/** Containers and networks that exist now and did not before. */
export function leftovers(before: DockerSnapshot, after: DockerSnapshot): string[] {
  const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x));
  return [
    ...added(before.containers, after.containers).map((c) => `container left behind: ${c}`),
    ...added(before.networks, after.networks)
      .filter((n) => !KIND_NETWORK.test(n))
      .map((n) => `docker network left behind: ${n}`),
  ];
}
