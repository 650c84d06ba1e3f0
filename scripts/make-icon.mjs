// Renders media/icon-large.svg into media/icon.png, the 128×128 icon the Marketplace and Open VSX
// show (they take no SVG). Needs Chromium (the tests' /usr/bin/chromium); the PNG is committed, so
// only run this after changing the SVG: node scripts/make-icon.mjs
import { chromium } from 'playwright-core';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.goto(pathToFileURL(join(root, 'media', 'icon-large.svg')).href);
await page.screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
await browser.close();
