// Robustness analyses through the JS API (`uncertainty`, `sensitivity`), against both builds:
// the shared vectors (tests/vectors/robustness/: every key of the golden result ===, floats
// bit for bit, and the hand-computed expectations within 1e-12),
// zero noise gives intervals equal to nominal, an exported design reruns to the same result
// bit for bit, bad factors / designs / options are Errors with stable codes and locations,
// onProgress is called and can cancel, and the module keeps working after every error.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fullBuilds as builds, publishedPath, root, thrown, SMALL_CSV } from './helpers.mjs';

const vectors = path.join(root, 'tests', 'vectors', 'robustness');
const vectorNames = fs.readdirSync(path.join(vectors, 'cases')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
const loadVector = (kind, name) => JSON.parse(fs.readFileSync(path.join(vectors, kind, `${name}.json`), 'utf8'));
const published = fs.readFileSync(publishedPath(), 'utf8');
const sample = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');
/** Perspective-level data with zeros (geometric means meet them). */
const ZEROS = 'id,tg,tc,pg,pc\na,0.4,0.6,0,0\nb,1,1,1,1\nc,0.5,0.5,0.5,0.5\nd,0.2,0.9,0.3,0.1\n';
const FIELDS = ['code', 'factor', 'institution', 'item', 'row', 'column', 'value'];
const W = ['w:tg', 'w:tc', 'w:pg', 'w:pc', 'w:t', 'w:p'];

/** A design CSV with the weight-noise factors of perspective-level data. */
function designCsv(rows, header = W) {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** [label, (api) => throws, expected fields (null where unknown), message pattern?]. */
const ERRORS = [
  ['invalid_factor: unknown parent', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, weight_parents: ['zz'] }),
    { code: 'invalid_factor', factor: 'w:zz', institution: null, row: null, column: null, value: null }, /zz/],
  ['invalid_factor: weight noise outside [0, 1)', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 1.5 }),
    { code: 'invalid_factor', factor: 'w:*' }, /1\.5/],
  ['invalid_factor: parent given by the data', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, weight_parents: ['tg'] }),
    { code: 'invalid_factor', factor: 'w:tg' }],
  ['invalid_factor: unknown aggregation', (a) => a.uncertainty(SMALL_CSV, { vary_aggregation: { p: ['arithmetic', 'median'] } }),
    { code: 'invalid_factor', factor: 'agg:p' }, /median/],
  ['invalid_factor: one alternative', (a) => a.uncertainty(SMALL_CSV, { vary_aggregation: { p: ['geometric'] } }),
    { code: 'invalid_factor', factor: 'agg:p' }],
  ['invalid_factor: setting without evidence', (a) => a.uncertainty(SMALL_CSV, { vary: { tc_celeridad: ['banded_fifths', 'linear'] } }),
    { code: 'invalid_factor', factor: 'set:tc_celeridad' }],
  ['invalid_factor: one weight set', (a) => a.uncertainty(SMALL_CSV, { weight_sets: [{ name: 'equal' }] }),
    { code: 'invalid_factor', factor: 'weights' }],
  ['invalid_factor: data node not given', (a) => a.uncertainty(SMALL_CSV, { data_noise: 0.1, data_nodes: ['tg.ai'] }),
    { code: 'invalid_factor', factor: 'x:tg.ai' }],
  ['geometric_zero: names the node, the institution and the child', (a) => a.uncertainty(ZEROS, { vary_aggregation: { iga: ['arithmetic', 'geometric'] } }),
    { code: 'geometric_zero', factor: 'agg:iga', institution: 'a', row: null, column: null, value: 'p = 0' }, /shift:1e-6/],
  ['invalid_design: a missing column', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: designCsv([[0.5, 0.5, 0.5, 0.5, 0.5]], W.slice(0, 5)) }),
    { code: 'invalid_design', factor: 'w:p', column: 'w:p', row: null, value: null }],
  ['invalid_design: an extra column', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: designCsv([[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]], [...W, 'w:zz']) }),
    { code: 'invalid_design', column: 'w:zz', row: null }],
  ['invalid_design: a value outside [0, 1)', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: designCsv([[0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.1, 0.2, 0.3, 1.5, 0.5, 0.5]]) }),
    { code: 'invalid_design', factor: null, row: 2, column: 'w:pc', value: '1.5' }, /\[0, 1\)/],
  ['invalid_design: not a number', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: designCsv([['abc', 0.5, 0.5, 0.5, 0.5, 0.5]]) }),
    { code: 'invalid_design', row: 1, column: 'w:tg', value: 'abc' }, /not a number/],
  ['invalid_design: no rows', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: designCsv([]) }),
    { code: 'invalid_design' }],
  ['invalid_design: sensitivity N not a power of two', (a) => a.sensitivity(SMALL_CSV, { weight_noise: 0.2, n: 100 }),
    { code: 'invalid_design' }, /power of two/],
  ['invalid_design: sensitivity design of 3 rows', (a) => a.sensitivity(SMALL_CSV, {
    weight_noise: 0.2,
    design: designCsv([[...Array(12).fill(0.5)], [...Array(12).fill(0.25)], [...Array(12).fill(0.75)]], [...W.map((f) => `A:${f}`), ...W.map((f) => `B:${f}`)]),
  }), { code: 'invalid_design' }, /power of two/],
  ['invalid_option: no factor at all', (a) => a.uncertainty(SMALL_CSV, {}), { code: 'invalid_option' }, /no factor/],
  ['invalid_option: no options', (a) => a.uncertainty(SMALL_CSV), { code: 'invalid_option' }],
  ['invalid_option: n = 0', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, n: 0 }), { code: 'invalid_option' }],
  ['invalid_option: unknown key, named', (a) => a.uncertainty(SMALL_CSV, { weight_nosie: 0.2 }), { code: 'invalid_option' }, /"weight_nosie"/],
  ['invalid_option: a sensitivity key in uncertainty', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, bootstrap: 10 }), { code: 'invalid_option' }, /"bootstrap".*sensitivity/],
  ['invalid_option: an uncertainty key in sensitivity', (a) => a.sensitivity(SMALL_CSV, { weight_noise: 0.2, top: 3 }), { code: 'invalid_option' }, /"top".*uncertainty/],
  ['invalid_option: threads mean nothing here', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, threads: 2 }), { code: 'invalid_option' }, /"threads"/],
  ['invalid_option: wrong type, named', (a) => a.uncertainty(SMALL_CSV, { weight_noise: '0.2' }), { code: 'invalid_option' }, /"weight_noise"/],
  ['invalid_option: wrong run value, named', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, n: -5 }), { code: 'invalid_option' }, /"n"/],
  ['invalid_option: bad geometric-zero policy', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, geometric_zeros: 'skip' }), { code: 'invalid_option' }, /"geometric_zeros"/],
  ['invalid_option: bad sampler', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, sampler: 'lhs' }), { code: 'invalid_option' }, /"sampler"/],
  ['invalid_option: bad targets', (a) => a.sensitivity(SMALL_CSV, { weight_noise: 0.2, targets: 'everything' }), { code: 'invalid_option' }, /"targets"/],
  ['invalid_option: confidence outside (0, 1)', (a) => a.sensitivity(SMALL_CSV, { weight_noise: 0.2, n: 8, confidence: 1 }), { code: 'invalid_option' }],
  ['invalid_option: onProgress not a function', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, onProgress: 5 }), { code: 'invalid_option' }, /onProgress/],
  ['invalid_option: design not text', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, design: 5 }), { code: 'invalid_option' }, /design/],
  ['invalid_option: a score setting is still checked', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, gates: 'sometimes' }), { code: 'invalid_option' }],
  ['unknown_edition', (a) => a.uncertainty(SMALL_CSV, { weight_noise: 0.2, edition: 'mga-1999' }), { code: 'unknown_edition' }],
  ['input errors keep their location', (a) => a.uncertainty('id,tg,tc,pg,pc\na,1.5,0,0,0\n', { weight_noise: 0.2 }),
    { code: 'out_of_range', institution: 'a', item: 'tg', row: 1, column: 'tg', value: '1.5', factor: null }],
];

/** Exact equality of two results: same keys, numbers ===, typed arrays element by element. */
function assertSame(got, want, where = 'result') {
  if (ArrayBuffer.isView(got) || ArrayBuffer.isView(want)) {
    assert.equal(got.length, want.length, `${where}: length`);
    for (let i = 0; i < want.length; i++) assert.ok(got[i] === want[i], `${where}[${i}]: ${got[i]} !== ${want[i]}`);
    return;
  }
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${where}: an array`);
    assert.equal(got.length, want.length, `${where}: length`);
    want.forEach((w, i) => assertSame(got[i], w, `${where}[${i}]`));
    return;
  }
  if (want !== null && typeof want === 'object') {
    assert.ok(got !== null && typeof got === 'object', `${where}: an object`);
    assert.deepEqual(Object.keys(got), Object.keys(want), `${where}: keys`);
    for (const k of Object.keys(want)) assertSame(got[k], want[k], `${where}.${k}`);
    return;
  }
  assert.ok(got === want, `${where}: ${got} !== ${want}`);
}

/** The case's input and flat options (score options, factor keys, run keys, design). */
function vectorCall(c) {
  const options = { ...(c.options ?? {}), ...(c.factors ?? {}), ...(c.run ?? {}), edition: c.edition ?? 'mga-2017' };
  if (c.design !== undefined) options.design = c.design;
  return [c.input.csv !== undefined ? c.input.csv : c.input.records, options];
}

/** Golden equality: the same keys (any order), numbers ===, typed arrays as arrays. */
function assertGolden(got, want, where) {
  if (ArrayBuffer.isView(got)) got = Array.from(got);
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${where}: an array`);
    assert.equal(got.length, want.length, `${where}: length`);
    want.forEach((w, i) => assertGolden(got[i], w, `${where}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    assert.ok(got !== null && typeof got === 'object', `${where}: an object`);
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${where}: keys`);
    for (const k of Object.keys(want)) assertGolden(got[k], want[k], `${where}.${k}`);
  } else {
    assert.ok(got === want, `${where}: got ${got}, golden ${want}`);
  }
}

const near = (got, want, where) => assert.ok(Math.abs(got - want) <= 1e-12, `${where}: ${got}, expected ${want}`);

test('there are shared robustness vectors, each with a golden file', () => {
  assert.ok(vectorNames.length >= 8, `only ${vectorNames.length} cases`);
  for (const n of vectorNames) assert.ok(fs.existsSync(path.join(vectors, 'golden', `${n}.json`)), `golden/${n}.json`);
});

for (const [name, api] of builds) {
  test(`${name}: the smallest sensitivity designs (N = 2, 4) with a bootstrap return`, () => {
    for (const n of [2, 4]) {
      const r = api.sensitivity(SMALL_CSV, { weight_noise: 0.2, n, bootstrap: 5 });
      assert.equal(r.design.n, n);
      assert.ok(r.convergence.every((c) => c.n >= 4 && c.n <= n), 'convergence steps of 4 to N rows');
      assert.equal(r.convergence.length === 0, n < 4);
    }
  });
}

for (const [name, api] of builds) {
  describe(`robustness vectors: ${name}`, () => {
    for (const v of vectorNames) {
      const c = loadVector('cases', v);
      const golden = loadVector('golden', v);
      test(v, () => {
        assert.ok(['uncertainty', 'sensitivity'].includes(c.analysis), c.analysis);
        const [input, options] = vectorCall(c);
        const run = () => api[c.analysis](input, options);
        if (golden.error) {
          const e = thrown(run);
          assert.ok(e instanceof Error && e.name === 'AperturaError', `${v}: an AperturaError`);
          for (const k of ['code', 'factor', 'institution', 'row', 'column', 'value']) {
            assert.equal(e[k], golden.error[k], `${v}: error.${k}`);
            assert.equal(e.errors[0][k], golden.error[k], `${v}: errors[0].${k}`);
          }
          assert.equal(e.errors[0].message, golden.error.message, `${v}: message`);
          for (const [k, x] of Object.entries(c.expect?.error ?? {})) assert.equal(e[k], x, `${v}: expect.error.${k}`);
          return;
        }
        assert.equal(golden.analysis, c.analysis);
        const result = run();
        const { design, design_csv: csv, ...rest } = result;
        assert.ok(design && typeof csv === 'string');
        assertGolden(rest, golden.result, v);
        // Hand-computed expectations, within 1e-12.
        const x = c.expect ?? {};
        for (const k of Object.keys(x)) assert.ok(['factors', 'institutions', 'runs', 'constant_targets', 'indices'].includes(k), `${v}: expect.${k} is checked by this runner`);
        if (x.factors) assert.deepEqual(result.factors.map((f) => f.name), x.factors);
        for (const [id, want] of Object.entries(x.institutions ?? {})) {
          const row = result.institutions.find((r) => r.id === id);
          assert.ok(row, `${v}: institution ${id}`);
          for (const [k, w] of Object.entries(want)) near(row[k], w, `${v}: ${id}.${k}`);
        }
        (x.runs ?? []).forEach((want, k) => {
          for (const [key, w] of Object.entries(want)) near(result.runs[k][key], w, `${v}: runs[${k}].${key}`);
        });
        if (x.constant_targets !== undefined) assert.equal(result.constant.length, x.constant_targets);
        if (x.indices !== undefined) assert.equal(result.indices.length, x.indices);
      });
    }
  });
}

for (const [name, api] of builds) {
  describe(`robustness: ${name}`, () => {
    test('uncertainty of the published 2017 file: 908 intervals, 6 weight factors, R_S per run', () => {
      const ua = api.uncertainty(published, { weight_noise: 0.25, n: 200, seed: 3 });
      assert.equal(ua.edition, 'mga-2017');
      assert.deepEqual(ua.factors.map((f) => f.name), W);
      assert.deepEqual(ua.factors[0], { name: 'w:tg', kind: 'weight_noise', parent: 't', child: 'tg', p: 0.25, alternatives: [] });
      assert.equal(ua.evaluation, 'columns');
      assert.equal(ua.institutions.length, 908);
      assert.equal(ua.runs.length, 200);
      assert.equal(ua.design.n, 200);
      assert.equal(ua.design.values.length, 200 * 6);
      assert.equal(ua.outputs, null);
      assert.deepEqual(ua.groups, []);
      const score = api.score(published);
      // Nominal scores are the scores (recomputed from TG..PC, equal to the published GA
      // within the tolerance the core checks).
      ua.institutions.forEach((x, i) => {
        assert.equal(x.id, score[i].id);
        assert.ok(Math.abs(x.score - score[i].iga) <= 0.0011, x.id);
        assert.ok(x.rank_q05 <= x.rank_median && x.rank_median <= x.rank_q95, x.id);
        assert.ok(x.score_q05 <= x.score_median && x.score_median <= x.score_q95, x.id);
      });
      const inside = ua.institutions.filter((x) => x.rank_q05 <= x.rank && x.rank <= x.rank_q95).length;
      assert.ok(inside > 0.9 * 908, `${inside} nominal ranks inside their 90 % interval`);
      assert.ok(ua.rank_shift.min > 0 && ua.rank_shift.q05 <= ua.rank_shift.median && ua.rank_shift.median <= ua.rank_shift.q95);
      assert.ok(ua.spearman.median > 0.9 && ua.spearman.max <= 1);
      for (const r of ua.runs) {
        // weights after renormalisation: tg + tc = 1 within t
        assert.ok(Math.abs(r.values[0] + r.values[1] - 1) < 1e-12);
      }
    });

    test('zero weight noise gives intervals equal to nominal', () => {
      const ua = api.uncertainty(published, { weight_noise: 0, n: 64 });
      for (const x of ua.institutions) {
        for (const k of ['rank_q05', 'rank_median', 'rank_q95', 'rank_mean']) assert.ok(x[k] === x.rank, `${x.id} ${k} ${x[k]} vs ${x.rank}`);
        for (const k of ['score_q05', 'score_median', 'score_q95', 'score_mean']) assert.ok(x[k] === x.score, `${x.id} ${k}`);
      }
      assert.deepEqual([ua.rank_shift.min, ua.rank_shift.max], [0, 0]);
      assert.ok(ua.national_runs.q05 === ua.national && ua.national_runs.q95 === ua.national);
      // and in a sensitivity run every target is constant: no index at all
      const sa = api.sensitivity(SMALL_CSV, { weight_noise: 0, n: 8, bootstrap: 0 });
      assert.deepEqual(sa.indices, []);
      assert.ok(sa.constant.length > 0);
    });

    test('an exported uncertainty design reruns to the same result, bit for bit', () => {
      const opts = { weight_noise: 0.25, vary_aggregation: { p: ['arithmetic', 'geometric'] }, geometric_zeros: 'shift:1e-6', by: 'jurisdiction' };
      for (const sampler of ['sobol', 'random']) {
        const first = api.uncertainty(published, { ...opts, n: 150, seed: 11, sampler });
        assert.equal(first.design_csv.split('\n')[0], [...W, 'agg:p'].join(','));
        assert.equal(first.design_csv.trim().split('\n').length, 151);
        assert.equal(first.groups.length, 33);
        // n, seed and sampler are ignored when a design is given: its rows are the runs
        const again = api.uncertainty(published, { ...opts, design: first.design_csv, n: 3, seed: 99 });
        assertSame(again, first);
        // the columns may come in any order
        const lines = first.design_csv.trim().split('\n').map((l) => l.split(','));
        const shuffled = lines.map((cells) => [...cells].reverse().join(',')).join('\n');
        assertSame(api.uncertainty(published, { ...opts, design: shuffled }).institutions, first.institutions);
      }
    });

    test('an exported sensitivity design reruns to the same result, bit for bit', () => {
      const opts = { weight_noise: 0.25, bootstrap: 20, targets: 'all', keep_outputs: true };
      const first = api.sensitivity(sample, { ...opts, n: 32, seed: 5 });
      const header = first.design_csv.split('\n')[0].split(',');
      assert.equal(header.length, 2 * first.factors.length);
      assert.ok(header[0].startsWith('A:') && header.at(-1).startsWith('B:'));
      assert.equal(first.runs.length, 32 * (first.factors.length + 2));
      // the seed also drives the bootstrap, so it is given again
      const again = api.sensitivity(sample, { ...opts, design: first.design_csv, seed: 5 });
      assertSame(again, first);
      const other = api.sensitivity(sample, { ...opts, design: first.design_csv, seed: 6 });
      assertSame(other.design, first.design);
      assertSame(other.runs, first.runs);
      assert.notDeepEqual(other.indices, first.indices);
    });

    test('sensitivity of R_S: one index per factor, bootstrap intervals, convergence', () => {
      const sa = api.sensitivity(published, { weight_noise: 0.25, n: 64, bootstrap: 30, targets: ['rank_shift'] });
      assert.deepEqual(sa.indices.map((x) => x.factor), W);
      assert.equal(sa.institutions.length, 908);
      for (const x of sa.indices) {
        assert.equal(x.target, 'rank_shift');
        assert.equal(x.institution, null);
        assert.ok(x.s1_lo <= x.s1_hi && x.st_lo <= x.st_hi);
        assert.equal(typeof x.st_nonzero, 'boolean');
      }
      assert.ok(sa.convergence.length > 0 && sa.convergence.every((c) => c.target === 'rank_shift'));
      assert.equal(sa.outputs, null);
      // targets as text, and no bootstrap: no intervals
      const plain = api.sensitivity(SMALL_CSV, { weight_noise: 0.25, n: 16, bootstrap: 0, targets: 'rank_shift,national' });
      assert.ok(plain.indices.every((x) => x.s1_lo === null && x.s1_nonzero === null));
      assert.deepEqual(plain.convergence, []);
      // small designs work without a bootstrap
      assert.equal(api.sensitivity(SMALL_CSV, { weight_noise: 0.25, n: 4, bootstrap: 0 }).runs.length, 4 * 8);
    });

    test('keep_outputs: scores as a Float64Array and ranks as a Uint32Array, run-major', () => {
      const ua = api.uncertainty(sample, { weight_noise: 0.3, n: 40, keep_outputs: true });
      const m = ua.institutions.length;
      assert.ok(ua.outputs.scores instanceof Float64Array);
      assert.ok(ua.outputs.ranks instanceof Uint32Array);
      assert.equal(ua.outputs.scores.length, 40 * m);
      assert.equal(ua.outputs.ranks.length, 40 * m);
      ua.runs.forEach((r, k) => {
        let shift = 0;
        for (let i = 0; i < m; i++) shift += Math.abs(ua.outputs.ranks[k * m + i] - ua.institutions[i].rank);
        assert.ok(Math.abs(shift / m - r.rank_shift) < 1e-12, `run ${k}`);
      });
      const scores = Array.from({ length: 40 }, (_, r) => ua.outputs.scores[r * m]).sort((a, b) => a - b);
      assert.equal(scores[0], Math.min(...scores));
      assert.ok(ua.institutions[0].score_q05 >= scores[0] && ua.institutions[0].score_q95 <= scores.at(-1));
    });

    test('score settings, weights and an Edition object apply as in score()', () => {
      const ed = api.Edition.load('mga-2017');
      const ua = api.uncertainty(SMALL_CSV, { weight_noise: 0.1, n: 16, edition: ed, weights: { t: 0.8 } });
      // a: T = 0.5, P = 0.2 -> 0.8 * 0.5 + 0.2 * 0.2
      assert.ok(Math.abs(ua.institutions[0].score - 0.44) < 1e-12);
      assert.ok(ua.institutions[0].score === api.score(SMALL_CSV, { weights: { t: 0.8 } })[0].iga);
      ed.free();
      // undefined and null keys take the default
      const d = api.uncertainty(SMALL_CSV, { weight_noise: 0.1, n: 16, top: undefined, by: null });
      assert.equal(d.top, 10);
    });

    test('onProgress is called with (done, total) and can cancel', () => {
      const calls = [];
      const ua = api.uncertainty(published, { weight_noise: 0.25, n: 1000, onProgress: (done, total) => { calls.push([done, total]); } });
      assert.ok(calls.length >= 10, `${calls.length} calls`);
      assert.deepEqual(calls[0], [0, 1000]);
      assert.deepEqual(calls.at(-1), [1000, 1000]);
      for (let k = 1; k < calls.length; k++) assert.ok(calls[k][0] > calls[k - 1][0] && calls[k][1] === 1000);
      // returning false stops the run between chunks
      let seen = 0;
      const e = thrown(() => api.uncertainty(published, { weight_noise: 0.25, n: 1000, onProgress: (done) => { seen = done; return done < 200; } }));
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'AperturaError');
      assert.equal(e.code, 'cancelled');
      assert.match(e.message, /stopped after \d+ of 1000 runs/);
      assert.ok(seen >= 200 && seen < 1000);
      // an exception in onProgress stops the run and is rethrown as is
      const boom = new RangeError('stop here');
      assert.equal(thrown(() => api.sensitivity(SMALL_CSV, { weight_noise: 0.2, n: 64, onProgress: () => { throw boom; } })), boom);
      // sensitivity reports progress over its N (d + 2) runs and then its targets
      // (rank_shift, national, and the score and rank of 2 institutions) on one scale
      const sa = [];
      api.sensitivity(SMALL_CSV, { weight_noise: 0.2, n: 64, bootstrap: 0, onProgress: (d, t) => { sa.push([d, t]); } });
      assert.ok(sa.every(([, t]) => t === 64 * 8 + 2 + 2 * 2), JSON.stringify(sa.slice(-3)));
      assert.deepEqual(sa.at(-1), [64 * 8 + 6, 64 * 8 + 6]);
      // after all that, the module works and gives the same result as before
      const after = api.uncertainty(published, { weight_noise: 0.25, n: 1000 });
      assertSame(after, ua);
    });

    test('both builds give the same result', () => {
      const opts = { weight_noise: 0.25, n: 64, vary_aggregation: { t: ['arithmetic', 'geometric'] }, geometric_zeros: 'zero' };
      const [a, b] = builds.map(([, x]) => x.uncertainty(published, opts));
      assertSame(a, b);
    });

    describe('errors', () => {
      for (const [label, fn, want, message] of ERRORS) {
        test(label, () => {
          const e = thrown(() => fn(api));
          assert.ok(e instanceof Error, 'instanceof Error');
          assert.equal(e.name, 'AperturaError');
          for (const k of FIELDS) assert.ok(k in e, `.${k} present`);
          for (const [k, v] of Object.entries(want)) assert.equal(e[k], v, `.${k} (${e.message})`);
          if (message) assert.match(e.message, message);
          assert.ok(Array.isArray(e.errors) && e.errors.length >= 1);
          for (const k of FIELDS) assert.equal(e.errors[0][k], e[k], `errors[0].${k}`);
          assert.deepEqual(Object.keys(e.errors[0]).sort(), [...FIELDS, 'message'].sort());
          // The module keeps working.
          assert.equal(api.score(SMALL_CSV).length, 2);
          assert.equal(api.uncertainty(SMALL_CSV, { weight_noise: 0.1, n: 8 }).institutions.length, 2);
        });
      }
    });
  });
}
