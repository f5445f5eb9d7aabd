// Node benchmark of the robustness analyses of the WebAssembly package (not a test).
//
//   bash wasm/build.sh && node benches/wasm/bench-robustness.mjs [--quick]
//
// On the published 2017 file (../shared/mga-data/mga2017_sujetos_obligados_BSO.csv, 908
// institutions, read as is), through the optimized Node build: uncertainty N = 1,000 with
// +-25 % weight noise (6 factors), cold (first call) and warm (median of repeats); the same
// with the three aggregation factors; N = 10,000; sensitivity N = 256 of R_S with a
// bootstrap of 50 (2,048 runs), and of every target (R_S, national, 908 scores and ranks).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const api = createRequire(import.meta.url)(path.join(root, 'wasm', 'pkg-node', 'apertura.js'));
const quick = process.argv.includes('--quick');
const reps = quick ? 3 : 9;
const file = path.resolve(root, '..', 'shared', 'mga-data', 'mga2017_sujetos_obligados_BSO.csv');
const text = fs.readFileSync(file, 'utf8');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn, n, warm = 1) {
  for (let i = 0; i < warm; i++) fn();
  const t = [];
  let last;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    last = fn();
    t.push(performance.now() - t0);
  }
  return { ms: median(t), min: Math.min(...t), last };
}
const line = (label, ms, extra = '') => console.log(`${label.padEnd(62)} ${ms.toFixed(1).padStart(8)} ms${extra}`);

console.log(`apertura ${api.version()} (Node ${process.version}), ${quick ? 'quick' : 'full'} run, published 2017 file\n`);
const UA = { weight_noise: 0.25, n: 1000, seed: 1 };
const AGG = { iga: ['arithmetic', 'geometric'], t: ['arithmetic', 'geometric'], p: ['arithmetic', 'geometric'] };
let t0 = performance.now();
const first = api.uncertainty(text, UA);
line('uncertainty N=1000 (6 weight factors), first call', performance.now() - t0, `   R_S median ${first.rank_shift.median.toFixed(3)}`);
let r = time(() => api.uncertainty(text, UA), reps);
line('uncertainty N=1000 (6 weight factors), warm median', r.ms, `   min ${r.min.toFixed(1)} ms`);
r = time(() => api.uncertainty(text, { ...UA, vary_aggregation: AGG, geometric_zeros: 'shift:1e-6' }), reps);
line('uncertainty N=1000 (+ 3 aggregation factors), warm median', r.ms, `   min ${r.min.toFixed(1)} ms`);
r = time(() => api.uncertainty(text, { ...UA, n: 10000 }), quick ? 1 : 3);
line('uncertainty N=10000 (6 weight factors)', r.ms, `   ${(r.ms / 10).toFixed(2)} ms per 1,000 runs`);
const SA = { weight_noise: 0.25, n: 256, bootstrap: 50, seed: 1 };
t0 = performance.now();
api.sensitivity(text, { ...SA, targets: ['rank_shift'] });
line('sensitivity N=256 (2,048 runs), R_S, bootstrap 50, first call', performance.now() - t0);
r = time(() => api.sensitivity(text, { ...SA, targets: ['rank_shift'] }), reps);
line('sensitivity N=256 (2,048 runs), R_S, bootstrap 50, warm median', r.ms, `   ST(w:pg) ${r.last.indices[2].st.toFixed(4)}`);
r = time(() => api.sensitivity(text, { ...SA, targets: 'all' }), quick ? 1 : 3);
line('sensitivity N=256, every target (1,818 series), bootstrap 50', r.ms, `   ${r.last.indices.length} indices`);
