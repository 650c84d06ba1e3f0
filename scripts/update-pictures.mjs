// The README's and the Marketplace listing's pictures, in docs/listing/: the ones the UI scenarios
// took (test-results/listing/, written by `npm run test:vscode`), and report.html of the newest
// quick reproduction (`npm start`) rendered in Chromium. Run it when the look changed: npm run pictures
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'test-results', 'listing');
const to = join(root, 'docs', 'listing');
if (!existsSync(from)) {
  process.stderr.write(`error: ${from} does not exist; run the UI scenarios first (npm run test:vscode)\n`);
  process.exit(2);
}
mkdirSync(to, { recursive: true });
for (const file of readdirSync(from).filter((f) => f.endsWith('.png'))) {
  copyFileSync(join(from, file), join(to, file));
  process.stdout.write(`docs/listing/${file} (from the UI scenarios)\n`);
}

const reproductions = join(root, '.plasticity', 'reproductions');
const quick = (existsSync(reproductions) ? readdirSync(reproductions) : [])
  .map((dir) => join(reproductions, dir, 'report.json'))
  .filter((file) => existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).mode === 'quick')
  .sort()
  .at(-1);
if (!quick) {
  process.stderr.write('no quick reproduction in .plasticity/reproductions (run npm start): docs/listing/report-html.png left as it is\n');
} else {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1000, height: 1500 } });
  await page.goto(pathToFileURL(join(dirname(quick), 'report.html')).href);
  await page.screenshot({ path: join(to, 'report-html.png') });
  await browser.close();
  process.stdout.write(`docs/listing/report-html.png (from ${dirname(quick)})\n`);
}
