#!/usr/bin/env bash
# Makes sure Node.js >= 22.12 is on PATH: machines ship Node 20, so install Node 24 LTS from the npm registry.
# Sourced by scripts/setup.sh and .ci/run.
node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  echo "Node.js $(node -v 2>/dev/null || echo missing) is too old; installing Node 24 LTS from the npm registry…"
  if [ "$(id -u)" = "0" ]; then
    npm install -g --prefix /usr/local node@24 >/dev/null
    hash -r
  else
    npm install --prefix "$PWD/.runtime" node@24 >/dev/null
    export PATH="$PWD/.runtime/node_modules/.bin:$PATH"
  fi
fi
node_ok || { echo "could not install Node.js >= 22.12" >&2; exit 1; }
echo "node $(node -v), npm $(npm -v 2>/dev/null)"
