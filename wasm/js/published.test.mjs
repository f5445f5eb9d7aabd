// The published 2017 file (../shared/mga-data/mga2017_sujetos_obligados_BSO.csv, read as is,
// never copied into the repository): 908 institutions, and national means that round
// (half up) to the published 0.39 (IGA), 0.50 (T) and 0.28 (P).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { builds, publishedPath, roundHalfUp } from './helpers.mjs';

const file = publishedPath();
const bytes = fs.readFileSync(file);
const text = bytes.toString('utf8');

/** Minimal RFC 4180 reader (quoted fields with commas and doubled quotes). */
function parseCsv(src) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

for (const [name, api] of builds) {
  describe(`published 2017 file: ${name}`, () => {
    test('scores 908 institutions, as text and as bytes', () => {
      const rows = api.score(text);
      assert.equal(rows.length, 908);
      assert.equal(api.score(new Uint8Array(bytes)).length, 908);
      const asf = rows.find((r) => r.id === 'ASF');
      assert.equal(asf.iga, 0.5054, 'given values are kept');
      assert.deepEqual([asf.jurisdiction, asf.level, asf.type], ['Federal', 'Federal', 'Legislativo']);
      assert.ok(rows.every((r) => r.rank >= 1 && r.rank <= 908 && typeof r.quadrant === 'string'));
    });

    test('national means round half up to 0.39 / 0.50 / 0.28', () => {
      const national = api.summary(text).at(-1);
      assert.equal(national.group, 'national');
      assert.equal(national.n, 908);
      assert.deepEqual([national.iga, national.t, national.p].map((x) => roundHalfUp(x, 2)), ['0.39', '0.50', '0.28']);
      const sc = new api.Scorer(text);
      assert.equal(sc.length, 908);
      const nat = sc.national();
      assert.deepEqual([nat.iga, nat.t, nat.p].map((x) => roundHalfUp(x, 2)), ['0.39', '0.50', '0.28']);
      for (const k of ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc']) assert.ok(nat[k] === national[k], k);
      // The unweighted mean over institutions.
      const rows = api.score(text);
      const mean = rows.reduce((a, r) => a + r.iga, 0) / rows.length;
      assert.ok(Math.abs(mean - nat.iga) < 1e-12);
      sc.free();
    });

    test('the columnar path reads the same file', () => {
      const rows = api.score(text);
      const [header, ...cells] = parseCsv(text);
      const cols = {};
      header.forEach((h, k) => {
        const col = cells.map((c) => c[k]);
        cols[h] = ['SO', 'edo', 'niv', 'ts'].includes(h) ? col : Float64Array.from(col, Number);
      });
      const out = api.scoreColumns(cols);
      assert.deepEqual(out.ids, rows.map((r) => r.id));
      rows.forEach((r, i) => assert.ok(out.values.iga[i] === r.iga && out.rank[i] === r.rank));
    });
  });
}
