// Recipe digests: an image is up to date when the digest of everything it was
// built from (Dockerfile, input files, base image id) matches the label it carries.
// So editing a kit file or rebuilding a binary rebuilds the images that use it.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { run } from './run.js';

export const recipeLabel = 'netpol-harness.kit.recipe';

const fileDigests = new Map<string, string>();

export function fileDigest(path: string): string {
  const st = statSync(path);
  const key = `${path}:${st.size}:${st.mtimeMs}`;
  let digest = fileDigests.get(key);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(path)).digest('hex');
    fileDigests.set(key, digest);
  }
  return digest;
}

export function recipeDigest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export async function imageId(ref: string): Promise<string | undefined> {
  const r = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.ok ? r.stdout.trim() : undefined;
}

export async function imageRecipe(ref: string): Promise<string | undefined> {
  const r = await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${recipeLabel}"}}`, ref]);
  return r.ok ? r.stdout.trim() : undefined;
}
