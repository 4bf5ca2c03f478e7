#!/usr/bin/env bash
# The npm packages, when missing or older than the lockfile. No root, no system packages: `npm start` needs only
# this (any machine with Node and npm, macOS included). The npm package `node` puts a current Node (24) in
# node_modules/.bin, so every npm script runs on it although the machine's own Node may be older.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
