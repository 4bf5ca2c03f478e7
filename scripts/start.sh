#!/usr/bin/env bash
# `npm start`: install the npm packages if missing, build the widget, seed the demo platforms into local D1, then run
# the Worker (wrangler dev: workerd, local D1 and Durable Objects) and the demo platform page on another origin.
# Needs only Node and npm (no root, no system packages; macOS too). Ports: API_PORT (8787) and DEMO_PORT (8788).
# wrangler's own output goes to .wrangler/attune-dev.log; this prints one "ready: open …" line once the API answers.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
API_PORT=${API_PORT:-8787}
DEMO_PORT=${DEMO_PORT:-8788}
API="http://127.0.0.1:$API_PORT"
DEMO="http://127.0.0.1:$DEMO_PORT"
mkdir -p .wrangler
LOG=.wrangler/attune-dev.log

bash scripts/install-npm.sh
PATH="$PWD/node_modules/.bin:$PATH"
echo "start: building the widget and seeding the demo (local D1)…"
node scripts/build-widget.ts >"$LOG" 2>&1 || { cat "$LOG"; exit 1; }
node scripts/seed-demo.ts --origin "http://localhost:$DEMO_PORT" --origin "$DEMO" >>"$LOG" 2>&1 || { cat "$LOG"; exit 1; }

node demo/server.ts --port "$DEMO_PORT" --api "$API" >>"$LOG" 2>&1 &
demo=$!
wrangler dev --ip 127.0.0.1 --port "$API_PORT" --show-interactive-dev-session=false >>"$LOG" 2>&1 &
worker=$!
trap 'kill $worker $demo 2>/dev/null || true' EXIT INT TERM

echo "start: starting the API on $API…"
if ! node scripts/wait-ready.ts --pid "$worker" "$API/openapi.json" "$DEMO/"; then
  tail -n 40 "$LOG" >&2
  exit 1
fi
echo
echo "ready: open $DEMO/   (API on $API; logs in $LOG; Ctrl+C stops)"
echo
wait "$worker"
