// The fast boundary (wasm/src/glue.js): arrays of plain objects cross as typed arrays, and
// `score`'s rows are built in JavaScript from typed arrays. References: the core's own
// JSON reader (the same objects as JSON text) and the core's own row writer
// (`io::scores_to_json_string`, exposed for tests as `__scoresJsonForTesting`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builds, root, thrown } from './helpers.mjs';

const sample = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');

/** The sample as objects: numbers where the text is a number, strings otherwise. */
function sampleObjects() {
  const [head, ...lines] = sample.trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(keys.map((k, j) => {
      const c = cells[j];
      return [k, c !== '' && Number.isFinite(Number(c)) && j >= 5 ? Number(c) : c];
    }));
  });
}

/** The same error (code, message and location of every problem), or both succeed alike. */
function sameOutcome(api, a, b, options) {
  let ra, rb, ea, eb;
  try { ra = api.score(a, options); } catch (e) { ea = e; }
  try { rb = api.score(b, options); } catch (e) { eb = e; }
  if (ea || eb) {
    assert.ok(ea && eb, `one path failed: ${(ea ?? eb).message}`);
    assert.equal(ea.message, eb.message);
    assert.deepEqual(ea.errors, eb.errors);
    return ea;
  }
  assert.deepEqual(ra, rb);
  ra.forEach((r, i) => assert.deepEqual(Object.keys(r), Object.keys(rb[i])));
  return ra;
}

for (const [name, api] of builds) {
  test(`${name}: score rows equal the core's JSON rows, keys in order, bits equal`, () => {
    for (const [input, options] of [
      [sample, {}],
      [sample, { edition: 'mga-2017', weights: { tg: 0.7 } }],
      [sampleObjects(), { gates: 'apply' }],
    ]) {
      const rows = api.score(input, options);
      const core = JSON.parse(api.__scoresJsonForTesting(input, options));
      assert.equal(rows.length, 99);
      assert.deepEqual(rows, core);
      rows.forEach((r, i) => {
        assert.deepEqual(Object.keys(r), Object.keys(core[i]));
        for (const k of Object.keys(r)) assert.ok(Object.is(r[k], core[i][k]), k);
      });
    }
  });

  test(`${name}: objects read as the core reads the same JSON text`, () => {
    const objs = sampleObjects();
    sameOutcome(api, objs, JSON.stringify(objs));
    // null, "NA", numbers as text, -0, booleans among metadata, extra metadata columns
    const mixed = objs.slice(0, 20).map((o, i) => ({
      ...o,
      'tg.ai': [null, 'NA', '0.5', -0, o['tg.ai']][i % 5],
      'tc.claridad': i % 3 === 0 ? ' 1 ' : o['tc.claridad'],
      sector: i % 2 === 0 ? true : 'salud',
    }));
    sameOutcome(api, mixed, JSON.stringify(mixed), { incomplete: 'partial' });
    // keys in another order than sorted, accents and astral characters in keys and values
    const odd = objs.slice(0, 10).map((o) => ({ 'zona 𝔸': 'Ñ𝔸', ...o, 'área': 'x' }));
    sameOutcome(api, odd, JSON.stringify(odd));
  });

  test(`${name}: bad values in objects fail as in JSON text (not finite, wrong type, out of range)`, () => {
    const objs = sampleObjects().slice(0, 5);
    for (const bad of [NaN, Infinity, -Infinity, 1.5, 'abc', true]) {
      const rows = objs.map((o, i) => (i === 2 ? { ...o, 'tg.tr': bad } : o));
      const e = thrown(() => api.score(rows));
      assert.equal(e.name, 'AperturaError');
      assert.equal(e.row, 3);
      assert.equal(e.column, 'tg.tr');
      assert.equal(e.institution, objs[2].id);
      if (!Number.isNaN(bad) && Math.abs(bad) !== Infinity) {
        // JSON text has no NaN or infinities; the other values fail the same way there
        sameOutcome(api, rows, JSON.stringify(rows));
      } else {
        assert.ok(['not_a_number', 'not_finite'].includes(e.code), e.code);
      }
    }
  });

  test(`${name}: bad values fail on the fast path exactly as on the general path`, () => {
    const objs = sampleObjects().slice(0, 8);
    // Reversing the keys of one object sends the array down the general path (the key
    // order of an object does not matter to the core's records reader), so these compare
    // the packed path with JSON.stringify and the objects walked, NaN and infinities too.
    const general = (rows) => rows.map((o, i) => (i === 0 ? Object.fromEntries(Object.entries(o).reverse()) : o));
    const at = (k, v) => objs.map((o, i) => (i === 3 ? { ...o, [k]: v } : o));
    for (const [k, v] of [
      ['tg.tr', NaN], ['tg.tr', Infinity], ['tg.tr', -Infinity], ['tg.tr', 1.5], ['tg.tr', -0.25],
      ['tg.tr', 'abc'], ['tg.tr', true], ['tg.tr', ''], ['tg.tr', 'NA'], ['tg.tr', ' 0.5 '],
      ['id', objs[2].id], ['id', ''], ['id', NaN], ['jurisdiction', 'Atlantis'], ['jurisdiction', 'oaxaca'],
      ['level', 'galactic'], ['level', 'Estatal'], ['type', 'Otro tipo'], ['name', 'Ñandú 𝔸'], ['name', null],
    ]) {
      const rows = at(k, v);
      const e = sameOutcome(api, rows, general(rows), { incomplete: 'partial' });
      if (e instanceof Error) {
        assert.equal(e.name, 'AperturaError');
        assert.equal(typeof e.code, 'string');
      }
    }
  });

  test(`${name}: strings cross exactly (astral, accents, U+FFFD, lone surrogates)`, () => {
    const objs = sampleObjects().slice(0, 12);
    const named = objs.map((o, i) => ({
      ...o,
      id: ['a𝔸b', 'Ñandú', 'x\uFFFDy', '日本', ' pad '][i % 5] + i,
      name: i % 2 ? `Institución 𝔸 ${i}` : '',
      'zona 𝔸': 'Ñ𝔸',
    }));
    const rows = sameOutcome(api, named, JSON.stringify(named));
    assert.deepEqual(rows, JSON.parse(api.__scoresJsonForTesting(named)));
    assert.equal(rows[2].id, 'x\uFFFDy2');
    // A lone surrogate fails as in JSON text; two halves of one pair in two cells too.
    for (const [k, v] of [['id', 'a\uD800b'], ['sector', '\uDC00']]) {
      const bad = objs.map((o, i) => (i === 1 ? { ...o, [k]: v } : { ...o, [k]: o[k] ?? 's' }));
      const e = thrown(() => api.score(bad));
      assert.equal(e.code, 'malformed');
    }
    const split = objs.map((o, i) => ({ ...o, p1: i === 1 ? 'a\uD83D' : 'a', p2: i === 1 ? '\uDE00b' : 'b' }));
    assert.equal(thrown(() => api.score(split)).code, 'malformed');
  });

  test(`${name}: many distinct types, names equal to ids or not: rows as the core writes them`, () => {
    const objs = sampleObjects();
    for (const rows of [
      objs.map((o, i) => ({ ...o, type: `Tipo ${i % 60}`, level: ['federal', 'estatal', 'municipal', ''][i % 4] })),
      objs.map((o) => ({ ...o, name: o.id })),
      objs.map((o, i) => ({ ...o, name: i === 50 ? 'otro' : o.id })),
    ]) {
      const out = api.score(rows);
      assert.deepEqual(out, JSON.parse(api.__scoresJsonForTesting(rows)));
    }
  });

  test(`${name}: objects outside the plain case take the general path`, () => {
    const objs = sampleObjects().slice(0, 6);
    // differing key orders, a missing key, undefined values, nested values, toJSON
    const shuffled = objs.map((o, i) => (i % 2 ? Object.fromEntries(Object.entries(o).reverse()) : o));
    sameOutcome(api, shuffled, JSON.stringify(shuffled));
    const missing = objs.map((o, i) => {
      const c = { ...o };
      if (i === 1) delete c['pc.celeridad'];
      return c;
    });
    sameOutcome(api, missing, JSON.stringify(missing), { incomplete: 'partial' });
    const undef = objs.map((o, i) => (i === 1 ? { ...o, 'tg.ai': undefined } : o));
    sameOutcome(api, undef, JSON.stringify(undef), { incomplete: 'partial' });
    const nested = objs.map((o, i) => (i === 1 ? { ...o, extra: { a: 1 } } : o));
    sameOutcome(api, nested, JSON.stringify(nested));
    const withToJson = objs.map((o, i) => (i === 1 ? { ...o, toJSON: () => ({ ...o, 'tg.ai': 0 }) } : o));
    const rows = api.score(withToJson);
    assert.equal(rows[1]['tg.ai'], 0);
    // the data given are never modified
    assert.deepEqual(objs, sampleObjects().slice(0, 6));
  });
}

test('rows are the same where a Content Security Policy forbids new Function', () => {
  const original = globalThis.Function;
  const csv = 'id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\nb,1,1,1,1\n';
  try {
    globalThis.Function = function () {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    for (const [, api] of builds) {
      // an edition whose rows no earlier call built (builders are cached by node list)
      const rows = api.score(csv, { edition: 'mga-2019' });
      assert.deepEqual(rows, JSON.parse(api.__scoresJsonForTesting(csv, { edition: 'mga-2019' })));
      // objects of a key list no earlier call packed (packers are cached by key list)
      const objects = [{ id: 'a', tg: 0.4, tc: 0.6, pg: 0.2, pc: 0.2, csp: 'x' }, { id: 'b', tg: 1, tc: 1, pg: 1, pc: 1, csp: 'y' }];
      assert.deepEqual(api.score(objects, { edition: 'mga-2019' }), rows);
      const bad = [objects[0], { ...objects[1], tg: NaN }];
      assert.equal(thrown(() => api.score(bad, { edition: 'mga-2019' })).code, 'not_a_number');
    }
  } finally {
    globalThis.Function = original;
  }
});
