// improve(): the cheapest path of an institution to a target, on both builds. Expected
// values are worked out by hand below (not taken from the engine).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fullBuilds as builds, pkgDir, root, thrown } from './helpers.mjs';

const SAMPLE = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');
const HEADER = SAMPLE.slice(0, SAMPLE.indexOf('\n')).split(',');
const ITEMS = HEADER.slice(5);

/** Every item at 1/3 in the sample's layout, the gates respected: pc.recepcion < 1 closes
 *  pc.activacion, which closes pc.celeridad. */
function thirdsCsv() {
  const v = Object.fromEntries(ITEMS.map((k) => [k, 1 / 3]));
  v['pc.activacion'] = 0;
  v['pc.celeridad'] = 0;
  return `${HEADER.join(',')}\na,Institution a,Federal,Federal,Autónomo,${ITEMS.map((k) => v[k]).join(',')}\n`;
}

/** Property names of `export interface Name {...}` in the declaration: [required, optional]. */
function declared(dts, name) {
  const m = dts.match(new RegExp(`export interface ${name}(?: extends [\\w, ]+)? \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name} declared`);
  const body = m[1].replace(/\/\*\*[\s\S]*?\*\//g, '');
  const req = [];
  const opt = [];
  for (const line of body.split('\n')) {
    const p = line.match(/^\s+(\w+)(\?)?:/);
    if (p) (p[2] ? opt : req).push(p[1]);
  }
  return [req, opt];
}

for (const [name, api] of builds) {
  describe(`improve (${name})`, () => {
    test('a cost on an aggregate prices every item under it: 4 TC steps for T = 0.5', () => {
      // T = (TG + TC) / 2 must rise from 1/3 by 1/6. A TC item weighs 1/8 in T (+1/24 a
      // step): four TC steps at 1. The best TG item, tg.ai, weighs 1/4 (+1/12 a step): two
      // steps at 2. Both cost 4, and nothing costs less (a step gives at most +1/12).
      const x = api.improve(thirdsCsv(), { institution: 'a', target: { kind: 'score', value: 0.5 }, node: 't', costs: [{ node: 'tg', cost_per_step: 2 }] });
      assert.equal(x.cost, 4);
      const steps = x.actions.map((a) => `${a.node}+${a.steps}`).join(' ');
      assert.ok(steps === 'tg.ai+2' || x.actions.every((a) => a.node.startsWith('tc.')), steps);
      assert.equal(x.institution, 'a');
      assert.equal(x.target_node, 't');
      assert.equal(x.required, 0.5);
      assert.equal(x.feasible, true);
      assert.deepEqual(x.target, { kind: 'score', value: 0.5 });
      assert.ok(Math.abs(x.score_before - 1 / 3) < 1e-12 && Math.abs(x.score_after - 0.5) < 1e-12);
      // TG at 3 a step: only the four TC steps cost 4 (tg.ai's two cost 6).
      const u = api.improve(thirdsCsv(), { institution: 'a', target: { kind: 'score', value: 0.5 }, node: 't', costs: [{ node: 'tg', cost_per_step: 3 }] });
      assert.equal(u.cost, 4);
      assert.equal(u.actions.reduce((a, s) => a + s.steps, 0), 4);
      assert.ok(u.actions.every((a) => a.node.startsWith('tc.') && a.cost === a.steps && Math.abs(a.to - (1 + a.steps) / 3) < 1e-12));
      // The same with {node: cost}, and with the text of a costs file.
      for (const costs of [{ tg: 3 }, 'node,cost_per_step\ntg,3\n']) {
        const y = api.improve(thirdsCsv(), { institution: 'a', target: { kind: 'score', value: 0.5 }, node: 't', costs });
        assert.equal(y.cost, 4);
        assert.deepEqual(y.actions, u.actions);
      }
      // TC frozen (Infinity, as the page sends it): tg.ai's two steps at 2, nothing else.
      for (const tc of [Infinity, 'inf']) {
        const z = api.improve(thirdsCsv(), { institution: 'a', target: { kind: 'score', value: 0.5 }, node: 't', costs: [{ node: 'tg', cost_per_step: 2 }, { node: 'tc', cost_per_step: tc }] });
        assert.equal(z.cost, 4);
        assert.deepEqual(z.actions.map((a) => [a.node, a.steps, a.cost]), [['tg.ai', 2, 4]]);
      }
    });

    test('a perspective-level row: TG 0.4 -> 1 in two steps reaches 0.5 exactly', () => {
      // IGA = (0.4 + 0.6 + 0.2 + 0.2) / 4 = 0.35; 0.5 needs +0.6 on the sum. One step gives
      // at most +0.2667 (TG 0.4 -> 2/3). Two steps: TG 0.4 -> 1 is +0.6, TC 0.6 -> 1 +0.4,
      // PG or PC 0.2 -> 2/3 +0.4667, one step each of two at most +0.4: only TG reaches it.
      const x = api.improve('id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\n', { institution: 'a', target: { kind: 'score', value: 0.5 } });
      assert.equal(x.cost, 2);
      assert.equal(x.actions.length, 1);
      const [a] = x.actions;
      assert.deepEqual([a.node, a.from, a.to, a.steps, a.cost], ['tg', 0.4, 1, 2, 2]);
      assert.ok(Math.abs(a.gain - 0.15) < 1e-12 && Math.abs(x.score_after - 0.5) < 1e-12);
      assert.equal(x.score_before, 0.35);
      // Records in, the same answer; step as a number or as text.
      const rec = api.improve([{ id: 'a', tg: 0.4, tc: 0.6, pg: 0.2, pc: 0.2 }], { institution: 'a', target: { kind: 'score', value: 0.5 }, step: 1 / 3 });
      assert.deepEqual(rec, x);
    });

    test('rank, mean and quadrant targets', () => {
      const rows = [
        { id: 'a', tg: 0.4, tc: 0.4, pg: 0.2, pc: 0.2 },
        { id: 'b', tg: 0.7, tc: 0.6, pg: 0.6, pc: 0.6 },
        { id: 'c', tg: 0.4, tc: 0.4, pg: 0.4, pc: 0.4 },
      ];
      // a (0.3) must reach c (0.4): +0.4 on the sum; one step gives at most +0.2667.
      const r = api.improve(rows, { institution: 'a', target: { kind: 'rank', value: 2 } });
      assert.equal(r.cost, 2);
      assert.equal(r.rank_before, 3);
      assert.equal(r.rank_after, 2);
      // The mean (0.3 + 0.625 + 0.4) / 3 = 0.44167: +0.5667 on the sum, two steps at most
      // +0.6 (TG or TC 0.4 -> 1) and one at most +0.2667: cost 2.
      const m = api.improve(rows, { institution: 'a', target: { kind: 'mean' } });
      assert.ok(Math.abs(m.required - 1.325 / 3) < 1e-12);
      assert.equal(m.cost, 2);
      assert.deepEqual(m.target, { kind: 'mean' });
      // Quadrant I: T = (0.4 + 0.4) / 2 must pass 0.5, P stays low: one step (0.4 -> 2/3).
      const q = api.improve(rows, { institution: 'a', target: { kind: 'quadrant', value: 'I' } });
      assert.equal(q.cost, 1);
      assert.deepEqual([q.quadrant_before, q.quadrant_after], ['III', 'I']);
      assert.ok(['tg', 'tc'].includes(q.actions[0].node));
    });

    test('a frontier rises in cost and score; all: one row per institution', () => {
      const id = api.score(SAMPLE)[0].id;
      const f = api.improve(SAMPLE, { institution: id, frontier: true });
      assert.equal(f[0].cost, 0);
      assert.deepEqual(f[0].actions, []);
      for (let k = 1; k < f.length; k += 1) {
        assert.ok(f[k].cost > f[k - 1].cost && f[k].score > f[k - 1].score, `point ${k}`);
        assert.ok(Math.abs(f[k].actions.reduce((a, s) => a + s.cost, 0) - f[k].cost) < 1e-9);
      }
      assert.ok(Math.abs(f.at(-1).score - 1) < 1e-12);
      const all = api.improve(SAMPLE, { target: { kind: 'mean' }, all: true });
      const scores = api.score(SAMPLE);
      assert.deepEqual(all.map((r) => r.institution), scores.map((r) => r.id));
      const mean = scores.reduce((a, r) => a + r.iga, 0) / scores.length;
      for (const r of all) assert.ok(r.feasible && r.score_after >= mean - 1e-9 && (r.cost === 0) === (r.score_before >= mean - 1e-9));
      // An unreachable target is a row: feasible false, its reason, cost null (JSON's infinity).
      const top = api.improve(SAMPLE, { target: { kind: 'score', value: 1.2 }, all: true });
      assert.ok(top.every((r) => r.feasible === false && r.cost === null && r.reason.length > 0));
    });

    test('errors carry stable codes', () => {
      const csv = thirdsCsv();
      const code = (options) => thrown(() => api.improve(csv, options)).code;
      const t = { kind: 'score', value: 0.9 };
      assert.equal(code({ institution: 'nobody', target: t }), 'unknown_institution');
      assert.equal(code({ institution: 'a', target: t, node: 'zz' }), 'unknown_node');
      assert.equal(code({ institution: 'a', target: { kind: 'score', value: 1.5 } }), 'unreachable_target');
      assert.equal(code({ institution: 'a', target: t, costs: { iga: Infinity } }), 'unreachable_target');
      assert.equal(code({ institution: 'a', target: t, costs: [{ node: 'tg', cost_per_step: -1 }] }), 'invalid_cost');
      assert.equal(code({ institution: 'a', target: t, costs: { tg: 'cheap' } }), 'invalid_cost');
      assert.equal(code({ institution: 'a', target: t, costs: 42 }), 'invalid_cost');
      assert.equal(code({ institution: 'a', target: t, costs: { zz: 1 } }), 'unknown_node');
      for (const step of ['0', 2, 'x', '1/0']) assert.equal(code({ institution: 'a', target: t, step }), 'invalid_step', String(step));
      assert.equal(code({ institution: 'a' }), 'invalid_target');
      assert.equal(code({ institution: 'a', target: { kind: 'best' } }), 'invalid_target');
      assert.equal(code({ institution: 'a', target: { kind: 'rank', value: 0 } }), 'invalid_target');
      assert.equal(code({ institution: 'a', target: { kind: 'quadrant', value: 'II' }, node: 't' }), 'invalid_target');
      assert.equal(code({ institution: 'a', target: { kind: 'quadrant', value: 'II' }, frontier: true }), 'invalid_target');
      assert.equal(code({ target: t }), 'invalid_option');
      assert.equal(code({ institution: 'a', target: t, all: true }), 'invalid_option');
      assert.equal(code({ target: t, all: true, frontier: true }), 'invalid_option');
      assert.equal(code({ institution: 'a', target: t, colour: 'red' }), 'invalid_option');
      const e = thrown(() => api.improve(csv, { institution: 'a', target: t, costs: 'node,cost_per_step\ntg,-1\ntc,abc\n' }));
      assert.ok(e instanceof Error && e.name === 'AperturaError');
      assert.deepEqual(e.errors.map((p) => [p.code, p.row, p.column]), [['out_of_range', 1, 'cost_per_step'], ['not_a_number', 2, 'cost_per_step']]);
      const u = thrown(() => api.improve(csv, { institution: 'a', target: { kind: 'score', value: 1.5 } }));
      assert.match(u.message, /1\.5/);
    });
  });
}

test('the declared keys are the keys returned', () => {
  const [, api] = builds[0];
  const dts = fs.readFileSync(path.join(pkgDir, 'apertura_full.d.ts'), 'utf8');
  assert.ok(dts.includes('export function improve(input: Input, options: ImproveOptions & { frontier?: false | null; all?: false | null }): Improvement;'));
  const exact = (name, obj) => {
    const [req, opt] = declared(dts, name);
    for (const k of req) assert.ok(k in obj, `${name}.${k} is returned`);
    for (const k of Object.keys(obj)) assert.ok(req.includes(k) || opt.includes(k), `${name} declares ${k}`);
  };
  const x = api.improve(thirdsCsv(), { institution: 'a', target: { kind: 'score', value: 0.5 } });
  exact('Improvement', x);
  exact('ImproveAction', x.actions[0]);
  const f = api.improve(thirdsCsv(), { institution: 'a', frontier: true });
  exact('FrontierPoint', f[1]);
  exact('Improvement', api.improve(thirdsCsv(), { target: { kind: 'score', value: 1.2 }, all: true })[0]);
});
