/**
 * The compatibility page in a real browser (Debian's headless Chromium): eight matrix cells (two
 * CNIs x four Kubernetes versions) must all be on screen at 1280 px, without scrolling sideways,
 * and a failure planted in the last column must show in red there.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { compatPage } from '../../harness/history/compat.js';
import { renderCompatHtml } from '../../harness/report/compat-html.js';
import { night } from '../unit/history/night-builder.js';
import { ensureChromium, screenshot } from '../../scripts/browser/chromium.js';

const CELLS = ['calico@v3.31.0', 'cilium@v1.18.3'].flatMap((cni) =>
  ['v1.33.13', 'v1.34.4', 'v1.35.4', 'v1.36.3'].map((k8s) => `${cni}/k8s@${k8s}`),
);
const LAST = CELLS.at(-1)!;

/** Pixels of exactly this colour in a region of the image. */
function count(png: PNG, rgb: [number, number, number], region: { x0: number; x1: number }): number {
  let n = 0;
  for (let y = 0; y < png.height; y++)
    for (let x = region.x0; x < region.x1; x++) {
      const i = (png.width * y + x) * 4;
      if (png.data[i] === rgb[0] && png.data[i + 1] === rgb[1] && png.data[i + 2] === rgb[2]) n++;
    }
  return n;
}

describe('the compatibility page in headless Chromium', function () {
  let dir = '';
  let chromium: string;
  before(async function () {
    const found = await ensureChromium();
    if ('error' in found) throw new Error(found.error);
    chromium = found.path;
    dir = mkdtempSync(path.join(os.tmpdir(), 'nph-compat-'));
  });
  // The before hook can fail before dir exists (Chromium not installable): nothing to remove then.
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('shows eight columns at 1280 px, the failure planted in the last one in red', async () => {
    const cells = Object.fromEntries(
      CELLS.map((c) => [c, { probes: [{ to: 'x/b', verdict: c === LAST ? ('fail' as const) : ('pass' as const) }] }]),
    );
    const html = path.join(dir, 'compat.html');
    writeFileSync(html, renderCompatHtml(compatPage(night({ startedAt: '2026-11-30T02:00:00Z', cells }))));
    const png = path.join(dir, 'compat.png');
    await screenshot(chromium, html, png, { width: 1280, height: 900 });
    const image = PNG.sync.read(readFileSync(png));
    expect([image.width, image.height]).to.deep.equal([1280, 900]);
    const FAIL: [number, number, number] = [0xf9, 0xd4, 0xd4];
    const PASS: [number, number, number] = [0xd8, 0xf0, 0xdf];
    // The red square is in the rightmost fifth of the window: the eighth column is on screen.
    expect(count(image, FAIL, { x0: Math.floor(image.width * 0.6), x1: image.width })).to.be.greaterThan(500);
    expect(count(image, FAIL, { x0: 0, x1: Math.floor(image.width * 0.5) })).to.equal(0);
    expect(count(image, PASS, { x0: 0, x1: image.width })).to.be.greaterThan(7 * 500);
  });
});
