// fichaHtml: the printable ficha from JavaScript, on both builds. Figures are checked
// against the published 2017 file (ASF: GA 0.5054, rank 290 of 908, computed here) and the
// 2017 report's Anexo 2 (Jalisco's IGA 0.45); the layout itself is tested in Rust
// (tests/tests/ficha.rs) and printed to PDF by wasm/www/test/ficha.test.mjs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fullBuilds as builds, publishedPath, roundHalfUp } from './helpers.mjs';

const bytes = fs.readFileSync(publishedPath());
const text = bytes.toString('utf8');
// GA is the 5th column; names (first column) may be quoted and hold commas.
const ga = text.split(/\r?\n/).slice(1).filter(Boolean).map((line) => {
  const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, ''));
  return Number(cells[4]);
});
const asf = 0.5054;
const asfRank = 1 + ga.filter((x) => x > asf).length;

const card = (html, code) => {
  const m = new RegExp(`<div class="code">${code}</div><div class="big">([^<]*)</div>`).exec(html);
  return m && m[1];
};

for (const [name, api] of builds) {
  describe(`fichaHtml (${name})`, () => {
    test('an institution of the published file, Spanish by default', () => {
      const html = api.fichaHtml(bytes, { institution: 'ASF' });
      assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="es">'));
      assert.ok(html.includes('<h1>ASF</h1>'));
      assert.equal(ga.length, 908);
      assert.equal(card(html, 'IGA'), roundHalfUp(asf, 2));
      assert.equal(card(html, 'Lugar nacional'), String(asfRank));
      assert.ok(html.includes(`<div class="caption">de 908</div>`));
      for (const bad of ['http://', 'https://', 'src=', '<script', '<link']) assert.ok(!html.includes(bad), bad);
    });

    test('English, text input and the scoring options', () => {
      const html = api.fichaHtml(text, { institution: 'ASF', lang: 'en', edition: 'mga-2017', quadrant_split: 0.25 });
      assert.ok(html.includes('<html lang="en">') && html.includes('National mean'));
      assert.equal(card(html, 'Quadrant'), 'II', 'T 0.68 and P 0.33 are both above 0.25');
      assert.ok(!html.includes('Media nacional'));
    });

    test('a state ficha: Jalisco (Anexo 2: IGA 0.45)', () => {
      const html = api.fichaHtml(bytes, { state: 'jalisco' });
      assert.ok(html.includes('<h1>Jalisco</h1>'));
      assert.equal(card(html, 'IGA'), '0.45');
    });

    test('strings from the data are escaped', () => {
      const rows = [
        { id: 'x', name: '<img src=x onerror="alert(1)"> & Co', jurisdiction: 'Jalisco', tg: 0.4, tc: 0.6, pg: 0.2, pc: 0.2 },
        { id: 'y', name: 'Otro', jurisdiction: 'Jalisco', tg: 0.9, tc: 0.8, pg: 0.7, pc: 0.6 },
      ];
      for (const options of [{ institution: 'x' }, { state: 'Jalisco' }]) {
        const html = api.fichaHtml(rows, options);
        assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co'));
        assert.ok(!html.includes('<img'));
      }
    });

    test('errors name the value and carry a code', () => {
      const expectError = (options, code, word) => assert.throws(
        () => api.fichaHtml(bytes, options),
        (e) => e instanceof Error && e.code === code && e.message.includes(word),
      );
      expectError({ institution: 'Nowhere-Nobody' }, 'unknown_institution', 'Nowhere-Nobody');
      expectError({ state: 'Atlantis' }, 'unknown_state', 'Atlantis');
      expectError({ institution: 'ASF', lang: 'fr' }, 'invalid_option', 'fr');
      expectError({ institution: 'ASF', state: 'Jalisco' }, 'invalid_option', 'institution');
      expectError({}, 'invalid_option', 'state');
      expectError({ institution: 7 }, 'invalid_option', 'institution');
    });
  });
}
