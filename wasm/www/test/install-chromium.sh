#!/usr/bin/env bash
# Installs Debian's chromium for the browser test and the browser benchmark, if missing.
# Idempotent: does nothing when `chromium` is already on PATH. Needs root (apt-get).
# Never downloads a browser build of its own (no `npx playwright install`).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium
command -v chromium >/dev/null 2>&1
