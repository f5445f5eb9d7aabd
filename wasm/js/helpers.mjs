// Shared set-up of the Node tests: both builds of the package, loaded the way users load
// them, and small helpers. Not a test file (node --test runs *.test.mjs only).
//
// - `pkg-node`: the CommonJS build (`require`), as Node users load it;
// - `web`: the ES-module builds for browsers, instantiated from the bytes of the optimized
//   `wasm/pkg/apertura_bg.wasm` (base) and `apertura_full_bg.wasm` (full) with `initSync`:
//   the exact artifacts the browser gets.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const pkgDir = path.join(root, 'wasm', 'pkg');
export const pkgNodeDir = path.join(root, 'wasm', 'pkg-node');

const require = createRequire(import.meta.url);
export const nodeApi = require(path.join(pkgNodeDir, 'apertura.js'));

const web = await import(path.join(pkgDir, 'apertura.js'));
export const wasmBytes = fs.readFileSync(path.join(pkgDir, 'apertura_bg.wasm'));
web.initSync({ module: wasmBytes });
/** The base module of the web build (`import 'apertura'`). */
export const webApi = web;

const webFull = await import(path.join(pkgDir, 'apertura_full.js'));
export const fullWasmBytes = fs.readFileSync(path.join(pkgDir, 'apertura_full_bg.wasm'));
webFull.initSync({ module: fullWasmBytes });
/** The full module of the web build (`import 'apertura/full'`). */
export const webFullApi = webFull;

/** [name, api] for every build of the base API; tests run against each. */
export const builds = [
  ['pkg-node (require)', nodeApi],
  ['pkg (web base module, initSync from bytes)', webApi],
  ['pkg (web full module, initSync from bytes)', webFullApi],
];

/** [name, api] for every build of the analyses (robustness, improve, compare, fichas,
 *  catalogue): the Node build and the web full module. */
export const fullBuilds = [
  ['pkg-node (require)', nodeApi],
  ['pkg (web full module, initSync from bytes)', webFullApi],
];

/** The published 2017 file, read from ../shared/mga-data beside the repository. */
export function publishedPath() {
  const base = process.env.APERTURA_SHARED
    ? path.join(process.env.APERTURA_SHARED, 'mga-data')
    : path.join(root, '..', 'shared', 'mga-data');
  return path.join(base, 'mga2017_sujetos_obligados_BSO.csv');
}

/** Rounds half up to `d` decimals as the core does (15 decimals first, then the digits). */
export function roundHalfUp(x, d) {
  const s = Math.abs(x).toFixed(15);
  const [int, frac] = s.split('.');
  const digits = (int + frac.slice(0, d)).split('').map(Number);
  if (Number(frac[d]) >= 5) {
    let k = digits.length;
    for (;;) {
      if (k === 0) {
        digits.unshift(1);
        break;
      }
      k -= 1;
      if (digits[k] === 9) digits[k] = 0;
      else {
        digits[k] += 1;
        break;
      }
    }
  }
  const n = digits.length - d;
  const out = digits.slice(0, n).join('') + (d > 0 ? '.' + digits.slice(n).join('') : '');
  return (x < 0 && /[1-9]/.test(out) ? '-' : '') + out;
}

/** Calls `fn`, expecting it to throw; returns the thrown value. */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception, got none');
}

/** A small valid wide CSV (perspective level). */
export const SMALL_CSV = 'id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\nb,1,1,1,1\n';
