// Editions beyond the MGA through the JavaScript API, on both builds: GODI 2015 (the
// entries file as it is, filtered to one year with `where`, answers in words) and the ODB
// 2014 (the datasets file as it is: Implementation z-scores, the index left empty).
// The files are read from ../shared (godi-data/, odb-data/) beside the repository.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builds, root, thrown } from './helpers.mjs';

const shared = process.env.APERTURA_SHARED ?? path.join(root, '..', 'shared');
const GODI = fs.readFileSync(path.join(shared, 'godi-data', 'godi2015_entries_scoring.csv'), 'utf8');
const ODB = fs.readFileSync(path.join(shared, 'odb-data', 'ODB-2014-Datasets-Scored.csv'), 'utf8');
const QUESTIONS = ['exists', 'digital', 'public', 'online', 'free', 'machinereadable', 'bulk', 'openlicense', 'uptodate'];
const DATASETS = ['budget', 'companies', 'elections', 'emissions', 'land', 'legislation', 'map', 'postcodes',
  'procurement', 'spending', 'statistics', 'water', 'weather'];
const yes = Object.fromEntries(QUESTIONS.map((q) => [q, 'Yes']));
const placeRows = (place, answers, datasets = DATASETS) => datasets.map((d) => ({ place, dataset: d, ...answers }));
const byId = (rows) => new Map(rows.map((r) => [r.id, r]));

for (const [name, api] of builds) {
  describe(`instruments: ${name}`, () => {
    test('the new editions are listed and load', () => {
      const ids = api.editions().map((e) => e.id);
      for (const id of ['godi-2013', 'godi-2014', 'godi-2015', 'odb-2014']) {
        assert.ok(ids.includes(id), id);
        const ed = api.Edition.load(id);
        assert.equal(ed.id, id);
        ed.free();
      }
      const ed = api.Edition.load('godi-2015');
      const root = JSON.parse(ed.toJson()).nodes.find((n) => n.id === 'godi');
      assert.deepEqual(root.range, { min: 0, max: 100 });
      ed.free();
    });

    test('GODI 2015: the entries file with where year=2015, Mexico 58.46, rank 13', () => {
      const rows = byId(api.score(GODI, { edition: 'godi-2015', where: ['year=2015'] }));
      assert.equal(rows.size, 122);
      const mx = rows.get('mx');
      assert.equal(mx.godi, 760 / 13);
      assert.equal(mx.rank, 13);
      assert.equal(mx['godi.budget'], 100);
      assert.equal(rows.get('tw').rank, 1);
      // every form of the filter, bytes too, and the Scorer
      for (const where of ['year=2015', { year: 2015 }, { year: '2015' }, ['year=2015', 'place!=zz']]) {
        assert.equal(byId(api.score(GODI, { edition: 'godi-2015', where })).get('mx').rank, 13, JSON.stringify(where));
      }
      const bytes = new TextEncoder().encode(GODI);
      assert.equal(byId(api.score(bytes, { edition: 'godi-2015', where: 'year=2015' })).get('mx').godi, 760 / 13);
      const scorer = new api.Scorer(GODI, { edition: 'godi-2015', where: ['year=2015'] });
      assert.equal(scorer.length, 122);
      assert.equal(scorer.national().godi, api.summary(GODI, { edition: 'godi-2015', where: ['year=2015'] }).at(-1).godi);
      scorer.free();
      const csv = api.scoresToCsv(GODI, { edition: 'godi-2015', where: ['year=2015', 'place=mx'] }).trim().split('\n');
      assert.equal(csv.length, 2);
      assert.match(csv[0], /^id,name,jurisdiction,level,type,godi,godi\.budget,/);
    });

    test('where: errors are located or named', () => {
      const missing = thrown(() => api.score(GODI, { edition: 'godi-2015', where: ['yaer=2015'] }));
      assert.equal(missing.code, 'malformed');
      assert.equal(missing.column, 'yaer');
      for (const where of [['year'], [2015], 42]) {
        assert.equal(thrown(() => api.score(GODI, { edition: 'godi-2015', where })).code, 'invalid_option', JSON.stringify(where));
      }
      assert.equal(thrown(() => api.score(placeRows('a', yes), { edition: 'godi-2015', where: ['year=2015'] })).code, 'invalid_option');
      assert.equal(thrown(() => api.score('[{"place": "a"}]', { edition: 'godi-2015', where: ['year=2015'] })).code, 'invalid_option');
      // the three years at once: 2013 and 2014 datasets that 2015 does not define
      const mixed = thrown(() => api.score(GODI, { edition: 'godi-2015' }));
      assert.equal(mixed.code, 'unknown_node');
      assert.equal(mixed.column, 'dataset');
    });

    test('GODI answers in words: objects, unknown answers, gates on answers, partial', () => {
      const b = placeRows('b', { ...yes, uptodate: 'unsure' });
      const rows = byId(api.score([...placeRows('a', yes), ...b], { edition: 'godi-2015' }));
      assert.equal(rows.get('a').godi, 100);
      assert.equal(rows.get('b').godi, 90); // Unsure scores 0: 10 points less per dataset
      assert.equal(rows.get('b').rank, 2);
      const bad = [...placeRows('a', yes), ...placeRows('b', yes)];
      bad[14] = { ...bad[14], online: 'Maybe' };
      const e = thrown(() => api.score(bad, { edition: 'godi-2015' }));
      assert.equal(e.code, 'unknown_answer');
      assert.deepEqual([e.institution, e.item, e.column, e.value, e.row], ['b', 'godi.companies.online', 'online', 'Maybe', 15]);
      const gate = placeRows('a', yes);
      gate[0] = { ...gate[0], exists: 'No' };
      const g = thrown(() => api.score(gate, { edition: 'godi-2015' }));
      assert.equal(g.code, 'gate_violation');
      assert.equal(api.score(gate, { edition: 'godi-2015', gates: 'apply' })[0].godi, 1200 / 13);
      const short = [...placeRows('a', yes), ...placeRows('c', yes, DATASETS.slice(1))];
      assert.equal(thrown(() => api.score(short, { edition: 'godi-2015' })).institution, 'c');
      const partial = byId(api.score(short, { edition: 'godi-2015', incomplete: 'partial' }));
      assert.equal(partial.get('c').godi, null);
      assert.equal(partial.get('c').rank, 0);
      assert.equal(partial.get('c')['godi.weather'], 100);
      assert.equal(partial.get('a').rank, 1);
      assert.equal(thrown(() => api.score(short, { edition: 'godi-2015', incomplete: 'sometimes' })).code, 'invalid_option');
    });

    test('ODB 2014: the datasets file gives Mexico Implementation 0.95607 and clusters 49/56/52', () => {
      const rows = byId(api.score(ODB, { edition: 'odb-2014' }));
      assert.equal(rows.size, 86);
      const mx = rows.get('MX');
      assert.equal(mx.name, 'Mexico');
      assert.ok(Math.abs(mx['odb.implementation'] - 0.956070108838404) < 1e-12, String(mx['odb.implementation']));
      assert.deepEqual(
        ['innovation', 'social_policy', 'accountability'].map((c) => mx[`odb.implementation.${c}`]),
        [49, 56, 52],
      );
      assert.equal(mx.odb, undefined); // no Readiness or Impact: the index is left empty
      assert.equal(mx.rank, 0);
      assert.ok(rows.has('NA'), 'NA is Namibia');
      const e = thrown(() => api.score(ODB, { edition: 'odb-2014', incomplete: 'error' }));
      assert.equal(e.code, 'missing_value');
      // Readiness and Impact given (z levels) with the clusters: min-max to 0-100
      const comps = ['readiness.government', 'readiness.entrepreneurs', 'readiness.citizens', 'impact.political', 'impact.economic', 'impact.social'];
      const objs = [
        { id: 'x', ...Object.fromEntries(comps.map((c) => [`odb.${c}`, 1])), 'odb.implementation.innovation': 80, 'odb.implementation.social_policy': 80, 'odb.implementation.accountability': 80 },
        { id: 'y', ...Object.fromEntries(comps.map((c) => [`odb.${c}`, -1])), 'odb.implementation.innovation': 10, 'odb.implementation.social_policy': 10, 'odb.implementation.accountability': 10 },
        { id: 'z', ...Object.fromEntries(comps.map((c) => [`odb.${c}`, 0])), 'odb.implementation.innovation': 33.256, 'odb.implementation.social_policy': 33.256, 'odb.implementation.accountability': 33.256 },
      ];
      const s = byId(api.score(objs, { edition: 'odb-2014' }));
      assert.equal(s.get('x').odb, 100);
      assert.equal(s.get('y').odb, 0);
      assert.deepEqual([s.get('x').rank, s.get('z').rank, s.get('y').rank], [1, 2, 3]);
      assert.equal(thrown(() => api.score(objs.slice(0, 1), { edition: 'odb-2014' })).code, 'degenerate_normalization');
    });
  });
}
