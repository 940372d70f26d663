// Step: Docker engine installed, runc wrapper as default runtime, dockerd running.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  daemonJsonIsCurrent,
  stopDockerd,
  daemonJsonPath,
  daemonJsonWithWrapper,
  dockerInfo,
  dockerdRunning,
  hostPackages,
  runtimeName,
  startDockerd,
  waitForDocker,
  wrapperInstalled,
  wrapperPath,
  wrapperSource,
} from '../docker-engine.js';
import { inotifyShortfalls, raiseInotify } from '../inotify.js';
import { describeFailure, run } from '../run.js';
import { done, failed, stepLog, type Step } from './step.js';

async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of hostPackages) {
    const r = await run('dpkg-query', ['-W', '-f', '${Status}', pkg]);
    if (!r.stdout.includes('install ok installed')) missing.push(pkg);
  }
  return missing;
}

export const dockerStep: Step = {
  id: 'docker',
  title: `Docker engine with the ${runtimeName} runtime`,
  async isDone() {
    const info = await dockerInfo();
    return (
      info?.defaultRuntime === runtimeName &&
      wrapperInstalled() &&
      (await missingPackages()).length === 0 &&
      inotifyShortfalls().length === 0
    );
  },
  async run(ctx) {
    const log = stepLog('docker');
    const missing = await missingPackages();
    if (missing.length > 0) {
      ctx.progress(`apt-get install ${missing.join(' ')}`);
      const update = await run('apt-get', ['update'], { logFile: log });
      if (!update.ok) return failed(`apt-get update failed (see log)`);
      const install = await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
        logFile: log,
        env: { DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (!install.ok) return failed(`apt-get install ${missing.join(' ')} failed (see log)`);
    }
    if (!wrapperInstalled()) {
      mkdirSync(dirname(wrapperPath), { recursive: true });
      copyFileSync(wrapperSource, wrapperPath);
      chmodSync(wrapperPath, 0o755);
      ctx.progress(`installed ${wrapperPath}`);
    }
    const short = inotifyShortfalls();
    if (short.length) {
      const notRaised = raiseInotify();
      if (notRaised.length) return failed(`${notRaised.join('; ')} (kind clusters need it: run sysctl as root)`);
      ctx.progress(`raised the inotify limits kind needs (${short.join(', ')})`);
    }
    let restart = false;
    if (!daemonJsonIsCurrent()) {
      mkdirSync(dirname(daemonJsonPath), { recursive: true });
      const existing = existsSync(daemonJsonPath) ? readFileSync(daemonJsonPath, 'utf8') : undefined;
      writeFileSync(daemonJsonPath, daemonJsonWithWrapper(existing));
      ctx.progress(`wrote ${daemonJsonPath}`);
      restart = true;
    }
    if (restart && (await dockerdRunning())) {
      // dockerd reloads "runtimes" on SIGHUP, but not "default-runtime": restart it.
      ctx.progress('restarting dockerd to pick up the default runtime');
      const stopped = await stopDockerd();
      if (!stopped) return failed('could not stop dockerd (no /var/run/docker.pid?); stop it by hand and retry');
    }
    if (!(await dockerdRunning())) ctx.progress(`starting dockerd (log: ${startDockerd()})`);
    const info = await waitForDocker(60_000);
    if (info === undefined) return failed('dockerd did not answer `docker info` within 60 s; see logs/dockerd.log');
    if (info.defaultRuntime !== runtimeName) {
      return failed(`dockerd's default runtime is ${info.defaultRuntime}, not ${runtimeName}; stop dockerd and retry`);
    }
    const smoke = await smokeTestPrivileged();
    return smoke === undefined ? done(`docker ${info.serverVersion}`) : failed(smoke);
  },
};

/** A privileged container must start: that is what kind nodes are. Uses any local image. */
export async function smokeTestPrivileged(): Promise<string | undefined> {
  const images = await run('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  const image = images.stdout.split('\n').find((line) => line !== '' && !line.includes('<none>'));
  if (image === undefined) return undefined; // nothing local yet; the node-image step proves it later
  const r = await run('docker', ['run', '--rm', '--privileged', '--entrypoint', 'true', image], { timeoutMs: 60_000 });
  return r.ok ? undefined : `docker run --privileged failed: ${describeFailure(r)}`;
}
