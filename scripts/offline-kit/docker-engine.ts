// The Docker engine on this machine: Debian's docker.io, started by hand (no
// systemd here), with a runc wrapper as the default runtime because the
// sandbox's capability bounding set lacks CAP_SYS_RESOURCE.
import { openSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cache, kitFiles } from './config.js';
import { run } from './run.js';
import { pollUntil, WaitTimeout } from '../../harness/util/poll.js';

export const wrapperSource = join(kitFiles, 'runc-drop-sys-resource.sh');
export const wrapperPath = '/usr/local/sbin/runc-drop-sys-resource';
export const runtimeName = 'runc-nosysresource';
export const daemonJsonPath = '/etc/docker/daemon.json';
/** Debian packages the kit needs on the host. */
export const hostPackages = ['docker.io', 'jq', 'debootstrap', 'ipset', 'nftables'] as const;

export interface DockerInfo {
  readonly serverVersion: string;
  readonly defaultRuntime: string;
  readonly cgroupVersion: string;
  readonly cgroupDriver: string;
}

export async function dockerInfo(): Promise<DockerInfo | undefined> {
  const r = await run('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 20_000 });
  if (!r.ok) return undefined;
  try {
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    return {
      serverVersion: String(info['ServerVersion'] ?? ''),
      defaultRuntime: String(info['DefaultRuntime'] ?? ''),
      cgroupVersion: String(info['CgroupVersion'] ?? ''),
      cgroupDriver: String(info['CgroupDriver'] ?? ''),
    };
  } catch {
    return undefined;
  }
}

export function wrapperInstalled(): boolean {
  return existsSync(wrapperPath) && readFileSync(wrapperPath, 'utf8') === readFileSync(wrapperSource, 'utf8');
}

/** daemon.json with our runtime as the default, keeping any other settings. */
export function daemonJsonWithWrapper(existing: string | undefined): string {
  const config =
    existing === undefined || existing.trim() === '' ? {} : (JSON.parse(existing) as Record<string, unknown>);
  const runtimes = (config['runtimes'] ?? {}) as Record<string, unknown>;
  runtimes[runtimeName] = { path: wrapperPath };
  return `${JSON.stringify({ ...config, runtimes, 'default-runtime': runtimeName }, null, 2)}\n`;
}

export function daemonJsonIsCurrent(): boolean {
  if (!existsSync(daemonJsonPath)) return false;
  const current = readFileSync(daemonJsonPath, 'utf8');
  return daemonJsonWithWrapper(current) === current;
}

/** Starts dockerd in the background, detached from this process, logging to the kit's cache. */
export function startDockerd(): string {
  const logFile = join(cache.logs, 'dockerd.log');
  const fd = openSync(logFile, 'a');
  // node's spawn rather than execa: a detached daemon that outlives this process.
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  return logFile;
}

export async function waitForDocker(timeoutMs: number): Promise<DockerInfo | undefined> {
  return pollUntil(
    'the Docker engine to answer',
    async () => {
      const info = await dockerInfo();
      return info === undefined ? { waiting: '`docker info` fails' } : { done: info };
    },
    { timeoutMs, intervalMs: 1000 },
  ).catch((e: unknown) => {
    if (e instanceof WaitTimeout) return undefined;
    throw e;
  });
}

export async function dockerdRunning(): Promise<boolean> {
  return (await run('pgrep', ['-x', 'dockerd'])).ok;
}

/** Stops the dockerd whose pid is in /var/run/docker.pid and waits for it to exit. */
export async function stopDockerd(): Promise<boolean> {
  const pidFile = '/var/run/docker.pid';
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const exited = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  return pollUntil<boolean>(
    `dockerd (pid ${pid}) to exit`,
    async () => (exited() ? { done: true as const } : { waiting: 'still running' }),
    { timeoutMs: 30_000, intervalMs: 1000 },
  ).catch(() => false);
}
