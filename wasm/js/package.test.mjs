// The built package: the web build is the optimized artifact (same bytes as the Node
// build), loads from bytes with initSync and from a compiled module, and package.json
// describes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pkgDir, pkgNodeDir, root, wasmBytes, webApi, SMALL_CSV } from './helpers.mjs';

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

test('the web and Node builds ship the same optimized .wasm', () => {
  const nodeBytes = fs.readFileSync(path.join(pkgNodeDir, 'apertura_bg.wasm'));
  assert.ok(Buffer.compare(wasmBytes, nodeBytes) === 0, 'identical bytes');
  assert.ok(WebAssembly.validate(wasmBytes));
  if (process.env.APERTURA_WASM_NO_OPT !== '1') {
    assert.ok(!customSections(wasmBytes).includes('name'), 'wasm-opt ran (no name section)');
  }
  const gz = zlib.gzipSync(wasmBytes, { level: 9 }).length;
  console.log(`# apertura_bg.wasm: ${wasmBytes.length} bytes raw, ${gz} bytes gzip -9`);
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
  for (const f of pkg.files) assert.ok(fs.existsSync(path.join(pkgDir, f)), f);
  const nodePkg = JSON.parse(fs.readFileSync(path.join(pkgNodeDir, 'package.json'), 'utf8'));
  assert.equal(nodePkg.type, 'commonjs');
  for (const f of nodePkg.files) assert.ok(fs.existsSync(path.join(pkgNodeDir, f)), f);
});
