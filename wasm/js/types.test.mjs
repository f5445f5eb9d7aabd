// TypeScript declarations: apertura.d.ts type-checks a usage file with `tsc --strict`
// (including misuse that must be rejected), declares no `any` in the API, and declares
// exactly the keys the functions return at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { nodeApi as api, pkgDir, pkgNodeDir, root } from './helpers.mjs';

const dts = fs.readFileSync(path.join(pkgDir, 'apertura_full.d.ts'), 'utf8');
const tsc = path.join(root, 'wasm', 'node_modules', 'typescript', 'bin', 'tsc');

/** Property names of `export interface Name {...}` in the declaration: [required, optional]. */
function declared(name) {
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

/** Runtime keys of `obj` are exactly the declared ones (optional keys may be absent). */
function exact(name, obj) {
  const [req, opt] = declared(name);
  const keys = Object.keys(obj);
  for (const k of req) assert.ok(keys.includes(k), `${name}.${k} is returned`);
  for (const k of keys) assert.ok(req.includes(k) || opt.includes(k), `${name} declares ${k}`);
}

test('tsc --strict accepts the usage file and rejects the misuse it marks', { timeout: 120000 }, () => {
  const file = path.join(root, 'wasm', 'js', 'types', 'usage.mts');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,esnext.disposable,dom',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', file], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('the API declares no `any` and every function has its types', () => {
  const api = dts.slice(0, dts.indexOf('export type InitInput') > 0 ? dts.indexOf('export type InitInput') : undefined);
  assert.ok(!/\bany\b(?![ -]metadata| column| other)/.test(api.replace(/\/\*\*[\s\S]*?\*\//g, '')), 'no any');
  for (const sig of [
    'export function score(input: Input, options?: ScoreOptions | null): ScoreRow[];',
    'export function summary(input: Input, options?: SummaryOptions | null): SummaryRow[];',
    'export function gaps(input: Input, options?: ScoreOptions | null): Gap[];',
    'export function explain(input: Input, options: ExplainOptions): Explanation;',
    'export function scoresToCsv(input: Input, options?: ScoreOptions | null): string;',
    'export function scoreColumns(columns: ColumnsInput, options?: ScoreOptions | null): ScoreColumns;',
    'export function editions(): EditionSummary[];',
    'export function version(): string;',
    'constructor(input: Input, options?: ScoreOptions | null);',
    'static load(id: string): Edition;',
    'readonly length: number;',
    'export function uncertainty(input: Input, options: UncertaintyOptions): Uncertainty;',
    'export function sensitivity(input: Input, options: SensitivityOptions): Sensitivity;',
  ]) assert.ok(dts.includes(sig), sig);
  // The Node build declares the same API.
  const nodeDts = fs.readFileSync(path.join(pkgNodeDir, 'apertura.d.ts'), 'utf8');
  for (const name of ['ScoreRow', 'ScoreOptions', 'AperturaError', 'Explanation', 'Uncertainty', 'Sensitivity']) assert.ok(nodeDts.includes(`export interface ${name}`), name);
});

test('declared keys are exactly the keys returned', () => {
  const csv = fs.readFileSync(path.join(root, 'data', 'samples', 'mga-2017-sample.csv'), 'utf8');
  exact('EditionSummary', api.editions()[0]);
  const ed = api.Edition.load('mga-2017');
  exact('TreeRow', ed.tree()[0]);
  exact('WeightSlot', ed.weightSlots()[0]);
  const rows = api.score(csv);
  const [rowReq] = declared('ScoreRow');
  for (const k of rowReq) assert.ok(k in rows[0], `ScoreRow.${k}`);
  const s = api.summary(csv);
  const [sumReq] = declared('SummaryRow');
  for (const k of sumReq) assert.ok(k in s.at(-1), `SummaryRow.${k}`);
  for (const k of Object.keys(s.at(-1))) assert.ok(sumReq.includes(k), `SummaryRow declares ${k}`);
  exact('Gap', api.gaps(csv)[0]);
  const x = api.explain(csv, { institution: rows[0].id });
  exact('Explanation', x);
  exact('ItemContribution', x.items[0]);
  exact('ScoreColumns', api.scoreColumns({ tg: new Float64Array([1]), tc: new Float64Array([1]), pg: new Float64Array([1]), pc: new Float64Array([1]), id: ['a'] }));
  let err;
  try {
    api.score('id,tg,tc,pg,pc\na,2,0,0,0\n');
  } catch (e) {
    err = e;
  }
  exact('Problem', err.errors[0]);
  const [errReq] = declared('AperturaError');
  for (const k of errReq) assert.ok(k in err, `AperturaError.${k}`);
  const [optReq, optOpt] = declared('Options');
  assert.deepEqual(optReq, []);
  assert.deepEqual(optOpt.sort(), ['consistency_tolerance', 'display_decimals', 'extra_holidays', 'gates', 'incomplete', 'national_mean',
    'not_applicable', 'on_mismatch', 'participation_channels', 'pc_celeridad', 'quadrant_split', 'tc_celeridad', 'unanswered_request']);
  // Every declared option key is accepted by the core (deny_unknown_fields would reject a stale one).
  // Robustness results: every interface has exactly the keys returned.
  const ua = api.uncertainty(csv, { weight_noise: 0.2, n: 16, by: 'jurisdiction', keep_outputs: true });
  exact('Uncertainty', ua);
  exact('InstitutionInterval', ua.institutions[0]);
  exact('GroupInterval', ua.groups[0]);
  exact('RunRecord', ua.runs[0]);
  exact('Distribution', ua.rank_shift);
  exact('Distribution', ua.spearman);
  exact('Design', ua.design);
  exact('RunOutputs', ua.outputs);
  const sa = api.sensitivity(csv, { weight_noise: 0.2, n: 16, bootstrap: 10 });
  exact('Sensitivity', sa);
  exact('SobolIndex', sa.indices[0]);
  exact('Convergence', sa.convergence[0]);
  exact('SaRun', sa.runs[0]);
  exact('SaDesign', sa.design);
  exact('ConstantTarget', api.sensitivity(csv, { weight_noise: 0, n: 8, bootstrap: 0 }).constant[0]);
  // Factor is a union: its common keys and, per kind, the keys of that kind.
  const kinds = {
    weight_noise: ['parent', 'child', 'p'], dirichlet: ['parent', 'kappa'], weight_set: [], aggregation: ['node'],
    setting: ['setting'], data_noise: ['node', 'd'],
  };
  assert.deepEqual(Object.keys(kinds).sort(), [...dts.matchAll(/\| \{ kind: "(\w+)"/g)].map((m) => m[1]).sort());
  const factors = [
    ...ua.factors,
    ...api.uncertainty(csv, { weight_dirichlet: 10, n: 4, weight_sets: [{ name: 'edition' }, { name: 'equal' }],
      vary_aggregation: { t: ['arithmetic', 'geometric'] }, geometric_zeros: 'zero', vary: { not_applicable: ['zero', 'renormalize'] },
      data_noise: 0.1 }).factors,
  ];
  assert.deepEqual([...new Set(factors.map((f) => f.kind))].sort(), Object.keys(kinds).sort());
  for (const f of factors) assert.deepEqual(Object.keys(f).sort(), ['alternatives', 'kind', 'name', ...kinds[f.kind]].sort(), f.name);
  // Every declared factor and run key is accepted (the core denies unknown fields).
  const [, factorKeys] = declared('FactorOptions');
  assert.deepEqual(factorKeys.sort(), ['data_nodes', 'data_noise', 'geometric_zeros', 'vary', 'vary_aggregation', 'weight_dirichlet',
    'weight_noise', 'weight_parents', 'weight_sets']);
  api.uncertainty(csv, { weight_noise: 0.1, weight_parents: ['t'], data_noise: 0.1, data_nodes: ['tg.ai'], n: 4, seed: 2, sampler: 'random', top: 3, by: 'level', keep_outputs: false, onProgress: () => true });
  api.sensitivity(csv, { weight_noise: 0.1, n: 8, seed: 2, sampler: 'sobol', bootstrap: 2, confidence: 0.9, targets: ['national'], keep_outputs: false });
  const [, common] = declared('RobustnessCallOptions');
  const [, uaOnly] = declared('UncertaintyOptions');
  const [, saOnly] = declared('SensitivityOptions');
  assert.deepEqual(common.sort(), ['design', 'keep_outputs', 'n', 'onProgress', 'sampler', 'seed']);
  assert.deepEqual(uaOnly.sort(), ['by', 'top']);
  assert.deepEqual(saOnly.sort(), ['bootstrap', 'confidence', 'targets']);
  api.score(csv, { gates: 'apply', not_applicable: 'zero', consistency_tolerance: 0.0011, on_mismatch: 'error', quadrant_split: 0.5,
    national_mean: 'institutions', display_decimals: 2, tc_celeridad: 'banded_fifths', pc_celeridad: 'banded_thirds',
    unanswered_request: 'zero', participation_channels: 3, extra_holidays: ['2016-12-12'] });
});
