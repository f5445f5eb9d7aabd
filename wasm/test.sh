#!/usr/bin/env bash
# Tests of the WebAssembly package, from the repository root (fresh machine too):
#
#   bash wasm/test.sh
#
# Steps, each clearly separated:
#   1. build (wasm/build.sh: installs what it lacks, builds, optimizes, writes wasm/pkg*)
#   2. Rust unit tests of the binding (host): the JSON writers equal the core's
#   3. Node tests (wasm/js/*.test.mjs) against both builds, the optimized .wasm included;
#      fails if node reports no test or any failure
#   4. browser tests of the page (wasm/www), when present
#   5. the printed fichas: the CLI's HTML printed to A4 PDF by chromium, checked with poppler
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target
step() { printf '\n=== wasm/test.sh: %s\n' "$*"; }

# --- 1. build ----------------------------------------------------------------------------
step "build"
bash wasm/build.sh

# --- 2. The binding compiles on the host too (its output writer is tested in core) ---------
step "cargo test -p apertura-wasm (host)"
cargo test -p apertura-wasm --lib

# --- 3. Node tests -----------------------------------------------------------------------
step "node --test wasm/js/ ($(node --version))"
LOG=target/wasm-node-tests.log
node --test wasm/js/ 2>&1 | tee "$LOG"
tests=$(grep -Eo '^# tests [0-9]+' "$LOG" | tail -1 | awk '{print $3}')
passed=$(grep -Eo '^# pass [0-9]+' "$LOG" | tail -1 | awk '{print $3}')
failed=$(grep -Eo '^# fail [0-9]+' "$LOG" | tail -1 | awk '{print $3}')
if [ -z "${tests:-}" ] || [ "$tests" -eq 0 ] || [ "${passed:-0}" -eq 0 ] || [ "${failed:-1}" -ne 0 ]; then
  echo "wasm: node tests did not pass (tests=${tests:-none} pass=${passed:-none} fail=${failed:-none})" >&2
  exit 1
fi
echo "wasm: ${passed} node tests passed"

# --- browser tests (wasm/www) ---
if [ -f wasm/www/test/browser.test.mjs ]; then
  step "browser tests (wasm/www)"
  node wasm/www/test/browser.test.mjs
fi

# --- printed fichas: the CLI's HTML through chromium to PDF, checked with poppler ---
step "printed fichas (wasm/www/test/ficha.test.mjs)"
node wasm/www/test/ficha.test.mjs
