// Building binaries from the Go module proxy: a small wrapper module of our own
// that requires the upstream module (with replace directives where upstream
// needs them), built with CGO_ENABLED=0 into a versioned folder of the cache.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cache } from './config.js';
import { run, type CommandResult } from './run.js';

export interface GoBinary {
  readonly pkg: string;
  readonly out: string;
  readonly ldflags?: string;
  /** Build tags (`-tags a,b`), e.g. cilium's osusergo and ipam_provider_operator. */
  readonly tags?: readonly string[];
}

export interface GoBuild {
  /** Folder name under the cache's go/ folder, e.g. "etcd-v3.6.5". */
  readonly key: string;
  /** go.mod of the wrapper module, or undefined when `dir` already is a module. */
  readonly goMod?: string;
  /** Build inside this folder instead of the wrapper (e.g. a prepared source tree). */
  readonly dir?: string;
  readonly binaries: readonly GoBinary[];
  readonly env?: Record<string, string>;
}

export const goEnv = { CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' } as const;

export function buildRoot(key: string): string {
  return join(cache.go, key);
}

export function binDir(key: string): string {
  return join(buildRoot(key), 'bin');
}

export function goBuildDone(build: GoBuild): boolean {
  return build.binaries.every((b) => existsSync(join(binDir(build.key), b.out)));
}

/** Writes the wrapper module (only when it changed, so go.sum survives) and builds each binary. */
export async function goBuild(
  build: GoBuild,
  logFile: string,
  progress: (m: string) => void,
  force = false,
): Promise<CommandResult | undefined> {
  const root = buildRoot(build.key);
  mkdirSync(binDir(build.key), { recursive: true });
  if (build.goMod !== undefined) {
    const goModPath = join(root, 'go.mod');
    if (!existsSync(goModPath) || readFileSync(goModPath, 'utf8') !== build.goMod)
      writeFileSync(goModPath, build.goMod);
  }
  for (const b of build.binaries) {
    const out = join(binDir(build.key), b.out);
    if (existsSync(out) && !force) continue; // --force relinks; Go's build cache keeps that quick
    progress(`go build ${b.pkg}`);
    const tags = b.tags === undefined || b.tags.length === 0 ? [] : ['-tags', b.tags.join(',')];
    const args = ['build', '-trimpath', ...tags, '-ldflags', `-s -w ${b.ldflags ?? ''}`.trim(), '-o', out, b.pkg];
    const r = await run('go', args, { cwd: build.dir ?? root, env: { ...goEnv, ...build.env }, logFile });
    if (!r.ok) return r;
  }
  return undefined;
}

/** `go mod download -json` of one module version: its extracted folder in the module cache. */
export async function moduleDir(
  path: string,
  version: string,
  env: Record<string, string> = {},
): Promise<string | { error: string }> {
  const r = await run('go', ['mod', 'download', '-json', `${path}@${version}`], { env, cwd: cache.root });
  try {
    const info = JSON.parse(r.stdout) as { Dir?: string; Error?: string };
    if (info.Dir !== undefined && info.Error === undefined) return info.Dir;
    return { error: info.Error ?? `no Dir for ${path}@${version}` };
  } catch {
    return { error: `go mod download ${path}@${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` };
  }
}
