// Node benchmark of the apertura WebAssembly package (not a test).
//
//   bash wasm/build.sh && node benches/wasm/bench-node.mjs [--quick]
//
// Scores synthetic institutions (the 17 items of mga-2017, values in thirds, gates
// respected, deterministic PRNG) through the optimized package:
//   score(objects) (built key by key, as CSV parsers build rows: V8 keeps such objects in
//   dictionary mode), score(objects from JSON.parse) (objects with shared shapes),
//   score(csv text), scoreColumns(Float64Array columns),
//   Scorer.setWeight (re-score in place) and Scorer.setWeight + rows() (re-score + convert),
// for 2,043 and 100,000 institutions; prints the median of repeats, the ratio against the
// native core doing the same in the same run (benches/examples/wasm_peer.rs: plan, read,
// score, result), and the sizes of the base and full modules.
// Targets: score(objects) and score(csv text) of 2,043 institutions under 5 ms;
// scoreColumns within 10 % of 2.45 ms; the base module under 200 KB gzipped.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const pkgNode = new URL('../../wasm/pkg-node/', import.meta.url);
const api = require(new URL('apertura.js', pkgNode).pathname);
const quick = process.argv.includes('--quick');

const ITEMS = [
  'tg.ai', 'tg.tr', 'tg.tp', 'tg.da',
  'tc.disponibilidad', 'tc.claridad', 'tc.completitud', 'tc.celeridad',
  'pg.mecanismos', 'pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento',
  'pc.metodo', 'pc.recepcion', 'pc.activacion', 'pc.celeridad',
];
const STATES = [
  'Aguascalientes', 'Baja California', 'Baja California Sur', 'Campeche', 'Coahuila', 'Colima',
  'Chiapas', 'Chihuahua', 'Ciudad de Mexico', 'Durango', 'Guanajuato', 'Guerrero', 'Hidalgo',
  'Jalisco', 'Mexico', 'Michoacan', 'Morelos', 'Nayarit', 'Nuevo Leon', 'Oaxaca', 'Puebla',
  'Queretaro', 'Quintana Roo', 'San Luis Potosi', 'Sinaloa', 'Sonora', 'Tabasco', 'Tamaulipas',
  'Tlaxcala', 'Veracruz', 'Yucatan', 'Zacatecas', 'Federal',
];

// mulberry32: small deterministic PRNG, uniform in [0, 1).
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n institutions as columns: values in thirds, gates of mga-2017 respected. */
function synthesize(n, seed = 2017) {
  const rnd = prng(seed);
  const cols = Object.fromEntries(ITEMS.map((k) => [k, new Float64Array(n)]));
  const third = () => Math.floor(rnd() * 4) / 3; // 0, 1/3, 2/3, 1
  for (let i = 0; i < n; i++) {
    const v = {};
    for (const k of ITEMS) v[k] = third();
    if (v['pg.mecanismos'] === 0) {
      for (const k of ['pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento']) v[k] = 0;
    }
    if (v['pc.metodo'] === 0) {
      for (const k of ['pc.recepcion', 'pc.activacion', 'pc.celeridad']) v[k] = 0;
    }
    if (v['pc.recepcion'] < 1) v['pc.activacion'] = 0;
    if (v['pc.activacion'] === 0) v['pc.celeridad'] = 0;
    for (const k of ITEMS) cols[k][i] = v[k];
  }
  const ids = Array.from({ length: n }, (_, i) => `syn-${String(i).padStart(6, '0')}`);
  const jurisdiction = Array.from({ length: n }, (_, i) => STATES[i % STATES.length]);
  return { ids, jurisdiction, cols };
}

function asObjects({ ids, jurisdiction, cols }) {
  return ids.map((id, i) => {
    const o = { id, jurisdiction: jurisdiction[i] };
    for (const k of ITEMS) o[k] = cols[k][i];
    return o;
  });
}

function asCsv({ ids, jurisdiction, cols }) {
  const lines = [['id', 'jurisdiction', ...ITEMS].join(',')];
  for (let i = 0; i < ids.length; i++) {
    lines.push([ids[i], jurisdiction[i], ...ITEMS.map((k) => cols[k][i])].join(','));
  }
  return lines.join('\n') + '\n';
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time (ms) of `reps` runs of `fn`, after `warm` warm-up runs. */
function time(fn, reps, warm = 2) {
  for (let i = 0; i < warm; i++) fn(i);
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn(i);
    t.push(performance.now() - t0);
  }
  return median(t);
}

const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8) + ' ms';
const results = [];
function report(label, n, ms, nativeMs = null, peer = '') {
  results.push({ label, n, ms, nativeMs });
  const vs = nativeMs === null ? '' : `   native ${fmt(nativeMs)} (${peer}): wasm ${(ms / nativeMs).toFixed(2)}x the native time`;
  console.log(`${label.padEnd(44)} n=${String(n).padStart(7)} ${fmt(ms)}   ${(n / ms / 1000).toFixed(2)} M inst/s${vs}`);
}

const pkgWeb = new URL('../../wasm/pkg/', import.meta.url);
const baseBytes = fs.readFileSync(new URL('apertura_bg.wasm', pkgWeb));
const fullBytes = fs.readFileSync(new URL('apertura_full_bg.wasm', pkgWeb));
const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
console.log(`apertura ${api.version()} (Node ${process.version}), ${quick ? 'quick' : 'full'} run`);
console.log(`base module (import 'apertura'):      ${baseBytes.length} bytes raw, ${gzip(baseBytes)} bytes gzip -9`);
console.log(`full module (import 'apertura/full'): ${fullBytes.length} bytes raw, ${gzip(fullBytes)} bytes gzip -9`);
console.log();

// The native peer, built once (cargo's target dir, release profile).
const root = new URL('../../', import.meta.url).pathname;
const targetDir = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
const peerBin = path.join(targetDir, 'release', 'examples', 'wasm_peer');
execFileSync('cargo', ['build', '--release', '-q', '-p', 'apertura-benches', '--example', 'wasm_peer'], { cwd: root, stdio: 'inherit' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apertura-bench-'));
function native(csv, objects, reps) {
  const c = path.join(tmp, 'in.csv');
  const j = path.join(tmp, 'in.json');
  fs.writeFileSync(c, csv);
  fs.writeFileSync(j, JSON.stringify(objects));
  return JSON.parse(execFileSync(peerBin, [c, j, String(reps)], { encoding: 'utf8' }));
}

for (const n of [2043, 100000]) {
  const big = n > 10000;
  const reps = quick ? (big ? 3 : 7) : big ? 7 : 31;
  const data = synthesize(n);
  const objects = asObjects(data);
  const csv = asCsv(data);
  const columns = { id: data.ids, jurisdiction: data.jurisdiction, ...data.cols };

  // Sanity: every path gives the same index.
  const a = api.score(objects);
  const b = api.scoreColumns(columns);
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 97))) {
    if (a[i].iga !== b.values.iga[i]) throw new Error(`paths disagree at ${i}`);
  }

  const peer = native(csv, objects, reps);
  report('score(objects)', n, time(() => api.score(objects), reps), peer.score_json_ms, 'native read_json');
  const parsed = JSON.parse(JSON.stringify(objects));
  report('score(objects from JSON.parse)', n, time(() => api.score(parsed), reps), peer.score_json_ms, 'native read_json');
  report('score(csv text)', n, time(() => api.score(csv), reps), peer.score_csv_ms, 'native read_csv');
  report('scoreColumns(Float64Array columns)', n, time(() => api.scoreColumns(columns), reps), peer.score_columns_ms, 'native read_columns');

  const scorer = new api.Scorer(objects);
  const w = (i) => 0.3 + 0.4 * ((i % 7) / 6);
  report('Scorer.setWeight (re-score in place)', n, time((i) => scorer.setWeight('tg.ai', w(i)), reps * 3));
  report('Scorer.setWeight + rows()', n, time((i) => {
    scorer.setWeight('tg.ai', w(i));
    return scorer.rows();
  }, reps));
  report('Scorer.setWeight + columns()', n, time((i) => {
    scorer.setWeight('tg.ai', w(i));
    return scorer.columns();
  }, reps));
  report('Scorer.setWeight + national()', n, time((i) => {
    scorer.setWeight('tg.ai', w(i));
    return scorer.national();
  }, reps));
  scorer.free();
  console.log();
}

const small = results.filter((r) => r.n === 2043);
const at = (label) => small.find((r) => r.label === label).ms;
for (const label of ['score(objects)', 'score(csv text)']) {
  console.log(`target ${label} of 2,043 in < 5 ms: ${at(label).toFixed(2)} ms -> ${at(label) < 5 ? 'met' : 'NOT met'}`);
}
const cols = at('scoreColumns(Float64Array columns)');
console.log(`target scoreColumns of 2,043 within 10 % of 2.45 ms: ${cols.toFixed(2)} ms -> ${cols <= 2.45 * 1.1 ? 'met' : 'NOT met'}`);
const worst = results.filter((r) => r.nativeMs !== null).reduce((a, r) => (r.ms / r.nativeMs > a.ms / a.nativeMs ? r : a));
console.log(`worst ratio against the native core: ${worst.label}, n=${worst.n}: ${(worst.ms / worst.nativeMs).toFixed(2)}x`);
const gz = gzip(baseBytes);
console.log(`target base module < 200 KB gzipped: ${(gz / 1024).toFixed(1)} KiB -> ${gz < 200 * 1024 ? 'met' : 'NOT met'}`);
fs.rmSync(tmp, { recursive: true, force: true });
