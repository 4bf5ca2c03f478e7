#!/usr/bin/env bash
# `npm start`: install what is missing, build the widget, seed the demo platform into local D1, then run the
# Worker (wrangler dev: workerd, local D1 and Durable Objects) and the demo platform page on another origin.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
API_PORT=${API_PORT:-8787}
DEMO_PORT=${DEMO_PORT:-8788}

bash scripts/setup.sh
PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build-widget.ts
node scripts/seed-demo.ts --origin "http://localhost:$DEMO_PORT" --origin "http://127.0.0.1:$DEMO_PORT"

node demo/server.ts --port "$DEMO_PORT" --api "http://127.0.0.1:$API_PORT" &
demo=$!
trap 'kill $demo 2>/dev/null || true' EXIT INT TERM
echo
echo "  Attune demo: open http://127.0.0.1:$DEMO_PORT/  (API on http://127.0.0.1:$API_PORT)"
echo
wrangler dev --ip 127.0.0.1 --port "$API_PORT" --show-interactive-dev-session=false
