// The JavaScript API: every function and class of the contract, on both builds.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builds, root, thrown, SMALL_CSV } from './helpers.mjs';

const ITEMS = [
  'tg.ai', 'tg.tr', 'tg.tp', 'tg.da',
  'tc.disponibilidad', 'tc.claridad', 'tc.completitud', 'tc.celeridad',
  'pg.mecanismos', 'pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento',
  'pc.metodo', 'pc.recepcion', 'pc.activacion', 'pc.celeridad',
];
const SAMPLE = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');
const workspaceVersion = fs
  .readFileSync(path.join(root, 'Cargo.toml'), 'utf8')
  .match(/\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/)[1];

/** Item-level objects in thirds, gates respected (deterministic). */
function itemObjects(n) {
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const o = { id: `i${i}`, jurisdiction: i % 2 ? 'Jalisco' : 'Federal' };
    for (const k of ITEMS) o[k] = Math.floor(rnd() * 4) / 3;
    if (o['pg.mecanismos'] === 0) for (const k of ['pg.actores', 'pg.funcionamiento', 'pg.formato', 'pg.seguimiento']) o[k] = 0;
    if (o['pc.metodo'] === 0) for (const k of ['pc.recepcion', 'pc.activacion', 'pc.celeridad']) o[k] = 0;
    if (o['pc.recepcion'] < 1) o['pc.activacion'] = 0;
    if (o['pc.activacion'] === 0) o['pc.celeridad'] = 0;
    return o;
  });
}
const toCsv = (objs) => {
  const keys = Object.keys(objs[0]);
  return [keys.join(','), ...objs.map((o) => keys.map((k) => o[k]).join(','))].join('\n') + '\n';
};
const same = (a, b, msg) => {
  assert.equal(a.length, b.length, msg);
  a.forEach((r, i) => {
    assert.deepEqual(Object.keys(r).sort(), Object.keys(b[i]).sort(), msg);
    for (const k of Object.keys(r)) assert.ok(r[k] === b[i][k], `${msg}: row ${i} ${k}: ${r[k]} vs ${b[i][k]}`);
  });
};

for (const [name, api] of builds) {
  describe(`api: ${name}`, () => {
    test('version() is the workspace version', () => {
      assert.equal(api.version(), workspaceVersion);
    });

    test('editions() lists the shipped editions with their summary', () => {
      const list = api.editions();
      const ids = list.map((e) => e.id);
      assert.deepEqual(ids.slice(0, 4), ['mga-2017', 'mga-2019', 'mga-2021', 'mga-2023']);
      for (const id of ['godi-2013', 'godi-2014', 'godi-2015', 'odb-2014']) assert.ok(ids.includes(id), id);
      for (const e of list) {
        for (const k of ['id', 'items', 'label', 'nodes', 'provenance', 'publication_year', 'status']) assert.ok(k in e, k);
        assert.equal(typeof e.provenance, 'object');
      }
      const e17 = list[0];
      assert.equal(e17.status, 'verified');
      assert.equal(e17.items, 17);
      assert.equal(e17.nodes, 24);
      assert.equal(e17.publication_year, 2017);
      assert.ok(list.slice(1, 4).every((e) => e.status === 'provisional'));
    });

    test('Edition: load, id, tree, weightSlots, toToml/fromToml, toJson/fromJson', () => {
      const e = api.Edition.load('mga-2017');
      assert.equal(e.id, 'mga-2017');
      const tree = e.tree();
      assert.equal(tree.length, 24);
      assert.deepEqual(Object.keys(tree[0]).sort(), ['depth', 'effective_weight', 'id', 'label_en', 'label_es', 'level', 'parent', 'source', 'tag', 'weight']);
      assert.deepEqual([tree[0].id, tree[0].parent, tree[0].level, tree[0].depth], ['iga', null, 'index', 0]);
      assert.deepEqual(tree.slice(0, 7).map((r) => r.id), ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']);
      assert.equal(tree.find((r) => r.id === 'tg.ai').effective_weight, 0.125);
      const slots = e.weightSlots();
      assert.equal(slots.length, 23);
      for (const s of slots) {
        assert.deepEqual(Object.keys(s).sort(), ['child', 'default', 'parent', 'weight']);
        assert.equal(s.weight, s.default);
      }
      const byParent = {};
      for (const s of slots) byParent[s.parent] = (byParent[s.parent] ?? 0) + s.weight;
      for (const sum of Object.values(byParent)) assert.ok(Math.abs(sum - 1) < 1e-12);
      const fromJson = api.Edition.fromJson(e.toJson());
      assert.deepEqual(fromJson.tree(), tree);
      assert.equal(fromJson.toJson(), e.toJson());
      if ('uncertainty' in api) {
        // the full module (and Node's) reads and writes TOML
        const fromToml = api.Edition.fromToml(e.toToml());
        assert.deepEqual(fromToml.tree(), tree);
        assert.ok(e.toToml().includes('id = "mga-2017"'));
        fromToml.free();
      } else {
        // the base module has no TOML parser: a clear error with a stable code
        for (const f of [() => api.Edition.fromToml('id = "x"'), () => e.toToml()]) {
          const err = thrown(f);
          assert.equal(err.name, 'AperturaError');
          assert.equal(err.code, 'toml_unavailable');
          assert.match(err.message, /fromJson/);
        }
      }
      for (const id of ['mga-2019', 'mga-2021', 'mga-2023']) assert.equal(api.Edition.load(id).id, id);
      fromJson.free();
      e.free();
    });

    test('score: CSV text, bytes, objects, {institutions}, long format give the same rows', () => {
      const rows = api.score(SMALL_CSV);
      assert.equal(rows.length, 2);
      assert.deepEqual(
        Object.keys(rows[0]),
        ['id', 'name', 'jurisdiction', 'level', 'type', 'iga', 't', 'p', 'tg', 'tc', 'pg', 'pc', 'rank', 'quadrant'],
        'display order',
      );
      assert.ok(Math.abs(rows[0].iga - 0.35) < 1e-12);
      assert.equal(rows[1].iga, 1);
      assert.deepEqual(rows.map((r) => r.rank), [2, 1]);
      assert.deepEqual(rows.map((r) => r.quadrant), ['III', 'II']);
      assert.deepEqual([rows[0].name, rows[0].jurisdiction, rows[0].level, rows[0].type], ['a', null, null, null]);
      same(api.score(new TextEncoder().encode(SMALL_CSV)), rows, 'Uint8Array');
      const objs = [
        { id: 'a', tg: 0.4, tc: 0.6, pg: 0.2, pc: 0.2 },
        { id: 'b', tg: 1, tc: 1, pg: 1, pc: 1 },
      ];
      same(api.score(objs), rows, 'objects');
      same(api.score({ institutions: objs }), rows, '{institutions}');
      same(api.score(JSON.stringify(objs)), rows, 'JSON text');
      same(api.score(objs.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])))), rows, 'numbers as text');
      const long = 'institution,node,value\n' + objs.flatMap((o) => ['tg', 'tc', 'pg', 'pc'].map((k) => `${o.id},${k},${o[k]}`)).join('\n');
      same(api.score(long), rows, 'long CSV');
      // Missing (null, '', undefined) and not applicable ('NA') cells in objects.
      const na = api.score([{ id: 'x', tg: 1, tc: 1, pg: 'NA', pc: 1 }, { id: 'y', tg: 1, tc: 1, pg: 1, pc: 1, extra: null, e2: undefined }]);
      assert.equal(na[0].pg, 0, 'NA scores 0 by default');
      const renorm = api.score([{ id: 'x', tg: 1, tc: 1, pg: 'NA', pc: 1 }], { not_applicable: 'renormalize' });
      assert.equal(renorm[0].iga, 1);
      assert.ok(!('pg' in renorm[0]), 'a node without any value is not a column');
    });

    test('score: metadata, aliases and the default edition', () => {
      const rows = api.score('SO,edo,niv,ts,GA,T,P,TG,TC,PG,PC\nX,Jalisco,Municipal,Municipio,0.35,0.5,0.2,0.4,0.6,0.2,0.2\n');
      const r = rows[0];
      assert.deepEqual([r.id, r.name, r.jurisdiction, r.level, r.type], ['X', 'X', 'Jalisco', 'Municipal', 'Municipio']);
      same(api.score(SMALL_CSV, { edition: 'mga-2017' }), api.score(SMALL_CSV), 'explicit default edition');
      same(api.score(SMALL_CSV, undefined), api.score(SMALL_CSV), 'undefined options');
      same(api.score(SMALL_CSV, null), api.score(SMALL_CSV), 'null options');
      same(api.score(SMALL_CSV, { gates: undefined }), api.score(SMALL_CSV), 'undefined keys are ignored');
      same(api.score(SMALL_CSV, { edition: null, weights: null, gates: null }), api.score(SMALL_CSV), 'null keys are ignored');
    });

    test('score: an Edition object as options.edition', () => {
      const custom = api.Edition.fromJson(api.Edition.load('mga-2017').toJson());
      same(api.score(SMALL_CSV, { edition: custom }), api.score(SMALL_CSV), 'custom edition');
      const e23 = api.Edition.load('mga-2023');
      const objs = itemObjects(5);
      assert.ok(api.score(SAMPLE, { edition: 'mga-2017' }).length > 0);
      // A freed edition is reported, not used.
      custom.free();
      const e = (() => { try { api.score(SMALL_CSV, { edition: custom }); } catch (x) { return x; } })();
      assert.ok(e instanceof Error);
      assert.equal(typeof objs.length, 'number');
      e23.free();
    });

    test('score: weights are sliders applied in key order; options reach the core', () => {
      const base = api.score(SMALL_CSV)[0];
      const w = api.score(SMALL_CSV, { weights: { tg: 0.8 } })[0];
      assert.ok(Math.abs(w.t - (0.8 * 0.4 + 0.2 * 0.6)) < 1e-12);
      assert.notEqual(w.iga, base.iga);
      // Order matters for sliders of the same parent: the last one set wins exactly.
      const ab = api.score(SMALL_CSV, { weights: { tg: 0.8, tc: 0.5 } })[0];
      const ba = api.score(SMALL_CSV, { weights: { tc: 0.5, tg: 0.8 } })[0];
      assert.ok(Math.abs(ab.t - (0.5 * 0.4 + 0.5 * 0.6)) < 1e-12);
      assert.ok(Math.abs(ba.t - (0.8 * 0.4 + 0.2 * 0.6)) < 1e-12);
      const split = api.score(SMALL_CSV, { quadrant_split: 0.1 });
      assert.deepEqual(split.map((r) => r.quadrant), ['II', 'II']);
      const gated = 'id,tg,tc,pc,pg.mecanismos,pg.actores,pg.funcionamiento,pg.formato,pg.seguimiento\na,0,0,0,0,1,1,1,1\n';
      assert.equal(api.score(gated, { gates: 'apply' })[0].pg, 0);
    });

    test('score: weights as [node, weight] pairs replay a sequence of slider moves bit for bit', () => {
      const csv = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');
      const moves = [['tg.ai', 0.6], ['tg.tr', 0.3], ['tg.ai', 0.45], ['t', 0.7], ['pg.formato', 0.05]];
      const sc = new api.Scorer(csv);
      for (const [node, w] of moves) sc.setWeight(node, w);
      same(api.score(csv, { weights: moves }), sc.rows(), 'pairs in order');
      assert.deepEqual(api.score(csv, { weights: [['t', 0.8]] }), api.score(csv, { weights: { t: 0.8 } }));
      sc.free();
      for (const bad of [[['t']], [[0.5, 't']], ['t', 0.5], 5]) {
        assert.equal(thrown(() => api.score(csv, { weights: bad })).code, 'invalid_weight', JSON.stringify(bad));
      }
    });

    test('score: requests and proposals are scored into items', () => {
      const req = { institution: 'a', answered: true, availability: 1, clarity: 1, completeness: 1, filed: '2016-01-29', answered_on: '2016-02-05', extension: false };
      const r = api.score('id,tg,pg,pc\na,0,0,0\n', { requests: [req] })[0];
      assert.deepEqual([r.tc, r['tc.celeridad'], r.t, r.iga], [1, 1, 0.5, 0.25]);
      const prop = { institution: 'a', channels_found: 3, acknowledged: true, activated: true, sent: '2016-03-01', replied_on: '2016-03-02' };
      const p = api.score('id,tg,tc,pg\na,0,0,0\n', { proposals: [prop] })[0];
      assert.ok(p.pc > 0 && p['pc.metodo'] === 1);
    });

    test('summary: groups, then the national row', () => {
      const s = api.summary(SAMPLE);
      const national = s.at(-1);
      assert.equal(national.group, 'national');
      assert.equal(national.n, api.score(SAMPLE).length);
      for (const k of ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']) {
        assert.equal(typeof national[k], 'number');
        assert.equal(typeof national[`best_${k}`], 'string');
      }
      assert.deepEqual(
        Object.keys(national).sort(),
        ['best_iga', 'best_p', 'best_pc', 'best_pg', 'best_t', 'best_tc', 'best_tg', 'group', 'iga', 'n', 'p', 'pc', 'pg', 't', 'tc', 'tg'],
      );
      const rows = api.score(SAMPLE);
      const mean = rows.reduce((a, r) => a + r.iga, 0) / rows.length;
      assert.ok(Math.abs(national.iga - mean) < 1e-12);
      assert.deepEqual(api.summary(SAMPLE, { by: 'jurisdiction' }), s, 'jurisdiction is the default');
      const byLevel = api.summary(SAMPLE, { by: 'level' });
      const order = ['Federal', 'Estatal', 'Municipal'];
      const levels = byLevel.slice(0, -1).map((g) => g.group);
      assert.deepEqual(levels, order.filter((l) => levels.includes(l)), 'level order');
      const byType = api.summary(SAMPLE, { by: 'type' });
      assert.equal(byType.slice(0, -1).reduce((a, g) => a + g.n, 0), national.n);
    });

    test('gaps: weight x (1 - mean) per item, largest first within each perspective', () => {
      const g = api.gaps(SAMPLE);
      assert.equal(g.length, 17);
      for (const x of g) {
        assert.deepEqual(Object.keys(x).sort(), ['effective_weight', 'gap', 'mean', 'n', 'node', 'parent', 'weight']);
        assert.ok(Math.abs(x.gap - x.weight * (1 - x.mean)) < 1e-15);
      }
      const tg = g.filter((x) => x.parent === 'tg');
      assert.deepEqual(tg.map((x) => x.gap), [...tg.map((x) => x.gap)].sort((a, b) => b - a));
    });

    test('explain: contributions add up to the index', () => {
      const id = api.score(SAMPLE)[3].id;
      const x = api.explain(SAMPLE, { institution: id });
      assert.deepEqual(Object.keys(x).sort(), ['index', 'institution', 'items']);
      assert.equal(x.institution, id);
      assert.equal(x.items.length, 17);
      assert.deepEqual(Object.keys(x.items[0]).sort(), ['contribution', 'effective_weight', 'gain_if_one', 'item', 'parent', 'value', 'weight']);
      const sum = x.items.reduce((a, i) => a + i.contribution, 0);
      assert.ok(Math.abs(sum - x.index) < 1e-12);
      assert.equal(x.index, api.score(SAMPLE).find((r) => r.id === id).iga);
    });

    test('scoresToCsv: the score table at full precision', () => {
      const csv = api.scoresToCsv(SAMPLE);
      const lines = csv.trimEnd().split('\n');
      const rows = api.score(SAMPLE);
      assert.equal(lines.length, rows.length + 1);
      const header = lines[0].split(',');
      assert.deepEqual(header, Object.keys(rows[0]));
      const cells = lines[1].split(',');
      header.forEach((h, k) => {
        const v = rows[0][h];
        if (typeof v === 'number') assert.ok(Number(cells[k]) === v, `${h}`);
      });
      assert.ok(csv.endsWith('\n'));
    });

    test('scoreColumns: Float64Array and text columns give the score rows as columns', () => {
      const objs = itemObjects(300);
      const cols = { id: objs.map((o) => o.id), jurisdiction: objs.map((o) => o.jurisdiction) };
      for (const k of ITEMS) cols[k] = Float64Array.from(objs, (o) => o[k]);
      const out = api.scoreColumns(cols);
      const rows = api.score(objs);
      assert.deepEqual(Object.keys(out).sort(), ['ids', 'nodes', 'quadrant', 'rank', 'values']);
      assert.deepEqual(out.ids, rows.map((r) => r.id));
      assert.deepEqual(out.nodes, Object.keys(rows[0]).slice(5, -2));
      assert.ok(out.rank instanceof Uint32Array);
      assert.deepEqual([...out.rank], rows.map((r) => r.rank));
      assert.deepEqual(out.quadrant, rows.map((r) => r.quadrant));
      for (const n of out.nodes) {
        assert.ok(out.values[n] instanceof Float64Array);
        rows.forEach((r, i) => assert.ok(out.values[n][i] === r[n], `${n}[${i}]`));
      }
      // NaN where unknown; other typed arrays; numbers and nulls in text columns.
      const partial = api.scoreColumns({
        id: ['a', 'b'], tg: [0.5, null], 'tg.ai': ['', 1], 'tg.tr': [null, '0.5'], 'tg.tp': ['', 0], 'tg.da': [undefined, 0],
        tc: new Float32Array([0.5, 1]), pg: ['NA', 0.25], pc: new Float64Array([0, 1]),
      });
      assert.ok(Math.abs(partial.values.tg[1] - 0.6) < 1e-12);
      assert.ok(Number.isNaN(partial.values['tg.ai'][0]));
      assert.equal(partial.values['tg.ai'][1], 1);
      assert.equal(partial.values.pg[0], 0);
      assert.equal(partial.values.tc[0], 0.5);
      // The CSV and column paths agree.
      const fromCsv = api.score(toCsv(objs));
      rows.forEach((r, i) => assert.ok(fromCsv[i].iga === r.iga));
    });

    test('Scorer: re-scores in place as weights change', () => {
      const objs = itemObjects(200);
      const sc = new api.Scorer(objs);
      assert.equal(sc.length, 200);
      same(sc.rows(), api.score(objs), 'initial rows');
      sc.setWeight('tg.ai', 0.7);
      same(sc.rows(), api.score(objs, { weights: { 'tg.ai': 0.7 } }), 'after setWeight');
      const slot = sc.weightSlots().find((s) => s.child === 'tg.ai');
      assert.deepEqual([slot.weight, slot.default], [0.7, 0.5]);
      sc.setWeight('pg', 0.25);
      same(sc.rows(), api.score(objs, { weights: { 'tg.ai': 0.7, pg: 0.25 } }), 'two sliders');
      const csvNow = sc.toCsv();
      assert.equal(csvNow, api.scoresToCsv(objs, { weights: { 'tg.ai': 0.7, pg: 0.25 } }));
      const cols = sc.columns();
      sc.rows().forEach((r, i) => assert.ok(cols.values.iga[i] === r.iga));
      // national(): the national row of the core summary, iga..pc.
      const nat = sc.national();
      const row = sc.summary('jurisdiction').at(-1);
      assert.deepEqual(Object.keys(nat), ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']);
      for (const k of Object.keys(nat)) assert.ok(nat[k] === row[k], k);
      assert.deepEqual(sc.summary('level'), api.summary(objs, { by: 'level', weights: { 'tg.ai': 0.7, pg: 0.25 } }));
      assert.deepEqual(sc.summary(), sc.summary('jurisdiction'));
      assert.deepEqual(sc.explain('i3'), api.explain(objs, { institution: 'i3', weights: { 'tg.ai': 0.7, pg: 0.25 } }));
      sc.resetWeights();
      same(sc.rows(), api.score(objs), 'after resetWeights');
      assert.ok(sc.weightSlots().every((s) => s.weight === s.default));
      sc.free();
    });

    test('Scorer: a failed setWeight changes nothing', () => {
      // tg given together with its items: consistent with the edition's weights only.
      const csv = 'id,tg,tg.ai,tg.tr,tg.tp,tg.da,tc,pg,pc\na,0.5,1,0,0,0,0.5,0.5,0.5\n';
      const sc = new api.Scorer(csv);
      const before = sc.rows();
      const slots = sc.weightSlots();
      const e = (() => { try { sc.setWeight('tg.ai', 0.9); } catch (x) { return x; } })();
      assert.ok(e instanceof Error);
      assert.equal(e.code, 'mismatch');
      assert.deepEqual(sc.rows(), before);
      assert.deepEqual(sc.weightSlots(), slots);
      const e2 = (() => { try { sc.setWeight('tg.ai', 1.5); } catch (x) { return x; } })();
      assert.equal(e2.code, 'invalid_weight');
      assert.deepEqual(sc.rows(), before);
      sc.free();
    });

    test('Scorer: takes every input form and the options of score', () => {
      same(new api.Scorer(SMALL_CSV, { weights: { tg: 0.8 } }).rows(), api.score(SMALL_CSV, { weights: { tg: 0.8 } }), 'csv + weights');
      same(new api.Scorer(new TextEncoder().encode(SAMPLE)).rows(), api.score(SAMPLE), 'bytes');
      const e = api.Edition.load('mga-2017');
      same(new api.Scorer(SAMPLE, { edition: e, gates: 'apply' }).rows(), api.score(SAMPLE), 'edition object');
    });
  });
}
