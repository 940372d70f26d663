// `kit doctor`: what this machine has, and in plain words what will not work here and why.
import { inotifyShortfalls } from './inotify.js';
import { statfsSync, existsSync } from 'node:fs';
import { cache, nodeImageRef, type Versions } from './config.js';
import { daemonJsonPath, dockerInfo, runtimeName, wrapperInstalled, wrapperPath } from './docker-engine.js';
import { boundingSetHasSysResource, cgroupMode, featurePresence, kernelFeatures, readKernelConfig } from './kernel.js';
import { describeFailure, run } from './run.js';
import { imageExists } from './steps/rootfs.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Finding {
  readonly area: string;
  readonly verdict: Verdict;
  readonly message: string;
}

const finding = (area: string, verdict: Verdict, message: string): Finding => ({ area, verdict, message });

async function dockerFindings(v: Versions): Promise<Finding[]> {
  const out: Finding[] = [];
  const hasCap = boundingSetHasSysResource();
  if (hasCap === false) {
    out.push(
      finding(
        'capabilities',
        'warn',
        'CAP_SYS_RESOURCE is not in the bounding set: ' +
          'runc fails on every --privileged container ("unable to apply caps") ' +
          "and on any negative oom_score_adj (kubelet's critical pods) " +
          `unless the ${runtimeName} wrapper is the runtime (dockerd's default, and runc inside the kit's nodes)`,
      ),
    );
  }
  const info = await dockerInfo();
  if (info === undefined) {
    out.push(
      finding(
        'docker',
        'fail',
        'dockerd is not answering: run `npm run kit -- build --only docker` (installs docker.io and starts dockerd)',
      ),
    );
    return out;
  }
  out.push(
    finding('docker', 'ok', `dockerd ${info.serverVersion}, cgroup ${info.cgroupVersion} (${info.cgroupDriver})`),
  );
  const wrapperOk = info.defaultRuntime === runtimeName && wrapperInstalled();
  if (wrapperOk) out.push(finding('runtime wrapper', 'ok', `default runtime ${runtimeName} -> ${wrapperPath}`));
  else {
    const verdict = hasCap === false ? 'fail' : 'warn';
    out.push(
      finding(
        'runtime wrapper',
        verdict,
        `default runtime is ${info.defaultRuntime}` +
          `${wrapperInstalled() ? '' : ` and ${wrapperPath} is missing or stale`}; ` +
          `see ${daemonJsonPath}; fix: npm run kit -- build --only docker`,
      ),
    );
  }
  const node = nodeImageRef(v);
  if (await imageExists(node)) {
    const r = await run('docker', ['run', '--rm', '--privileged', '--entrypoint', 'true', node], { timeoutMs: 60_000 });
    out.push(
      r.ok
        ? finding('privileged container', 'ok', `docker run --privileged ${node} works`)
        : finding(
            'privileged container',
            'fail',
            `docker run --privileged fails, so kind cannot start nodes: ${describeFailure(r)}`,
          ),
    );
    const cni = await run('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'test',
      node,
      '-f',
      '/kind/manifests/default-cni.yaml',
    ]);
    if (!cni.ok) {
      out.push(
        finding(
          'kindnet',
          'warn',
          `${node} has no kindnet ` +
            "(kindnetd's module, sigs.k8s.io/kindnet, is not served by the Go module proxy here): " +
            'clusters must disable the default CNI: Calico enforces policy; ' +
            '--cni ptp (CNI reference plugins) is the non-enforcing baseline',
        ),
      );
    }
  } else {
    out.push(finding('node image', 'warn', `${node} is not built yet: npm run kit -- build`));
  }
  return out;
}

function cgroupFindings(): Finding[] {
  const mode = cgroupMode();
  if (mode === 'v2') return [finding('cgroups', 'ok', 'cgroup v2')];
  if (mode === 'unknown')
    return [finding('cgroups', 'warn', 'no cgroup hierarchy found under /sys/fs/cgroup: nodes will not boot')];
  return [
    finding(
      'cgroups',
      'warn',
      'cgroup v1: node images must stay on Debian bookworm (newer systemd refuses cgroup v1), and ' +
        'Kubernetes v1.35 and later kubelets start only because clusters/kind-*.yaml set failCgroupV1: false',
    ),
  ];
}

function kernelFindings(): Finding[] {
  const config = readKernelConfig();
  if (config === undefined)
    return [
      finding('kernel', 'warn', 'kernel config not readable (/proc/config.gz, /boot/config-*): features unknown'),
    ];
  return kernelFeatures.map((f) => {
    const presence = featurePresence(f, config);
    if (presence === 'present') return finding(`kernel ${f.id}`, 'ok', 'present');
    const verdict: Verdict = f.expected === 'absent' ? 'warn' : 'fail';
    return finding(`kernel ${f.id}`, verdict, `${presence}: ${f.whenAbsent}`);
  });
}

function diskFindings(): Finding[] {
  const target = existsSync(cache.root) ? cache.root : '/var';
  const stats = statfsSync(target);
  const freeGiB = (stats.bavail * stats.bsize) / 2 ** 30;
  const need = 25;
  const message =
    `${freeGiB.toFixed(1)} GiB free on ${target} ` +
    `(the kit needs about ${need} GiB: Go caches, root filesystems, images, two-node clusters)`;
  return [finding('disk', freeGiB >= need ? 'ok' : freeGiB >= 10 ? 'warn' : 'fail', message)];
}

async function toolFindings(): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const tool of ['go', 'debootstrap', 'jq', 'tar']) {
    const r = await run('sh', ['-c', `command -v ${tool}`]);
    out.push(
      r.ok
        ? finding(`tool ${tool}`, 'ok', r.stdout.trim())
        : finding(
            `tool ${tool}`,
            tool === 'go' ? 'fail' : 'warn',
            `${tool} not found${tool === 'go' ? '' : ' (the docker step installs it)'}`,
          ),
    );
  }
  return out;
}

export async function doctor(v: Versions): Promise<Finding[]> {
  return [
    ...(await dockerFindings(v)),
    ...cgroupFindings(),
    ...kernelFindings(),
    ...diskFindings(),
    ...inotifyFindings(),
    ...(await toolFindings()),
  ];
}

/** kind's "too many open files": the docker step raises the limits; said here when they are low. */
function inotifyFindings(): Finding[] {
  const short = inotifyShortfalls();
  return [
    short.length
      ? finding('inotify limits', 'warn', `${short.join(', ')}: the docker step raises them (kind needs them)`)
      : finding('inotify limits', 'ok', 'enough for several kind clusters at once'),
  ];
}

export function printFindings(findings: readonly Finding[], out = console): number {
  const mark: Record<Verdict, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  for (const f of findings) out.log(`${mark[f.verdict]}  ${f.area.padEnd(30)} ${f.message}`);
  const failures = findings.filter((f) => f.verdict === 'fail').length;
  const warnings = findings.filter((f) => f.verdict === 'warn').length;
  out.log(`\n${failures} problem(s) that stop the kit, ${warnings} limitation(s) to know about`);
  return failures === 0 ? 0 : 1;
}
