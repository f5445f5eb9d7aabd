#!/usr/bin/env bash
# Builds the WebAssembly package of apertura from the repository root, on a fresh machine
# too: installs what is missing from the registries (rustup target, wasm-bindgen-cli at the
# exact Cargo.lock version, npm devDependencies of wasm/package.json: binaryen, ...).
#
#   bash wasm/build.sh
#
# Outputs:
#   wasm/pkg/       ES modules for browsers and bundlers (`export default init`, `initSync`),
#                   with package.json (name `apertura`, "type": "module", exports, types):
#                   `apertura.js` + `apertura_bg.wasm`, the base module (`import 'apertura'`:
#                   editions, reading, scoring, summary, gaps, explain, Scorer), and
#                   `apertura_full.js` + `apertura_full_bg.wasm`, the whole API
#                   (`import 'apertura/full'`: robustness, improve, compare, fichas, catalogue)
#   wasm/pkg-node/  CommonJS build for Node (`require`), the full module, loads the .wasm
#                   synchronously
#
# Environment:
#   APERTURA_WASM_PROFILE  cargo profile (default: `wasm-release` if the workspace defines
#                          it, else `release`)
#   APERTURA_WASM_NO_OPT=1 skip wasm-opt (faster local iterations; never for shipping)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
step() { printf '\n=== wasm/build.sh: %s\n' "$*"; }

# --- 1. Rust target ------------------------------------------------------------------
step "rust target wasm32-unknown-unknown"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# --- 2. wasm-bindgen CLI, same version as the crate in Cargo.lock --------------------
step "wasm-bindgen-cli"
WBG=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
if [ -z "$WBG" ]; then
  echo "wasm-bindgen not found in Cargo.lock (is wasm/ a workspace member?)" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WBG"; then
  echo "installing wasm-bindgen-cli $WBG"
  # --locked can fail when the registry lags behind the CLI's lockfile (build notes, P1).
  cargo install wasm-bindgen-cli --version "$WBG" --locked \
    || cargo install wasm-bindgen-cli --version "$WBG"
fi
wasm-bindgen --version

# --- 3. npm devDependencies (binaryen's wasm-opt, playwright-core, typescript) -------
step "npm ci (wasm/package-lock.json)"
STAMP=wasm/node_modules/.apertura-lock.sha256
LOCK_SHA=$(sha256sum wasm/package-lock.json | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SHA" ]; then
  (cd wasm && npm ci --no-audit --no-fund)
  echo "$LOCK_SHA" > "$STAMP"
else
  echo "node_modules up to date"
fi
# Never a wasm-opt from PATH: Debian's binaryen silently breaks wasm-bindgen output (P3).
WASM_OPT="$ROOT/wasm/node_modules/.bin/wasm-opt"

# --- 4. cargo build: the base module and the full module ---------------------------------
# Base (`--no-default-features`): what `import 'apertura'` gives a browser (editions,
# reading, score, scoreColumns, scoresToCsv, summary, gaps, explain, Scorer). Full (feature
# `analysis`, the default): the whole API, robustness, improve, compare, fichas and the
# catalogue included, `import 'apertura/full'`, which the page loads on demand. Node's
# CommonJS build is the full module.
PROFILE=${APERTURA_WASM_PROFILE:-}
if [ -z "$PROFILE" ]; then
  if grep -q '^\[profile\.wasm-release\]' Cargo.toml; then PROFILE=wasm-release; else PROFILE=release; fi
fi
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
OUT="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/apertura_wasm.wasm"
# Copies of the cargo outputs, in a directory of this checkout's own: several checkouts
# (git worktrees) may share one target directory, and another checkout's build between
# our cargo build and wasm-bindgen must not replace our module.
RAW_DIR="$TARGET_DIR/apertura-wasm/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
mkdir -p "$RAW_DIR"
RAW_BASE="$RAW_DIR/base.wasm"
RAW_FULL="$RAW_DIR/full.wasm"
step "cargo build -p apertura-wasm --target wasm32-unknown-unknown --profile $PROFILE --no-default-features (base)"
cargo build -p apertura-wasm --target wasm32-unknown-unknown --profile "$PROFILE" --no-default-features
[ -f "$OUT" ] || { echo "missing $OUT" >&2; exit 1; }
cp "$OUT" "$RAW_BASE"
step "cargo build -p apertura-wasm --target wasm32-unknown-unknown --profile $PROFILE (full)"
cargo build -p apertura-wasm --target wasm32-unknown-unknown --profile "$PROFILE"
cp "$OUT" "$RAW_FULL"

# --- 5. wasm-bindgen (web base + web full + nodejs full) ------------------------------------
step "wasm-bindgen --target web (base, full) / nodejs (full)"
rm -rf wasm/pkg wasm/pkg-node
wasm-bindgen --target web --out-name apertura --out-dir wasm/pkg "$RAW_BASE"
wasm-bindgen --target web --out-name apertura_full --out-dir wasm/pkg "$RAW_FULL"
wasm-bindgen --target nodejs --out-name apertura --out-dir wasm/pkg-node "$RAW_FULL"

# The JavaScript half of the boundary (wasm/src/glue.js) is an ES module; the CommonJS
# build gets it as CommonJS (a package with "type": "commonjs" cannot require ES syntax on
# every Node version).
step "snippets of the CommonJS build as CommonJS"
node - wasm/pkg-node/snippets <<'EOF'
const fs = require('fs');
const path = require('path');
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const files = walk(process.argv[2]).filter((f) => f.endsWith('.js'));
if (files.length === 0) { console.error('no snippet found'); process.exit(1); }
for (const f of files) {
  const names = [];
  let text = fs.readFileSync(f, 'utf8').replace(/^export function (\w+)/gm, (_, n) => { names.push(n); return `function ${n}`; });
  if (/^\s*(export|import)\b/m.test(text) || names.length === 0) { console.error(`${f}: unexpected module syntax`); process.exit(1); }
  text += `\nmodule.exports = { ${names.join(', ')} };\n`;
  fs.writeFileSync(f, text);
  console.log(`${f}: ${names.length} functions as CommonJS`);
}
EOF

# --- 5b. call guard first (wasm-bindgen 0.2.130 reinit gap) ----------------------------
# After a Rust panic the module schedules a fresh instance for the next call
# (wasm_bindgen::handler::schedule_reinit, see wasm/src/error.rs). The glue of 0.2.130 runs
# that reset (`__wbg_call_guard()`) only after it has copied string arguments into the OLD
# instance's memory and after the stale-object check, so the first call after a panic would
# read garbage; and `free()` of an object from before the panic would free a pointer of the
# new instance. Patch: the guard becomes the first statement of every exported function
# and method, and `free()` of a stale object only forgets its pointer. The script fails if
# the generated code does not have the expected shape (tests in wasm/js/panic.test.mjs).
step "patch the glue: call guard first"
node - wasm/pkg/apertura.js wasm/pkg/apertura_full.js wasm/pkg-node/apertura.js <<'EOF'
const fs = require('fs');
const GUARD = '__wbg_call_guard();';
const STALE = 'this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id';
for (const file of process.argv.slice(2)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = /^( {0,4})(?:export )?(?:static |get |set )?(?:function )?([A-Za-z_$][\w$]*) ?\(.*\) \{$/;
  let moved = 0, frees = 0, withGuard = 0;
  for (let h = 0; h < lines.length; h++) {
    const m = lines[h].match(header);
    if (!m) continue;
    const indent = m[1];
    let end = h + 1;
    while (end < lines.length && lines[end] !== `${indent}}`) end++;
    const g = lines.slice(h + 1, end).findIndex((l) => l.trim() === GUARD);
    if (g < 0) continue;
    withGuard++;
    lines.splice(h + 1 + g, 1);
    const inner = indent + '    ';
    const add = [inner + GUARD];
    if (m[2] === 'free') {
      add.push(`${inner}if (${STALE}) { this.__wbg_ptr = 0; return; }`);
      frees++;
    }
    lines.splice(h + 1, 0, ...add);
    moved++;
  }
  const text = lines.join('\n');
  const classes = (text.match(/^export class |^class /gm) || []).length;
  if (moved === 0 || moved !== withGuard || frees !== classes || !text.includes('function __wbg_call_guard()')) {
    console.error(`${file}: unexpected glue shape (moved ${moved}/${withGuard} guards, ${frees} free() of ${classes} classes)`);
    process.exit(1);
  }
  fs.writeFileSync(file, text);
  console.log(`${file}: ${moved} guards moved first, ${frees} free() patched`);
}
EOF

# --- 6. wasm-opt -O3 (npm binaryen) -----------------------------------------------------
# -O3, not -Oz: the speed of opt-level 3 is kept; -Oz measured within 1 KB gzipped of -O3
# (README performance section). The web full module and the Node module come from the same
# cargo output (checked), so the full module is optimized once.
if ! cmp -s wasm/pkg/apertura_full_bg.wasm wasm/pkg-node/apertura_bg.wasm; then
  echo "web and nodejs .wasm differ; optimizing both" >&2
  SEPARATE=1
fi
if [ "${APERTURA_WASM_NO_OPT:-0}" = 1 ]; then
  step "wasm-opt skipped (APERTURA_WASM_NO_OPT=1)"
else
  step "wasm-opt -O3 ($("$WASM_OPT" --version))"
  "$WASM_OPT" -O3 wasm/pkg/apertura_bg.wasm -o wasm/pkg/apertura_bg.wasm
  "$WASM_OPT" -O3 wasm/pkg/apertura_full_bg.wasm -o wasm/pkg/apertura_full_bg.wasm
  if [ "${SEPARATE:-0}" = 1 ]; then
    "$WASM_OPT" -O3 wasm/pkg-node/apertura_bg.wasm -o wasm/pkg-node/apertura_bg.wasm
  else
    cp wasm/pkg/apertura_full_bg.wasm wasm/pkg-node/apertura_bg.wasm
  fi
fi

# --- 7. package.json files -------------------------------------------------------------
step "package.json"
VERSION=$(awk '/^\[workspace.package\]/{w=1} w && /^version *=/{gsub(/"/,"",$3); print $3; exit}' Cargo.toml)
VERSION="$VERSION" node --input-type=module - <<'EOF'
import fs from 'node:fs';
const version = process.env.VERSION;
const common = {
  version,
  description: "Scoring engine for Mexico's Métrica de Gobierno Abierto (MGA), compiled to WebAssembly.",
  license: 'MIT OR Apache-2.0',
  keywords: ['open-government', 'index', 'mexico', 'transparency', 'scoring', 'wasm'],
};
// Browsers and bundlers: ES module, `export default init` + `initSync`.
const web = {
  name: 'apertura',
  ...common,
  type: 'module',
  main: './apertura.js',
  module: './apertura.js',
  types: './apertura.d.ts',
  exports: {
    '.': { types: './apertura.d.ts', default: './apertura.js' },
    './full': { types: './apertura_full.d.ts', default: './apertura_full.js' },
    './apertura_bg.wasm': './apertura_bg.wasm',
    './apertura_full_bg.wasm': './apertura_full_bg.wasm',
    './package.json': './package.json',
  },
  files: ['apertura.js', 'apertura.d.ts', 'apertura_bg.wasm', 'apertura_bg.wasm.d.ts',
    'apertura_full.js', 'apertura_full.d.ts', 'apertura_full_bg.wasm', 'apertura_full_bg.wasm.d.ts', 'snippets'],
  sideEffects: false,
};
// Node: CommonJS, loads the .wasm next to it synchronously on require.
const node = {
  name: 'apertura',
  ...common,
  type: 'commonjs',
  main: './apertura.js',
  types: './apertura.d.ts',
  // The Node build is the full module: `apertura/full` is the same file.
  exports: {
    '.': { types: './apertura.d.ts', default: './apertura.js' },
    './full': { types: './apertura.d.ts', default: './apertura.js' },
    './package.json': './package.json',
  },
  files: ['apertura.js', 'apertura.d.ts', 'apertura_bg.wasm', 'apertura_bg.wasm.d.ts', 'snippets'],
};
fs.writeFileSync('wasm/pkg/package.json', JSON.stringify(web, null, 2) + '\n');
fs.writeFileSync('wasm/pkg-node/package.json', JSON.stringify(node, null, 2) + '\n');
for (const d of ['wasm/pkg', 'wasm/pkg-node']) {
  fs.rmSync(`${d}/.gitignore`, { force: true });
}
EOF

# --- 8. sizes -------------------------------------------------------------------------
step "sizes"
size() { wc -c < "$1" | tr -d ' '; }
gz() { gzip -9c "$1" | wc -c | tr -d ' '; }
echo "cargo output (base):      $(size "$RAW_BASE") bytes ($RAW_BASE)"
echo "cargo output (full):      $(size "$RAW_FULL") bytes ($RAW_FULL)"
echo "apertura_bg.wasm (base):  $(size wasm/pkg/apertura_bg.wasm) bytes raw, $(gz wasm/pkg/apertura_bg.wasm) bytes gzip -9"
echo "apertura_full_bg.wasm:    $(size wasm/pkg/apertura_full_bg.wasm) bytes raw, $(gz wasm/pkg/apertura_full_bg.wasm) bytes gzip -9"
echo "apertura.js (web base):   $(size wasm/pkg/apertura.js) bytes raw, $(gz wasm/pkg/apertura.js) bytes gzip -9"
echo "apertura_full.js (web):   $(size wasm/pkg/apertura_full.js) bytes raw, $(gz wasm/pkg/apertura_full.js) bytes gzip -9"
echo "done: wasm/pkg (web), wasm/pkg-node (node)"
