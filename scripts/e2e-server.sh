#!/usr/bin/env bash
# The server Playwright tests run against: the production build (run `next build` first), with its own fresh
# embedded PostgreSQL, the development mailbox explicitly allowed, and rate limits raised for one loopback client.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${E2E_PORT:-3100}"
# E2E_PG_DIR lets two runs (e.g. two engineers) use separate databases side by side, with separate E2E_PORTs.
DIR="${E2E_PG_DIR:-.data/e2e-pg}"
# A previous run's server may still hold the directory; stop it, then start from scratch.
if [ -f "$DIR/postmaster.pid" ]; then kill "$(head -1 "$DIR/postmaster.pid")" 2>/dev/null || true; sleep 1; fi
rm -rf "$DIR" "$DIR.undersigned-port"
export EMBEDDED_PG=1 EMBEDDED_PG_DIR="$DIR" PORT
export AUTH_SECRET="e2e-secret-e2e-secret-e2e-secret-e2e"
export APP_URL="http://localhost:$PORT"
export DEV_MAILBOX_UNSAFE_IN_PRODUCTION=1
# A fresh Ed25519 record-signing key per run unless given (two instances of one run must share it: pass it in).
export RECORD_SIGNING_KEY="${RECORD_SIGNING_KEY:-$(node -e "process.stdout.write(require('crypto').generateKeyPairSync('ed25519').privateKey.export({format:'der',type:'pkcs8'}).toString('base64'))")}"
export RATE_LIMIT_SIGNIN_PER_EMAIL="${RATE_LIMIT_SIGNIN_PER_EMAIL:-1000}" RATE_LIMIT_SIGNIN_PER_IP="${RATE_LIMIT_SIGNIN_PER_IP:-10000}" RATE_LIMIT_TOKEN_PER_IP="${RATE_LIMIT_TOKEN_PER_IP:-10000}"
export RATE_LIMIT_JOIN_PER_IP="${RATE_LIMIT_JOIN_PER_IP:-1000}" RATE_LIMIT_JOIN_PER_EMAIL="${RATE_LIMIT_JOIN_PER_EMAIL:-1000}" RATE_LIMIT_VERIFY_PER_IP="${RATE_LIMIT_VERIFY_PER_IP:-10000}"
export OUTBOX_POLL_MS=200
exec node_modules/.bin/tsx scripts/launch.ts start
