// The shared test vectors (tests/vectors/): every case through both builds must give the
// Rust core's golden output exactly (=== on every float), and agree with the case's
// hand-computed expectations within 1e-12.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builds, root } from './helpers.mjs';

const dir = path.join(root, 'tests', 'vectors');
const names = fs
  .readdirSync(path.join(dir, 'cases'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const INPUT_CODES = new Set([
  'out_of_range', 'not_a_number', 'not_finite', 'missing_id', 'duplicate_id', 'missing_value', 'mismatch',
  'gate_violation', 'invalid_date', 'unknown_institution', 'malformed', 'invalid_metadata', 'unknown_node',
  'unknown_answer',
]);
const load = (kind, name) => JSON.parse(fs.readFileSync(path.join(dir, kind, `${name}.json`), 'utf8'));

test('there are shared vectors, each with a golden file', () => {
  assert.ok(names.length >= 10, `only ${names.length} cases`);
  for (const n of names) assert.ok(fs.existsSync(path.join(dir, 'golden', `${n}.json`)), `golden/${n}.json`);
});

/** The case's input and options as the JS API takes them. */
function call(c) {
  const input = c.input.csv !== undefined ? c.input.csv : c.input.records;
  const options = { ...(c.options ?? {}), edition: c.edition ?? 'mga-2017' };
  if (c.weights) options.weights = c.weights;
  if (c.requests) options.requests = c.requests;
  if (c.proposals) options.proposals = c.proposals;
  if (c.input.where) options.where = c.input.where;
  return [input, options];
}

/** Exact equality of two score tables: same rows, same keys, every value ===. */
function assertExact(got, want, name) {
  assert.equal(got.length, want.length, `${name}: row count`);
  got.forEach((row, i) => {
    const w = want[i];
    assert.deepEqual(Object.keys(row).sort(), Object.keys(w).sort(), `${name}: keys of row ${i}`);
    for (const k of Object.keys(w)) {
      assert.ok(row[k] === w[k], `${name}: row ${i} (${w.id}) ${k}: got ${row[k]}, golden ${w[k]}`);
    }
  });
}

for (const [buildName, api] of builds) {
  describe(`vectors: ${buildName}`, () => {
    for (const name of names) {
      const c = load('cases', name);
      const golden = load('golden', name);
      test(name, () => {
        const [input, options] = call(c);
        if (golden.error) {
          const e = (() => {
            try {
              api.score(input, options);
            } catch (err) {
              return err;
            }
            assert.fail(`${name}: expected error ${golden.error.code}`);
          })();
          assert.ok(e instanceof Error, 'an Error');
          // The golden error is the first problem: code, message and location.
          const first = e.errors[0];
          for (const k of ['code', 'institution', 'item', 'row', 'column', 'value']) {
            assert.equal(e[k], golden.error[k], `${name}: error.${k}`);
            assert.equal(first[k], golden.error[k], `${name}: errors[0].${k}`);
          }
          // Input problems carry their bare message (the location is in the fields); other
          // errors are the whole message, as the golden writer records them.
          assert.equal(INPUT_CODES.has(first.code) ? first.message : e.message, golden.error.message, `${name}: message`);
          for (const [k, v] of Object.entries(c.expect?.error ?? {})) assert.equal(e[k], v, `${name}: expect.error.${k}`);
          return;
        }
        const rows = api.score(input, options);
        assertExact(rows, golden.scores, name);
        // Hand-computed expectations, within 1e-12.
        for (const [id, want] of Object.entries(c.expect?.scores ?? {})) {
          const row = rows.find((r) => r.id === id);
          assert.ok(row, `${name}: institution ${id}`);
          for (const [k, v] of Object.entries(want)) {
            if (typeof v === 'number' && k !== 'rank') assert.ok(Math.abs(row[k] - v) <= 1e-12, `${name}: ${id}.${k} = ${row[k]}, expected ${v}`);
            else assert.equal(row[k], v, `${name}: ${id}.${k}`);
          }
        }
        // The Scorer (prepare once, evaluate into a buffer) gives the same bits.
        const scorer = new api.Scorer(input, options);
        assertExact(scorer.rows(), golden.scores, `${name} (Scorer)`);
        assert.equal(scorer.length, golden.scores.length);
        scorer.free();
      });
    }
  });
}
