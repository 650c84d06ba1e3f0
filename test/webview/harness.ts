/// <reference lib="dom" />
/** Loads a webview bundle from file:// in headless Chromium with a stubbed acquireVsCodeApi. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A dark theme's variables, as VS Code sets them on the body. */
export const DARK = {
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-errorForeground': '#f48771',
};
export const LIGHT = { ...DARK, '--vscode-foreground': '#616161', '--vscode-editor-background': '#ffffff', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#c27d1a' };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function openApp(browser: Browser, app: 'dashboard' | 'form' | 'report', state: unknown = undefined, theme: Record<string, string> = DARK): Promise<Page> {
  const dir = mkdtempSync(join(tmpdir(), 'webview-'));
  const css = pathToFileURL(join(ROOT, 'media', 'css', `${app}.css`)).href;
  const script = pathToFileURL(join(ROOT, 'dist', 'webview', `${app}.js`)).href;
  const style = Object.entries(theme).map(([k, v]) => `${k}: ${v}`).join('; ');
  writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html><html><head><link rel="stylesheet" href="${css}"></head><body class="vscode-dark" style="${style}"><div id="app"></div><script src="${script}"></script></body></html>`);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors?: string[] }).errors = errors;
  // A string, not a function: tsx adds __name() helpers to functions, which do not exist in the page.
  await page.addInitScript(`
    window.posted = [];
    window.savedState = ${JSON.stringify(state ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.posted.push(message),
      getState: () => window.savedState,
      setState: (next) => { window.savedState = next; },
    });`);
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  return page;
}

/** Sends a message as the host would. */
export async function fromHost(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted<T = { type: string }>(page: Page): Promise<T[]> {
  return page.evaluate(() => (window as unknown as { posted: T[] }).posted);
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}
