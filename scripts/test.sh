#!/usr/bin/env bash
# The whole test suite: type check, lint, unit/API tests on SQLite and PostgreSQL, browser tests.
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0
results=.tmp/test-results; mkdir -p "$results"

step() { # name, command...
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo "   ok: $name"; return 0; else echo "   FAILED: $name"; failed=$((failed + 1)); return 1; fi
}

step typecheck npx tsc -p tsconfig.json && passed=$((passed + 1))
step lint npx eslint --max-warnings 0 . && passed=$((passed + 1))

# Vitest: count its tests, not the step.
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vt=$?
if [ -f "$results/vitest.json" ]; then
  read -r p f < <(node scripts/count-vitest.ts "$PWD/$results/vitest.json")
  passed=$((passed + p)); failed=$((failed + f))
  [ "$vt" = 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
else
  failed=$((failed + 1))
fi

if [ -d test/browser ] && ls test/browser/*.test.ts >/dev/null 2>&1; then
  npx vitest run --config test/browser/vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json="$results/browser.json"
  bt=$?
  if [ -f "$results/browser.json" ]; then
    read -r p f < <(node scripts/count-vitest.ts "$PWD/$results/browser.json")
    passed=$((passed + p)); failed=$((failed + f))
    [ "$bt" = 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
  else
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
