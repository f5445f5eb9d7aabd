// compare(old, new, options) through the JavaScript API, on both builds: the hand-computed
// case of tests/tests/compare.rs (a weight change and a rename), crosswalk forms, merges and
// splits, errors with a stable code, significance, the published 2017 file under a variant
// edition, and properties (self-compare zero, antisymmetry, row order, effects adding up).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fullBuilds as builds, root, thrown, publishedPath } from './helpers.mjs';

const OLD = 'id,jurisdiction,tg,tc,pg,pc\na,Jalisco,0.4,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\nc,Colima,0.8,0.6,0.6,0.2\n';
const NEW = 'id,jurisdiction,tg,tc,pg,pc\nd,Colima,0.5,0.5,0.5,0.5\na,Jalisco,0.8,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\n';

function variantToml() {
  let text = fs.readFileSync(path.join(root, 'core', 'editions', 'mga-2017.toml'), 'utf8');
  text = text.replace('id = "mga-2017"', 'id = "mga-2017-variant"');
  for (const [a, b] of [
    ['{ id = "t", weight = 0.5,', '{ id = "t", weight = 0.7,'],
    ['{ id = "p", weight = 0.5,', '{ id = "p", weight = 0.3,'],
    ['{ id = "tg", weight = 0.5,', '{ id = "tg", weight = 0.25,'],
    ['{ id = "tc", weight = 0.5,', '{ id = "tc", weight = 0.75,'],
  ]) {
    assert.ok(text.includes(a), a);
    text = text.replace(a, b);
  }
  return text;
}
const VARIANT = variantToml();
const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

// A tiny deterministic generator (no Math.random: failures must be reproducible).
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
function records(n, seed, prefix = 'i') {
  const r = rng(seed);
  const pick = () => [0, 0.25, 0.5, 1, 1 / 3, r()][Math.floor(r() * 6)];
  return Array.from({ length: n }, (_, k) => ({ id: `${prefix}${k}`, tg: pick(), tc: pick(), pg: pick(), pc: pick() }));
}

for (const [name, api] of builds) {
  describe(`compare: ${name}`, () => {
    const variant = api.Edition.fromToml(VARIANT);

    test('the hand-computed case: a weight change and a rename', () => {
      const c = api.compare(OLD, NEW, { old_edition: 'mga-2017', new_edition: variant, crosswalk: [['c', 'd']], by: 'jurisdiction' });
      assert.equal(c.effects, true);
      assert.equal(c.new_edition, 'mga-2017-variant');
      assert.deepEqual(c.nodes, ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']);
      assert.deepEqual(c.institutions.map((r) => [r.id, r.old_id, r.status]), [['a', 'a', 'both'], ['b', 'b', 'both'], ['d', 'c', 'both']]);
      const [a, , d] = c.institutions;
      close(a.iga_old, 0.35);
      close(a.iga_new, 0.515);
      close(a.iga_data_effect, 0.07);
      close(a.iga_method_effect, 0.095);
      assert.equal(a.iga_data_effect + a.iga_method_effect, a.iga_delta);
      assert.deepEqual([d.rank_old, d.rank_new, d.rank_delta, d.quadrant_old, d.quadrant_new], [2, 3, 1, 'I', 'III']);
      close(d.iga_data_effect, -0.075);
      assert.deepEqual(c.transitions.labels, ['I', 'II', 'III', 'IV', 'none']);
      assert.equal(c.transitions.counts[2][0], 1);
      assert.deepEqual(c.groups.map((g) => g.group), ['Colima', 'Jalisco', 'national']);
      close(c.groups[1].iga_old, (0.35 + 1) / 2);
      const back = new Map(c.backcast.map((r) => [r.id, r]));
      close(back.get('a').iga, 0.445);
      close(back.get('c').iga, 0.575);
    });

    test('crosswalk forms, merges and splits, same method', () => {
      const forms = ['old_id,new_id\nc,d\n', [['c', 'd']], [{ old_id: 'c', new_id: 'd' }]];
      const results = forms.map((crosswalk) => api.compare(OLD, NEW, { crosswalk }));
      for (const r of results) assert.deepEqual(r.institutions, results[0].institutions);
      assert.equal(results[0].effects, false);
      assert.match(results[0].notes[0], /same method/);
      assert.equal(results[0].backcast, null);
      const mk = (pairs) => pairs.map(([id, v]) => ({ id, tg: v, tc: v, pg: v, pc: v }));
      const m = api.compare(mk([['a', 0.2], ['b', 0.4], ['c', 0.6]]), mk([['x', 0.5], ['y', 0.3], ['z', 0.9]]),
        { crosswalk: [['a', 'x'], ['b', 'x'], ['c', 'y'], ['c', 'z']] });
      assert.deepEqual(m.institutions.map((r) => [r.id, r.old_id, r.status, Math.round(r.iga_delta * 1e12) / 1e12]),
        [['x', 'a', 'merged', 0.3], ['x', 'b', 'merged', 0.1], ['y', 'c', 'split', -0.3], ['z', 'c', 'split', 0.3]]);
      assert.deepEqual(m.counts, { both: 0, merged: 2, split: 2, old_only: 0, new_only: 0 });
    });

    test('errors carry a stable code and the crosswalk location', () => {
      let e = thrown(() => api.compare(OLD, NEW, { crosswalk: 'old_id,new_id\nc,d\nzz,d\n' }));
      assert.equal(e.code, 'unknown_institution');
      assert.deepEqual([e.row, e.column, e.value], [2, 'old_id', 'zz']);
      assert.match(e.message, /neither file/);
      e = thrown(() => api.compare(OLD, NEW, { crosswalk: [['c', 'd'], ['d', 'c']] }));
      assert.equal(e.code, 'crosswalk_cycle');
      e = thrown(() => api.compare(OLD, NEW, { crosswalk: 'old_id,new_id\nc,d\nc,d\n' }));
      assert.equal(e.code, 'duplicate_id');
      assert.equal(e.row, 2);
      e = thrown(() => api.compare(OLD, NEW, { crosswalk: [['c', 'd'], ['c', 'a']] }));
      assert.equal(e.code, 'crosswalk_many_to_many');
      e = thrown(() => api.compare(OLD, NEW, { edition: 'mga-2017', old_edition: 'mga-2017' }));
      assert.equal(e.code, 'invalid_option');
      e = thrown(() => api.compare(OLD, NEW, { crosswalk: 42 }));
      assert.equal(e.code, 'invalid_option');
      e = thrown(() => api.compare(OLD, NEW, { old_edition: 'godi-2015', new_edition: 'mga-2017' }));
      assert.ok(e.code, 'an error with a code');
    });

    test('significant: outside both intervals', () => {
      const newer = NEW.replace('d,Colima', 'c,Colima');
      const c = api.compare(OLD, newer, {
        intervals: {
          old: [['a', 1, 2], ['b', 1, 1], ['c', 1, 1.5]],
          new: [{ id: 'a', low: 3, high: 3 }, { id: 'b', rank_q05: 1, rank_q95: 2 }, { id: 'c', low: 2.5, high: 3 }],
        },
      });
      assert.deepEqual(c.institutions.map((r) => [r.id, r.significant]), [['a', false], ['b', false], ['c', true]]);
    });

    test('the published 2017 file against its perspectives under the variant', () => {
      const bso = fs.readFileSync(publishedPath());
      const scored = api.score(bso);
      const perspectives = scored.map((r) => ({ id: r.id, tg: r.tg, tc: r.tc, pg: r.pg, pc: r.pc }));
      const c = api.compare(bso, perspectives, { old_edition: 'mga-2017', new_edition: variant });
      assert.equal(c.institutions.length, 908);
      assert.equal(c.counts.both, 908);
      for (const r of c.institutions) {
        assert.equal(r.iga_data_effect, 0);
        assert.equal(r.iga_method_effect, r.iga_delta);
        close(r.iga_new, 0.7 * (0.25 * r.tg_new + 0.75 * r.tc_new) + 0.3 * (0.5 * r.pg_new + 0.5 * r.pc_new));
      }
    });

    test('properties: self-compare zero, antisymmetry, row order, effects add up', () => {
      for (let seed = 1; seed <= 12; seed++) {
        const x = records(6, seed);
        const y = records(6, seed + 100);
        for (const r of api.compare(x, x).institutions) {
          assert.equal(r.rank_delta, 0);
          for (const n of ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']) assert.equal(r[`${n}_delta`], 0);
        }
        const ab = api.compare(x, y);
        const ba = new Map(api.compare(y, x).institutions.map((r) => [`${r.new_id}|${r.old_id}`, r]));
        for (const r of ab.institutions) {
          const s = ba.get(`${r.old_id}|${r.new_id}`);
          // === (not Object.is): the negation of a zero change is -0.
          assert.ok(s.rank_delta === -r.rank_delta, `${s.rank_delta} ${r.rank_delta}`);
          for (const n of ab.nodes) assert.ok(s[`${n}_delta`] === -r[`${n}_delta`], n);
        }
        const opts = { old_edition: 'mga-2017', new_edition: variant, by: 'jurisdiction' };
        const c = api.compare(x, y, opts);
        const shuffled = api.compare([...x].reverse(), [...y.slice(3), ...y.slice(0, 3)], opts);
        assert.deepEqual(shuffled.institutions, c.institutions);
        assert.deepEqual(shuffled.groups, c.groups);
        assert.deepEqual(shuffled.transitions, c.transitions);
        for (const r of c.institutions) {
          for (const n of c.nodes) assert.equal(r[`${n}_data_effect`] + r[`${n}_method_effect`], r[`${n}_delta`]);
        }
      }
    });
  });
}
