/**
 * Headless Chromium for the compatibility page's screenshot test and docs/compat-page.png: Debian's
 * chromium-headless-shell (the browser without its UI), installed with apt from the machine's own
 * mirror when it is missing. Nothing is downloaded from anywhere else.
 */
import { existsSync } from 'node:fs';
import { runCommand } from '../../harness/process/command.js';

const CANDIDATES = [
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
];

export const findChromium = (): string | undefined => CANDIDATES.find((p) => existsSync(p));

/** The browser's path, installing chromium-headless-shell when there is none; else why it cannot. */
export async function ensureChromium(): Promise<{ path: string } | { error: string }> {
  const found = findChromium();
  if (found) return { path: found };
  if (process.getuid?.() !== 0)
    return { error: 'no Chromium, and installing it needs root (apt-get install chromium-headless-shell)' };
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runCommand('apt-get', ['update'], { env, timeoutMs: 5 * 60_000 });
  if (!update.ok) return { error: `apt-get update failed: ${update.stderr.split('\n').slice(-3).join(' ')}` };
  const install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium-headless-shell'], {
    env,
    timeoutMs: 10 * 60_000,
  });
  if (!install.ok)
    return {
      error: `apt-get install chromium-headless-shell failed: ${install.stderr.split('\n').slice(-3).join(' ')}`,
    };
  const installed = findChromium();
  return installed ? { path: installed } : { error: 'chromium-headless-shell installed, but no browser binary found' };
}

/** A PNG of a local HTML file at a window size, as a user's browser would draw it. */
export async function screenshot(
  chromium: string,
  htmlFile: string,
  pngFile: string,
  size: { width: number; height: number },
): Promise<void> {
  const r = await runCommand(
    chromium,
    [
      '--headless',
      '--no-sandbox', // root in a container: the sandbox needs user namespaces this machine does not give
      '--disable-gpu',
      '--hide-scrollbars',
      `--window-size=${size.width},${size.height}`,
      `--screenshot=${pngFile}`,
      `file://${htmlFile}`,
    ],
    { timeoutMs: 60_000 },
  );
  if (!r.ok || !existsSync(pngFile)) throw new Error(`chromium could not take the screenshot: ${r.stderr.slice(-500)}`);
}
