// Runs inside the benchmark page: builds synthetic item-level institutions and times the
// package's scoring entry points with performance.now(). Exposes window.apertureBench.
import init, * as apertura from '../../wasm/pkg/apertura.js';

const ITEMS = [
  'tg.ai', 'tg.tr', 'tg.tp', 'tg.da',
  'tc.disponibilidad', 'tc.claridad', 'tc.completitud', 'tc.celeridad',
  'pg.mecanismos', 'pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento',
  'pc.metodo', 'pc.recepcion', 'pc.activacion', 'pc.celeridad',
];
const STATES = [
  'Federal', 'Aguascalientes', 'Baja California', 'Baja California Sur', 'Campeche', 'Coahuila', 'Colima',
  'Chiapas', 'Chihuahua', 'Ciudad de México', 'Durango', 'Guanajuato', 'Guerrero', 'Hidalgo', 'Jalisco',
  'México', 'Michoacán', 'Morelos', 'Nayarit', 'Nuevo León', 'Oaxaca', 'Puebla', 'Querétaro', 'Quintana Roo',
  'San Luis Potosí', 'Sinaloa', 'Sonora', 'Tabasco', 'Tamaulipas', 'Tlaxcala', 'Veracruz', 'Yucatán', 'Zacatecas',
];
const TYPES = ['Autónomo', 'Ejecutivo estatal', 'Judicial', 'Legislativo', 'Municipio', 'Partido', 'Sindicato', 'Universidad'];

/** mulberry32: a small deterministic PRNG. */
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

/**
 * n synthetic institutions, item values in thirds, respecting the gates of mga-2017:
 * pg.mecanismos 0 => other pg items 0; pc.metodo 0 => recepcion, activacion, celeridad 0;
 * pc.recepcion < 1 => activacion 0; pc.activacion 0 => pc.celeridad 0.
 */
export function synth(n, seed = 2043) {
  const rnd = prng(seed);
  const third = () => Math.floor(rnd() * 4) / 3;
  const cols = Object.fromEntries(ITEMS.map((k) => [k, new Float64Array(n)]));
  const id = new Array(n), jurisdiction = new Array(n), level = new Array(n), type = new Array(n);
  const objects = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const v = {};
    for (const k of ITEMS) v[k] = third();
    if (v['pg.mecanismos'] === 0) for (const k of ['pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento']) v[k] = 0;
    if (v['pc.metodo'] === 0) v['pc.recepcion'] = 0;
    if (v['pc.metodo'] === 0 || v['pc.recepcion'] < 1) v['pc.activacion'] = 0;
    if (v['pc.metodo'] === 0 || v['pc.activacion'] === 0) v['pc.celeridad'] = 0;
    id[i] = `syn-${String(i).padStart(6, '0')}`;
    jurisdiction[i] = STATES[i % STATES.length];
    level[i] = i % STATES.length === 0 ? 'Federal' : i % 3 === 0 ? 'Municipal' : 'Estatal';
    type[i] = TYPES[i % TYPES.length];
    objects[i] = { id: id[i], jurisdiction: jurisdiction[i], level: level[i], type: type[i], ...v };
    for (const k of ITEMS) cols[k][i] = v[k];
  }
  const columns = { id, jurisdiction, level, type, ...cols };
  const header = ['id', 'jurisdiction', 'level', 'type', ...ITEMS];
  const csv = header.join(',') + '\n' + objects.map((o) => header.map((h) => o[h]).join(',')).join('\n') + '\n';
  return { objects, columns, csv };
}

function plainIga(v) {
  const tg = 0.5 * v['tg.ai'] + 0.2 * v['tg.tr'] + 0.2 * v['tg.tp'] + 0.1 * v['tg.da'];
  const tc = (v['tc.disponibilidad'] + v['tc.claridad'] + v['tc.completitud'] + v['tc.celeridad']) / 4;
  const pg = 0.2 * v['pg.mecanismos'] + 0.1 * v['pg.actores'] + 0.3 * v['pg.funcionamiento'] + 0.1 * v['pg.formato'] + 0.3 * v['pg.seguimiento'];
  const pc = 0.2 * v['pc.metodo'] + 0.3 * v['pc.recepcion'] + 0.3 * v['pc.activacion'] + 0.2 * v['pc.celeridad'];
  return ((tg + tc) / 2 + (pg + pc) / 2) / 2;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time(fn, repeats, warmup) {
  let last;
  for (let i = 0; i < warmup; i += 1) last = fn();
  const ms = [];
  for (let i = 0; i < repeats; i += 1) {
    const t0 = performance.now();
    last = fn();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), repeats, last };
}

/** Times every method for n institutions; returns plain rows for the table. */
export function run(n, repeats, warmup = 2) {
  const { objects, columns, csv } = synth(n);
  const out = [];
  const meanIga = (rows) => rows.reduce((a, r) => a + r.iga, 0) / rows.length;
  const opts = { edition: 'mga-2017' };

  let r = time(() => apertura.score(objects, opts), repeats, warmup);
  out.push({ n, method: 'score(objects) -> rows', ...r, check: meanIga(r.last), last: undefined });

  r = time(() => apertura.scoreColumns(columns, opts), repeats, warmup);
  const iga = r.last.values.iga;
  out.push({ n, method: 'scoreColumns(Float64Array columns)', ...r, check: iga.reduce((a, b) => a + b, 0) / iga.length, last: undefined });

  r = time(() => apertura.score(csv, opts), repeats, warmup);
  out.push({ n, method: 'score(CSV text) -> rows', ...r, check: meanIga(r.last), last: undefined });

  // Reference only (no engine, no checks, no conversion): the 2017 formulas in plain JS over
  // the same objects, a floor for what crossing into wasm and back adds.
  r = time(() => objects.map(plainIga), repeats, warmup);
  out.push({ n, method: 'plain JS formulas (reference, no engine)', ...r, check: r.last.reduce((a, b) => a + b, 0) / n, last: undefined });

  const scorer = new apertura.Scorer(objects, opts);
  let flip = false;
  r = time(() => { flip = !flip; scorer.setWeight('t', flip ? 0.6 : 0.5); return scorer.national(); }, repeats, warmup);
  out.push({ n, method: 'Scorer.setWeight + national() (slider)', ...r, check: null, last: undefined });
  r = time(() => { flip = !flip; scorer.setWeight('t', flip ? 0.6 : 0.5); return scorer.rows(); }, repeats, warmup);
  out.push({ n, method: 'Scorer.setWeight + rows()', ...r, check: null, last: undefined });
  scorer.free();
  return out;
}

// ------------------------------------------------------------------ robustness

const UA = { edition: 'mga-2017', weight_noise: 0.25, n: 1000, seed: 1 };
const SA = { edition: 'mga-2017', weight_noise: 0.25, n: 256, bootstrap: 50, targets: ['rank_shift'], seed: 1 };

/** One run of the page's worker (wasm/www/robustness-worker.js): post, wait for the result. */
function viaWorker(worker, analysis, input, options) {
  return new Promise((resolve, reject) => {
    const id = Math.random();
    const t0 = performance.now();
    let progress = 0;
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'progress') progress += 1;
      else if (m.type === 'result') resolve({ ms: performance.now() - t0, inWorker: m.ms, progress, result: m.result });
      else if (m.type === 'error') reject(new Error(m.error.message));
    };
    worker.postMessage({ id, analysis, input, options });
  });
}

/**
 * Times the robustness analyses on `text` (the published 2017 file): uncertainty N = 1,000
 * and sensitivity N = 256 (bootstrap 50, R_S) on the main thread (cold first call, then
 * the median of `repeats`), and both through the page's Web Worker, end to end (post to
 * result received, the result structured-cloned back), with a fresh worker first.
 */
export async function robustness(text, repeats = 7) {
  const out = [];
  const timeCold = (label, fn) => {
    const t0 = performance.now();
    const r = fn();
    out.push({ method: label, median: performance.now() - t0, min: null, max: null, repeats: 1, check: r.rank_shift?.median ?? r.indices?.[0]?.st ?? null });
  };
  timeCold('uncertainty N=1000, main thread, first call', () => apertura.uncertainty(text, UA));
  let r = time(() => apertura.uncertainty(text, UA), repeats, 1);
  out.push({ method: 'uncertainty N=1000, main thread', ...r, check: r.last.rank_shift.median, last: undefined });
  const withAgg = { ...UA, vary_aggregation: { iga: ['arithmetic', 'geometric'], t: ['arithmetic', 'geometric'], p: ['arithmetic', 'geometric'] }, geometric_zeros: 'shift:1e-6' };
  r = time(() => apertura.uncertainty(text, withAgg), repeats, 1);
  out.push({ method: 'uncertainty N=1000 + 3 aggregation factors, main thread', ...r, check: r.last.rank_shift.median, last: undefined });
  timeCold('sensitivity N=256 (R_S, bootstrap 50), main thread, first call', () => apertura.sensitivity(text, SA));
  r = time(() => apertura.sensitivity(text, SA), repeats, 1);
  out.push({ method: 'sensitivity N=256 (R_S, bootstrap 50), main thread', ...r, check: r.last.indices[0].st, last: undefined });
  const worker = new Worker(new URL('../../wasm/www/robustness-worker.js', import.meta.url), { type: 'module' });
  try {
    const cold = await viaWorker(worker, 'uncertainty', text, UA);
    out.push({ method: `uncertainty N=1000, fresh Web Worker (load + run, ${cold.progress} progress messages)`, median: cold.ms, min: null, max: null, repeats: 1, check: cold.result.rank_shift.median });
    const warm = [];
    let last;
    for (let k = 0; k < repeats; k += 1) {
      last = await viaWorker(worker, 'uncertainty', text, UA);
      warm.push(last.ms);
    }
    out.push({ method: 'uncertainty N=1000, Web Worker, post to result', median: median(warm), min: Math.min(...warm), max: Math.max(...warm), repeats, check: last.result.rank_shift.median });
    const sa = [];
    for (let k = 0; k < repeats; k += 1) {
      last = await viaWorker(worker, 'sensitivity', text, SA);
      sa.push(last.ms);
    }
    out.push({ method: 'sensitivity N=256 (R_S, bootstrap 50), Web Worker', median: median(sa), min: Math.min(...sa), max: Math.max(...sa), repeats, check: last.result.indices[0].st });
  } finally {
    worker.terminate();
  }
  return out;
}

await init();
window.apertureBench = { run, synth, robustness, version: apertura.version(), userAgent: navigator.userAgent };
document.getElementById('out').textContent = `apertura ${apertura.version()} ready`;
document.body.dataset.ready = 'true';
