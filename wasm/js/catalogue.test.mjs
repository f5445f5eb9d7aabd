// The CKAN catalogue scorer through the JavaScript API, on both builds, with the
// hand-written fixture tests/fixtures/ckan/package_search.json (values worked out by hand
// in tests/tests/catalogue.rs).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fullBuilds as builds, root, thrown } from './helpers.mjs';

const FIXTURE = fs.readFileSync(path.join(root, 'tests', 'fixtures', 'ckan', 'package_search.json'), 'utf8');
// [datasets, machine_readable, open_licence, up_to_date, bulk, open, tg.da] by hand.
const EXPECTED = {
  'ayto-ejemplo': [4, 2, 3, 2, 1, 1, 0.25],
  inegi: [3, 3, 3, 2, 2, 3, 1],
  sfp: [3, 2, 2, 2, 3, 1, 1 / 3],
};
const counts = (o) => [o.datasets, o.machine_readable, o.open_licence, o.up_to_date, o.bulk, o.open, o['tg.da']];

for (const [name, api] of builds) {
  describe(`catalogue: ${name}`, () => {
    test('organizations and datasets of the fixture, by hand', () => {
      const r = api.catalogue(FIXTURE);
      assert.deepEqual(Object.keys(r).sort(), ['datasets', 'organizations', 'reference_date']);
      assert.equal(r.reference_date, '2016-06-30');
      assert.deepEqual(r.organizations.map((o) => o.id), ['ayto-ejemplo', 'inegi', 'sfp']);
      for (const o of r.organizations) assert.deepEqual(counts(o), EXPECTED[o.id], o.id);
      assert.deepEqual(Object.keys(r.organizations[0]), ['id', 'name', 'datasets', 'online', 'free',
        'machine_readable', 'open_licence', 'up_to_date', 'bulk', 'open', 'tg.da']);
      assert.equal(r.datasets.length, 11);
      const d = new Map(r.datasets.map((x) => [x.id, x]));
      assert.equal(d.get('ayto-sin-formato').age_days, 366);
      assert.equal(d.get('ayto-portal').age_days, 365);
      assert.equal(d.get('ayto-portal').up_to_date, true);
      assert.equal(d.get('sin-organizacion').organization, null);
      assert.deepEqual(d.get('inegi-censo').formats, ['XLSX', 'PDF']);
    });

    test('the same from bytes and parsed JSON; options override the rules', () => {
      const base = api.catalogue(FIXTURE);
      assert.deepEqual(api.catalogue(new TextEncoder().encode(FIXTURE)), base);
      assert.deepEqual(api.catalogue(JSON.parse(FIXTURE)), base);
      assert.deepEqual(api.catalogue(JSON.parse(FIXTURE).result.results), base);
      const r = api.catalogue(FIXTURE, { reference_date: '2016-12-31', max_age_days: 200, source: 'x.json' });
      assert.equal(r.reference_date, '2016-12-31');
      assert.deepEqual(r.organizations.map((o) => o.up_to_date), [1, 0, 1]);
      const rules = fs.readFileSync(path.join(root, 'core', 'catalogue', 'ckan.toml'), 'utf8')
        .replace('value = "open_share"', 'value = "points"');
      const ayto = api.catalogue(FIXTURE, { rules }).organizations[0];
      assert.ok(Math.abs(ayto['tg.da'] - 45 / 68) < 1e-15, String(ayto['tg.da']));
    });

    test('errors carry a stable code and the location', () => {
      const bad = FIXTURE.replace('2016-06-30T23:59:59', '30/06/2016');
      const e = thrown(() => api.catalogue(bad, { source: 'export.json' }));
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'AperturaError');
      assert.equal(e.code, 'invalid_date');
      assert.deepEqual([e.row, e.column, e.value, e.institution], [3, 'metadata_modified', '30/06/2016', 'sfp']);
      assert.match(e.message, /export\.json/);
      assert.equal(thrown(() => api.catalogue('{"rows": []}')).code, 'malformed');
      assert.equal(thrown(() => api.catalogue('{oops')).code, 'malformed');
      assert.equal(thrown(() => api.catalogue(42)).code, 'malformed');
      assert.equal(thrown(() => api.catalogue(FIXTURE, { rules: 'x = 1' })).code, 'edition_parse');
      for (const options of [{ reference_date: '31/12/2016' }, { max_age_days: -1 }, { max_age_days: 1.5 },
        { colour: 'red' }, []]) {
        assert.equal(thrown(() => api.catalogue(FIXTURE, options)).code, 'invalid_option', JSON.stringify(options));
      }
    });
  });
}
