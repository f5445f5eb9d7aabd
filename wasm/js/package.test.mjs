// The built package: the web build is the optimized artifact (same bytes as the Node
// build), loads from bytes with initSync and from a compiled module, and package.json
// describes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fullWasmBytes, pkgDir, pkgNodeDir, root, wasmBytes, webApi, webFullApi, SMALL_CSV } from './helpers.mjs';

const version = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/)[1];

/** Names of the custom sections of a wasm binary. */
function customSections(bytes) {
  const names = [];
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = bytes[p++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 0) {
      const n = leb();
      names.push(Buffer.from(bytes.subarray(p, p + n)).toString());
    }
    p = end;
  }
  return names;
}

test('the web full module and the Node build ship the same optimized module', () => {
  // Same cargo output; only the import paths of the glue differ between the two targets.
  const nodeBytes = fs.readFileSync(path.join(pkgNodeDir, 'apertura_bg.wasm'));
  const exportsOf = (b) => WebAssembly.Module.exports(new WebAssembly.Module(b)).map((e) => e.name).sort();
  assert.deepEqual(exportsOf(fullWasmBytes), exportsOf(nodeBytes));
  assert.ok(Math.abs(fullWasmBytes.length - nodeBytes.length) < 1024, 'same code');
  for (const [name, bytes] of [['apertura_bg.wasm', wasmBytes], ['apertura_full_bg.wasm', fullWasmBytes]]) {
    assert.ok(WebAssembly.validate(bytes));
    if (process.env.APERTURA_WASM_NO_OPT !== '1') {
      assert.ok(!customSections(bytes).includes('name'), `wasm-opt ran on ${name} (no name section)`);
    }
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    console.log(`# ${name}: ${bytes.length} bytes raw, ${gz} bytes gzip -9`);
  }
  assert.ok(wasmBytes.length < fullWasmBytes.length, 'the base module is the smaller one');
});

test('the base module has the base API and none of the analyses; the full module has both', () => {
  const base = ['score', 'scoresToCsv', 'scoreColumns', 'summary', 'gaps', 'explain', 'editions', 'version', 'Edition', 'Scorer'];
  const analyses = ['uncertainty', 'sensitivity', 'improve', 'compare', 'fichaHtml', 'catalogue'];
  for (const f of base) {
    assert.ok(f in webApi, `base: ${f}`);
    assert.ok(f in webFullApi, `full: ${f}`);
  }
  for (const f of analyses) {
    assert.ok(!(f in webApi), `base has no ${f}`);
    assert.equal(typeof webFullApi[f], 'function', `full: ${f}`);
  }
  assert.deepEqual(webApi.score(SMALL_CSV), webFullApi.score(SMALL_CSV));
});

test('the web build initialises from bytes (initSync) and from a compiled module', async () => {
  assert.equal(typeof webApi.default, 'function', 'export default init');
  assert.equal(typeof webApi.initSync, 'function');
  assert.equal(webApi.score(SMALL_CSV)[1].iga, 1);
  // A second copy of the module, from a WebAssembly.Module, through the async init.
  const copy = await import(`${path.join(pkgDir, 'apertura.js')}?second`);
  await copy.default({ module_or_path: await WebAssembly.compile(wasmBytes) });
  assert.equal(copy.version(), version);
  assert.equal(copy.score(SMALL_CSV)[0].rank, 2);
});

test('package.json of the web build: name, ES module, exports, types', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'apertura');
  assert.equal(pkg.version, version);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './apertura.d.ts');
  assert.deepEqual(pkg.exports['.'], { types: './apertura.d.ts', default: './apertura.js' });
  assert.deepEqual(pkg.exports['./full'], { types: './apertura_full.d.ts', default: './apertura_full.js' });
  for (const f of pkg.files) assert.ok(fs.existsSync(path.join(pkgDir, f)), f);
  const nodePkg = JSON.parse(fs.readFileSync(path.join(pkgNodeDir, 'package.json'), 'utf8'));
  assert.equal(nodePkg.type, 'commonjs');
  for (const f of nodePkg.files) assert.ok(fs.existsSync(path.join(pkgNodeDir, f)), f);
});
