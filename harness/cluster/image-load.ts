import { explainFailure, runCommand } from '../process/command.js';

/**
 * `kind load docker-image` for each image from the local docker; kind skips nodes that have it
 * already, so this costs seconds when nothing changed. An image docker lacks is skipped, or is an
 * error carrying `missing` when the caller cannot do without it. Returns the images newly loaded.
 */
export async function loadImagesIntoNodes(
  kind: string,
  cluster: string,
  images: readonly string[],
  options: { missing?: (image: string) => string; signal?: AbortSignal } = {},
): Promise<string[]> {
  const opts = options.signal ? { signal: options.signal } : {};
  const loaded: string[] = [];
  for (const image of images) {
    const local = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], opts);
    if (!local.ok) {
      if (options.missing) throw new Error(options.missing(image));
      continue;
    }
    const result = await runCommand(kind, ['load', 'docker-image', image, '--name', cluster], {
      timeoutMs: 900_000,
      ...opts,
    });
    if (!result.ok) throw new Error(`kind load docker-image ${image}: ${explainFailure(result)}`);
    if (/not yet present/.test(result.stderr + result.stdout)) loaded.push(image);
  }
  return loaded;
}
