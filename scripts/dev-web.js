#!/usr/bin/env node
// npm run dev:web — the VS Code server (from code-server) with this extension loaded, for a browser.
'use strict';
const { resolve } = require('node:path');
const { ROOT, startServer, workbenchUrl } = require('../test/vscode/launcher');

(async () => {
  const folder = resolve(process.argv[2] ?? ROOT);
  const server = await startServer();
  const url = workbenchUrl(server.port, folder, [['extensionDevelopmentPath', ROOT]]);
  process.stdout.write(`VS Code with Plasticity Lab (development copy) is at:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl-C stops the server.\n`);
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
})().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
