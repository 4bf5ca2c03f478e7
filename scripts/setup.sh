#!/usr/bin/env bash
# Idempotent test setup for a fresh Debian machine (`npm test` runs it first): the system packages only the tests
# need (Chromium for the browser tests, espeak-ng and sox for the pacing fixtures), then the npm packages.
# `npm start` does not run this: it needs only scripts/install-npm.sh.
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

bash scripts/install-npm.sh
