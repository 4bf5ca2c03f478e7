#!/usr/bin/env bash
# Idempotent setup for a fresh Debian machine: system packages the tests and demo need, then npm packages.
# The npm package `node` puts a current Node (24) in node_modules/.bin, so every npm script runs on it
# although the machine's own Node is older.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
# Pacing's realistic set (scripts/make-realistic-set.ts): libopus tools and recorded voice prompts (CC-BY-SA-3.0).
command -v opusenc >/dev/null 2>&1 || need+=(opus-tools)
declare -A voice=([en]=en_US_f_Allison [fr]=fr_CA_f_June [es]=es_MX_f_Allison)
for p in en fr es; do [ -d "/usr/share/asterisk/sounds/${voice[$p]}" ] || need+=("asterisk-core-sounds-$p-wav"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need[*]} from Debian" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
