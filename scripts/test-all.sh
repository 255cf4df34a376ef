#!/usr/bin/env bash
# `npm test`: everything a new user needs to trust the app, in one command.
#   typecheck → lint → Vitest (embedded PostgreSQL, a fresh database per file) → next build → Playwright
#   (against that production build, its own embedded PostgreSQL).
# Every stage runs even when an earlier one failed, so the counts are complete. The last line is
# `N passed, N failed` (Vitest and Playwright tests from their JSON reports; typecheck, lint and build count as
# one check each); the exit code is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

mkdir -p test-results
STAGES=test-results/stages.tsv
: >"$STAGES"
BIN=node_modules/.bin

# run_stage <name> <kind> <report|-> <command…>
run_stage() {
  local name=$1 kind=$2 report=$3
  shift 3
  echo
  echo "=== [$name] $*"
  local start=$SECONDS
  "$@"
  local rc=$?
  local took=$((SECONDS - start))
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$rc" "$took" "$report" >>"$STAGES"
  echo "=== [$name] exit $rc in ${took}s"
  return 0
}

run_stage typecheck check - "$BIN/tsc" --noEmit -p .
run_stage lint check - "$BIN/eslint" . --max-warnings=0

rm -f test-results/vitest.json
run_stage vitest vitest test-results/vitest.json \
  "$BIN/vitest" run --reporter=default --reporter=json --outputFile=test-results/vitest.json

# Types were checked by the typecheck stage above: the build does not check them a second time.
BUILD_SKIP_TYPECHECK=1 run_stage build check - "$BIN/next" build

# Playwright uses Debian's Chromium when present (playwright.config.ts); otherwise its own, installed once.
if [ ! -x /usr/bin/chromium ] && [ ! -x /usr/bin/chromium-browser ]; then
  echo "=== no system Chromium: installing Playwright's"
  "$BIN/playwright" install chromium || echo "!!! could not install Playwright's Chromium"
fi
rm -f test-results/e2e.json
run_stage e2e playwright test-results/e2e.json "$BIN/playwright" test

exec "$BIN/tsx" scripts/summary.ts "$STAGES" --json test-results/summary.json
