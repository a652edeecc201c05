#!/usr/bin/env bash
# One command from a fresh clone: install everything, build the web app, load demo data and start Docket.
#   bash scripts/setup.sh            (or: npm run setup, once Node >= 22.12 is present)
# Environment: PORT (default 3000), DOCKET_DATA_DIR (default ./data), DOCKET_NO_START=1 to stop before serving.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
bash scripts/install-system.sh || echo "(Chromium/fonts/LibreOffice not installed: only browser tests and bulletin PDFs need them)"
npm install --no-audit --no-fund
[ ! -f web/index.html ] || npm run build
# The server and CLI compiled to JavaScript (dist/server): bin/docket.js runs it while it is current (README).
npm run build:server
node bin/docket.js demo --projects "${DOCKET_DEMO_PROJECTS:-2000}"
if [ "${DOCKET_NO_START:-0}" = "1" ]; then exit 0; fi
echo "打开 / open http://localhost:${PORT:-3000}  — 演示账号 / demo login: office / Docket#2026"
# glibc keeps fewer per-thread malloc arenas: less memory held after bursts of sign-ins and imports (README).
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" exec node bin/docket.js serve --host "${DOCKET_HOST:-0.0.0.0}"
