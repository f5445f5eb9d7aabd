// Node benchmark of the apertura WebAssembly package (not a test).
//
//   bash wasm/build.sh && node benches/wasm/bench-node.mjs [--quick]
//
// Scores synthetic institutions (the 17 items of mga-2017, values in thirds, gates
// respected, deterministic PRNG) through the optimized package:
//   score(objects), score(csv text), scoreColumns(Float64Array columns),
//   Scorer.setWeight (re-score in place) and Scorer.setWeight + rows() (re-score + convert),
// for 2,043 and 100,000 institutions; prints the median of repeats and the wasm size.
// Targets: 2,043 institutions in under 5 ms; wasm under 200 KB gzipped.
import { createRequire } from 'node:module';
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
function report(label, n, ms) {
  results.push({ label, n, ms });
  console.log(`${label.padEnd(44)} n=${String(n).padStart(7)} ${fmt(ms)}   ${(n / ms / 1000).toFixed(2)} M inst/s`);
}

const wasmBytes = fs.readFileSync(new URL('apertura_bg.wasm', pkgNode));
console.log(`apertura ${api.version()} (Node ${process.version}), ${quick ? 'quick' : 'full'} run`);
console.log(`wasm: ${wasmBytes.length} bytes raw, ${zlib.gzipSync(wasmBytes, { level: 9 }).length} bytes gzip -9`);
console.log();

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

  report('score(objects)', n, time(() => api.score(objects), reps));
  report('score(csv text)', n, time(() => api.score(csv), reps));
  report('scoreColumns(Float64Array columns)', n, time(() => api.scoreColumns(columns), reps));

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
const best = Math.min(...small.filter((r) => !r.label.startsWith('Scorer')).map((r) => r.ms));
console.log(`target 2,043 in < 5 ms: best one-shot path ${best.toFixed(2)} ms -> ${best < 5 ? 'met' : 'NOT met'}`);
const gz = zlib.gzipSync(wasmBytes, { level: 9 }).length;
console.log(`target wasm < 200 KB gzipped: ${(gz / 1024).toFixed(1)} KiB -> ${gz < 200 * 1024 ? 'met' : 'NOT met'}`);
