// npm run compat:screenshot -- reports/matrix/compat.html docs/compat-page.png [--width 1400 --height 1100]
// The compatibility page of a real night, drawn by headless Chromium (the picture in docs/matrix.md).
import path from 'node:path';
import { ensureChromium, screenshot } from './chromium.js';

const [html, png] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
if (!html || !png) {
  console.error('usage: npm run compat:screenshot -- COMPAT.html OUT.png [--width N] [--height N]');
  process.exit(3);
}
async function main(): Promise<number> {
  const chromium = await ensureChromium();
  if ('error' in chromium) {
    console.error(`compat:screenshot: ${chromium.error}`);
    return 2;
  }
  await screenshot(chromium.path, path.resolve(html!), path.resolve(png!), {
    width: flag('--width', 1400),
    height: flag('--height', 1100),
  });
  console.error(`compat:screenshot: ${png}`);
  return 0;
}

void main().then((code) => process.exit(code));
