// Errors: every failure throws a real Error (AperturaError) with the core's stable code,
// the location of the first problem, and every problem in `.errors`; the module keeps
// working after each one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds, thrown, SMALL_CSV } from './helpers.mjs';

const FIELDS = ['code', 'factor', 'institution', 'item', 'row', 'column', 'value'];
const REQ = { institution: 'a', answered: true, availability: 1, clarity: 1, completeness: 1, filed: '2016-01-29', answered_on: '2016-02-05' };

/** [label, (api) => throws, expected fields (null where unknown)]. */
const CASES = [
  // Input data (apertura::InputErrorKind).
  ['out_of_range', (a) => a.score('id,tg,tc,pg,pc\na,1.5,0,0,0\n'), { code: 'out_of_range', institution: 'a', item: 'tg', row: 1, column: 'tg', value: '1.5' }],
  ['out_of_range (objects, negative)', (a) => a.score([{ id: 'a', tg: -0.5, tc: 0, pg: 0, pc: 0 }]), { code: 'out_of_range', institution: 'a', item: 'tg', row: 1, column: 'tg', value: '-0.5' }],
  ['not_a_number', (a) => a.score('id,tg,tc,pg,pc\na,0,abc,0,0\n'), { code: 'not_a_number', institution: 'a', item: 'tc', row: 1, column: 'tc', value: 'abc' }],
  ['not_a_number (NaN in objects is never "missing")', (a) => a.score([{ id: 'a', tg: 0, tc: NaN, pg: 0, pc: 0 }]), { code: 'not_a_number', institution: 'a', item: 'tc', row: 1, column: 'tc', value: 'NaN' }],
  ['not_a_number (Infinity in objects)', (a) => a.score([{ id: 'a', tg: 0, tc: 0, pg: Infinity, pc: 0 }, { id: 'b', tg: null, tc: 0, pg: 0, pc: 0 }]), { code: 'not_a_number', institution: 'a', item: 'pg', row: 1, column: 'pg', value: 'Infinity' }],
  ['not_finite (Float64Array)', (a) => a.scoreColumns({ id: ['a', 'b'], tg: new Float64Array([0, NaN]), tc: new Float64Array(2), pg: new Float64Array(2), pc: new Float64Array(2) }), { code: 'not_finite', institution: 'b', item: 'tg', row: 2, column: 'tg', value: 'NaN' }],
  ['missing_id', (a) => a.score('id,tg,tc,pg,pc\na,0,0,0,0\n,0,0,0,0\n'), { code: 'missing_id', institution: null, item: null, row: 2, column: null, value: null }],
  ['duplicate_id', (a) => a.score('id,tg,tc,pg,pc\na,0,0,0,0\na,1,1,1,1\n'), { code: 'duplicate_id', institution: 'a', item: null, row: 2, column: null, value: 'a' }],
  ['missing_value', (a) => a.score('id,tg,tc,pg\na,0,0,0\n'), { code: 'missing_value', institution: 'a', item: 'pc.metodo', row: 1, column: null, value: null }],
  ['mismatch', (a) => a.score('id,tg,tg.ai,tg.tr,tg.tp,tg.da,tc,pg,pc\na,0.9,0,0,0,0,0,0,0\n'), { code: 'mismatch', institution: 'a', item: 'tg', row: 1, column: 'tg', value: '0.9' }],
  ['gate_violation', (a) => a.score('id,tg,tc,pc,pg.mecanismos,pg.actores,pg.funcionamiento,pg.formato,pg.seguimiento\na,0,0,0,0,1,0,0,0\n'), { code: 'gate_violation', institution: 'a', item: 'pg.actores', row: 1, column: 'pg.actores', value: '1' }],
  ['invalid_date (answered before filed)', (a) => a.score('id,tg,pg,pc\na,0,0,0\n', { requests: [{ ...REQ, filed: '2016-02-05', answered_on: '2016-01-29' }] }), { code: 'invalid_date', institution: 'a', item: null, row: 1, column: 'answered_on', value: '2016-01-29' }],
  ['unknown_institution (request)', (a) => a.score('id,tg,pg,pc\na,0,0,0\n', { requests: [REQ, { ...REQ, institution: 'zz' }] }), { code: 'unknown_institution', institution: 'zz', item: null, row: 2, column: 'institution', value: 'zz' }],
  ['malformed (field count)', (a) => a.score('id,tg,tc,pg,pc\na,0,0,0\n'), { code: 'malformed', institution: null, item: null, row: 1, column: null, value: 'a,0,0,0' }],
  ['malformed (not an object)', (a) => a.score([{ id: 'a', tg: 0, tc: 0, pg: 0, pc: 0 }, 7]), { code: 'malformed', institution: null, item: null, row: 2, column: null, value: null }],
  ['malformed (input type)', (a) => a.score(42), { code: 'malformed', institution: null, item: null, row: null, column: null, value: null }],
  ['malformed (bad request object)', (a) => a.score('id,tg,pg,pc\na,0,0,0\n', { requests: [REQ, { ...REQ, answerd_on: '2016-02-05' }] }), { code: 'malformed', institution: null, item: null, row: 2, column: 'requests', value: null }],
  ['malformed (bad column type)', (a) => a.scoreColumns({ id: ['a'], tg: 0.5 }), { code: 'malformed', institution: null, item: null, row: null, column: 'tg', value: null }],
  ['malformed (column lengths)', (a) => a.scoreColumns({ id: ['a', 'b'], tg: new Float64Array(1) }), { code: 'malformed', institution: null, item: null, row: null, column: 'tg', value: null }],
  ['invalid_metadata', (a) => a.score('id,edo,tg,tc,pg,pc\na,Atlantis,0,0,0,0\n'), { code: 'invalid_metadata', institution: null, item: null, row: 1, column: 'edo', value: 'Atlantis' }],
  ['unknown_node (long format)', (a) => a.score('id,node,value\na,tg.zz,0.5\n'), { code: 'unknown_node', institution: 'a', item: null, row: 1, column: 'node', value: 'tg.zz' }],
  // Editions (apertura::EditionProblem).
  // TOML: the full module parses it; the base module has no TOML parser.
  ['edition_parse (TOML)', (a) => a.Edition.fromToml("id = 'x'"), { code: 'edition_parse' }, 'full'],
  ['toml_unavailable', (a) => a.Edition.fromToml("id = 'x'"), { code: 'toml_unavailable' }, 'base'],
  ['edition_parse (JSON)', (a) => a.Edition.fromJson('{'), { code: 'edition_parse' }],
  ['unknown_edition', (a) => a.Edition.load('mga-1999'), { code: 'unknown_edition', edition: 'mga-1999' }],
  ['unknown_edition (option)', (a) => a.score(SMALL_CSV, { edition: 'mga-1999' }), { code: 'unknown_edition' }],
  ['weight_sum', (a) => a.Edition.fromJson(mutate(a, (d) => { d.nodes[0].children[0].weight = 0.6; })), { code: 'weight_sum', item: 'iga', edition: 'mga-2017' }],
  ['invalid_weight (edition)', (a) => a.Edition.fromJson(mutate(a, (d) => { d.nodes[0].children[0].weight = -0.5; d.nodes[0].children[1].weight = 1.5; })), { code: 'invalid_weight', item: 't' }],
  ['duplicate_node', (a) => a.Edition.fromJson(mutate(a, (d) => { d.nodes.push({ ...d.nodes[1] }); })), { code: 'duplicate_node', item: 't' }],
  ['unknown_node (edition)', (a) => a.Edition.fromJson(mutate(a, (d) => { d.nodes[0].children[0].id = 'zz'; })), { code: 'unknown_node', item: 'zz' }],
  ['shared_child', (a) => a.Edition.fromJson(mutate(a, (d) => {
    const tc = node(d, 'tc');
    tc.children = [...tc.children.map((c) => ({ ...c, weight: c.weight / 2 })), { ...node(d, 'tg').children[0], weight: 0.5 }];
  })), { code: 'shared_child', item: 'tg.ai' }],
  ['unreachable_node', (a) => a.Edition.fromJson(mutate(a, (d) => { d.nodes.push({ ...node(d, 'tg.ai'), id: 'zz.orphan', code: undefined }); })), { code: 'unreachable_node', item: 'zz.orphan' }],
  ['bad_shape', (a) => a.Edition.fromJson(mutate(a, (d) => { node(d, 'tg').children = []; })), { code: 'bad_shape', item: 'tg' }],
  ['bad_gate', (a) => a.Edition.fromJson(mutate(a, (d) => { d.gates[0].when = 'pg'; })), { code: 'bad_gate' }],
  ['bad_setting', (a) => a.Edition.fromJson(mutate(a, (d) => { d.settings.tc_celeridad.value = 'zzz'; })), { code: 'bad_setting' }],
  // Usage (apertura::Error::Usage).
  ['invalid_option (unknown key)', (a) => a.score(SMALL_CSV, { gate: 'apply' }), { code: 'invalid_option' }],
  ['invalid_option (bad value)', (a) => a.score(SMALL_CSV, { gates: 'sometimes' }), { code: 'invalid_option' }],
  ['invalid_option (NaN value)', (a) => a.score(SMALL_CSV, { consistency_tolerance: NaN }), { code: 'invalid_option' }],
  ['invalid_option (out of range)', (a) => a.score(SMALL_CSV, { quadrant_split: 2 }), { code: 'invalid_option' }],
  ['invalid_option (scorer variant)', (a) => a.score(SMALL_CSV, { tc_celeridad: 'zzz' }), { code: 'invalid_option' }],
  ['invalid_option (options type)', (a) => a.score(SMALL_CSV, 5), { code: 'invalid_option' }],
  ['invalid_option (by outside summary)', (a) => a.score(SMALL_CSV, { by: 'level' }), { code: 'invalid_option' }],
  ['invalid_option (edition type)', (a) => a.score(SMALL_CSV, { edition: 2017 }), { code: 'invalid_option' }],
  ['invalid_option (explain without institution)', (a) => a.explain(SMALL_CSV, {}), { code: 'invalid_option' }],
  ['invalid_weight (above 1)', (a) => a.score(SMALL_CSV, { weights: { tg: 2 } }), { code: 'invalid_weight' }],
  ['invalid_weight (root)', (a) => a.score(SMALL_CSV, { weights: { iga: 0.5 } }), { code: 'invalid_weight' }],
  ['invalid_weight (not a number)', (a) => a.score(SMALL_CSV, { weights: { tg: '0.5' } }), { code: 'invalid_weight' }],
  ['invalid_weight (Scorer.setWeight)', (a) => new a.Scorer(SMALL_CSV).setWeight('tg', NaN), { code: 'invalid_weight' }],
  ['unknown_node (weight)', (a) => a.score(SMALL_CSV, { weights: { zz: 0.5 } }), { code: 'unknown_node' }],
  ['unknown_node (Scorer.setWeight)', (a) => new a.Scorer(SMALL_CSV).setWeight('zz', 0.5), { code: 'unknown_node' }],
  ['unknown_institution (explain)', (a) => a.explain(SMALL_CSV, { institution: 'zz' }), { code: 'unknown_institution' }],
  ['unknown_institution (Scorer.explain)', (a) => new a.Scorer(SMALL_CSV).explain('zz'), { code: 'unknown_institution' }],
  ['no_request_mapping', (a) => a.score('id,tg,pg,pc\na,0,0,0\n', { edition: 'mga-2023', requests: [REQ] }), { code: 'no_request_mapping' }],
];

const node = (d, id) => d.nodes.find((n) => n.id === id);

function mutate(api, f) {
  const d = JSON.parse(api.Edition.load('mga-2017').toJson());
  f(d);
  return JSON.stringify(d);
}

for (const [name, api] of builds) {
  describe(`errors: ${name}`, () => {
    for (const [label, fn, want, only] of CASES) {
      if (only && only !== ('uncertainty' in api ? 'full' : 'base')) continue;
      test(label, () => {
        const e = thrown(() => fn(api));
        assert.ok(e instanceof Error, 'instanceof Error');
        assert.equal(e.name, 'AperturaError');
        assert.equal(typeof e.message, 'string');
        assert.ok(e.message.length > 0);
        assert.equal(typeof e.stack, 'string');
        for (const [k, v] of Object.entries(want)) assert.equal(e[k], v, `.${k}`);
        // Every location field is present (null when unknown), on the error and on each problem.
        for (const k of FIELDS) assert.ok(k in e, `.${k} present`);
        assert.ok(Array.isArray(e.errors) && e.errors.length >= 1);
        for (const p of e.errors) {
          assert.deepEqual(Object.keys(p).sort(), [...FIELDS, 'message'].sort());
          assert.equal(typeof p.message, 'string');
        }
        for (const k of FIELDS) assert.equal(e.errors[0][k], e[k], `errors[0].${k}`);
        // The module keeps working.
        assert.equal(api.score(SMALL_CSV).length, 2);
      });
    }

    test('every problem is listed; the message names the first and the count', () => {
      const e = thrown(() => api.score('id,tg,tc,pg,pc\na,2,0,0,0\nb,0,x,0,0\nc,0,0,0,-1\n'));
      assert.deepEqual(e.errors.map((p) => p.code), ['not_a_number']);
      const e2 = thrown(() => api.score('id,tg,tc,pg,pc\na,2,0,0,0\nb,0,0.5,3,0\nc,0,0,0,-1\n'));
      assert.deepEqual(e2.errors.map((p) => [p.code, p.institution, p.column]), [
        ['out_of_range', 'a', 'tg'],
        ['out_of_range', 'b', 'pg'],
        ['out_of_range', 'c', 'pc'],
      ]);
      assert.match(e2.message, /and 2 more problems/);
      assert.match(e2.message, /out_of_range/);
      assert.equal(e2.code, 'out_of_range');
    });

    test('a usage error names its code in the message', () => {
      const e = thrown(() => api.score(SMALL_CSV, { weights: { zz: 0.5 } }));
      assert.match(e.message, /^unknown_node: /);
      assert.deepEqual(e.errors, [{ code: 'unknown_node', message: e.message.replace('unknown_node: ', ''), factor: null, institution: null, item: null, row: null, column: null, value: null }]);
    });

    test('edition errors carry the edition', () => {
      const e = thrown(() => ('uncertainty' in api ? api.Edition.fromToml("id = 'x'") : api.Edition.fromJson('{"id": "x"}')));
      assert.equal(e.edition, 'x');
      assert.match(e.message, /^edition x: cannot parse/);
    });

    test('thousands of errors in a row leave the module working', () => {
      for (let i = 0; i < 2000; i++) thrown(() => api.score('id,tg,tc,pg,pc\na,1.5,0,0,0\n'));
      assert.equal(api.score(SMALL_CSV)[1].iga, 1);
    });
  });
}
