#!/usr/bin/env bash
# The one command that runs every test of every surface (README "Run every test").
# Installs what it needs from the package registries: rustup components and target,
# wasm-bindgen-cli, maturin and Python test packages (in .venv), node packages, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
start=$(date +%s)
if [ ! -d ../shared/mga-data ]; then
  echo "error: the published MGA data must sit in ../shared/mga-data (beside this repository)" >&2
  exit 1
fi

bash scripts/test-rust.sh
t_rust=$(date +%s)
bash python/test.sh
t_py=$(date +%s)
bash wasm/test.sh
t_wasm=$(date +%s)

echo
echo "== all surfaces passed: rust $((t_rust - start)) s, python $((t_py - t_rust)) s, wasm+browser $((t_wasm - t_py)) s"
