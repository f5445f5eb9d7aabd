// Real-browser test of the apertura web page (wasm/www/) against the built package
// (wasm/pkg/apertura.js): serves the repository root on 127.0.0.1, drives Debian's chromium
// headless through playwright-core, and checks what a person would see.
//
//   node wasm/www/test/browser.test.mjs        (or: node --test wasm/www/test/browser.test.mjs)
//
// Needs: `bash wasm/build.sh` first (builds wasm/pkg/ and installs wasm/node_modules with
// playwright-core); chromium is installed from Debian by install-chromium.sh if missing.
// The published 2017 file is read from ../shared/mga-data/ (next to the repository).
// Screenshots go to test-output/browser/ (gitignored).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launchBrowser, REPO_ROOT } from './launch.mjs';
import { parseCsv, fmt } from '../format.js';

const PKG = path.join(REPO_ROOT, 'wasm', 'pkg', 'apertura.js');
const BSO = path.resolve(REPO_ROOT, '..', 'shared', 'mga-data', 'mga2017_sujetos_obligados_BSO.csv');
const SAMPLE = path.join(REPO_ROOT, 'data', 'samples', 'mga-2017-sample.csv');
const OUT = path.join(REPO_ROOT, 'test-output', 'browser');

const EXPECTED_TESTS = 12;
let completed = 0;
const done = () => { completed += 1; };

// ----------------------------------------------------------------- expectations from the files

function readCsvFile(file) {
  // latin1 keeps every byte (the 2017 file has a few non-UTF-8 bytes in names)
  const records = parseCsv(readFileSync(file, 'latin1'));
  const header = records[0];
  return { header, rows: records.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]]))) };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function bsoExpectations() {
  const { header, rows } = readCsvFile(BSO);
  const n = (r, k) => Number(r[k]);
  const T = rows.map((r) => (n(r, 'TG') + n(r, 'TC')) / 2);
  const P = rows.map((r) => (n(r, 'PG') + n(r, 'PC')) / 2);
  return {
    header,
    rows,
    count: rows.length,
    federal: rows.filter((r) => r.edo === 'Federal').length,
    maxGa: Math.max(...rows.map((r) => n(r, 'GA'))),
    igaT08: mean(T.map((t, i) => 0.8 * t + 0.2 * P[i])),
  };
}

/** The 2017 formulas (S1 Anexo 1) applied by hand to the item-level sample. */
function sampleExpectations() {
  const { rows } = readCsvFile(SAMPLE);
  const v = (r, k) => Number(r[k]);
  const iga = rows.map((r) => {
    const tg = 0.5 * v(r, 'tg.ai') + 0.2 * v(r, 'tg.tr') + 0.2 * v(r, 'tg.tp') + 0.1 * v(r, 'tg.da');
    const tc = (v(r, 'tc.disponibilidad') + v(r, 'tc.claridad') + v(r, 'tc.completitud') + v(r, 'tc.celeridad')) / 4;
    const pg = 0.2 * v(r, 'pg.mecanismos') + 0.1 * v(r, 'pg.actores') + 0.3 * v(r, 'pg.funcionamiento')
      + 0.1 * v(r, 'pg.formato') + 0.3 * v(r, 'pg.seguimiento');
    const pc = 0.2 * v(r, 'pc.metodo') + 0.3 * v(r, 'pc.recepcion') + 0.3 * v(r, 'pc.activacion') + 0.2 * v(r, 'pc.celeridad');
    return ((tg + tc) / 2 + (pg + pc) / 2) / 2;
  });
  return { count: rows.length, national: mean(iga) };
}

// ----------------------------------------------------------------- harness

let server;
let browser;
let page;
const requests = [];
const pageErrors = [];

async function text(sel) {
  return (await page.locator(sel).first().textContent())?.trim();
}

async function loadBso() {
  await page.setInputFiles('input[type=file]', BSO);
  await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent.trim() === '908'
    && document.querySelectorAll('[data-testid=score-row]').length === 908, null, { timeout: 30_000 });
}

async function screenshot(name, opts = {}) {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, ...opts });
  console.log(`# screenshot: ${file}`);
  return file;
}

async function setSlider(node, value) {
  await page.locator(`input[type=range][data-node="${node}"]`).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

describe('apertura web page in headless Chromium', () => {
  before(async () => {
    assert.ok(existsSync(PKG), `the wasm package is not built (${PKG} missing): run bash wasm/build.sh first`);
    assert.ok(existsSync(BSO), `the published 2017 file is missing: ${BSO}`);
    assert.ok(existsSync(SAMPLE), `the shipped sample is missing: ${SAMPLE}`);
    server = await startServer(REPO_ROOT);
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(30_000);
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
    await page.goto(`${server.url}/wasm/www/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    // no silent skip: every test above must have run to its end
    assert.equal(completed, EXPECTED_TESTS, `only ${completed} of ${EXPECTED_TESTS} browser tests completed`);
  });

  it('loads the engine and starts in Spanish with the default edition', async () => {
    assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await text('#status'));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    assert.equal(await page.locator('#edition').inputValue(), 'mga-2017');
    assert.match(await text('.privacy'), /no salen de este equipo/);
    assert.ok((await page.locator('#edition option').count()) >= 1);
    done();
  });

  it('scores the published 2017 file: national IGA 0.39 and 908 rows', async () => {
    const exp = bsoExpectations();
    assert.equal(exp.count, 908);
    await loadBso();
    assert.equal(await text('[data-testid=national-iga]'), '0.39');
    assert.equal(await text('[data-testid=row-count]'), '908');
    assert.equal(await page.locator('[data-testid=score-row]').count(), 908);
    // default order is by rank: the first row is the best institution of the file
    const firstIga = await text('[data-testid=score-row] >> nth=0 >> td.strong');
    assert.equal(firstIga, fmt(exp.maxGa));
    // charts: histogram, T x P scatter with one point per institution and the 2017 quadrant counts
    assert.equal(await page.locator('#chart-scatter circle.pt').count(), 908);
    const quad = await text('#chart-scatter svg');
    for (const [q, n] of [['I', 442], ['II', 145], ['III', 311], ['IV', 10]]) {
      assert.ok(quad.includes(`${q} · n = ${n}`), `quadrant ${q} should count ${n}: ${quad.slice(0, 200)}`);
    }
    assert.ok((await page.locator('#chart-dist rect.bar').count()) > 5);
    assert.equal(await page.locator('#chart-jur g.row').count(), 33);
    assert.equal(await page.locator('#chart-type g.row').count(), 11);
    // a breakdown of the best institution is shown
    assert.ok((await page.locator('#detail-body table.detail tbody tr').count()) >= 1);
    await screenshot('page-2017.png', { fullPage: true });
    await screenshot('page-2017-viewport.png');
    done();
  });

  it('labels the weights that have no effect with perspective-level data', async () => {
    const sliders = page.locator('input[type=range][data-node]');
    assert.ok((await sliders.count()) >= 6);
    for (const node of ['t', 'p', 'tg', 'tc', 'pg', 'pc']) {
      const s = page.locator(`input[type=range][data-node="${node}"]`);
      assert.equal(await s.count(), 1, `slider ${node}`);
      assert.equal(await s.getAttribute('data-noeffect'), null, `${node} has an effect`);
    }
    const item = page.locator('input[type=range][data-node="tg.ai"]');
    assert.equal(await item.count(), 1, 'item sliders are shown too');
    assert.equal(await item.getAttribute('data-noeffect'), 'true');
    assert.match(await text('fieldset[data-parent="tg"]'), /sin efecto con estos datos/);
    done();
  });

  it('rescores everything when a weight slider moves', async () => {
    const exp = bsoExpectations();
    const before = await page.locator('[data-testid=score-row] td.strong').evaluateAll((tds) => tds.slice(0, 20).map((t) => t.textContent));
    await setSlider('t', 0.8);
    await page.waitForFunction(() => document.querySelector('[data-testid=national-iga]').textContent.trim() !== '0.39');
    assert.equal(await text('[data-testid=national-iga]'), fmt(exp.igaT08));
    // the sibling was rescaled so the weights of IGA still sum to 1
    assert.equal(Number(await page.locator('input[type=range][data-node="p"]').inputValue()).toFixed(2), '0.20');
    const afterRows = await page.locator('[data-testid=score-row] td.strong').evaluateAll((tds) => tds.slice(0, 20).map((t) => t.textContent));
    assert.notDeepEqual(afterRows, before, 'the first rows changed');
    assert.equal(await page.locator('[data-testid=score-row]').count(), 908);
    assert.equal(await page.locator('#weights-changed').isVisible(), true);
    await page.click('#reset-weights');
    await page.waitForFunction(() => document.querySelector('[data-testid=national-iga]').textContent.trim() === '0.39');
    assert.equal(await page.locator('#weights-changed').isVisible(), false);
    done();
  });

  it('sorts and filters the scorecard', async () => {
    const exp = bsoExpectations();
    // sort by name, ascending
    await page.click('#scores-head button[data-sort="name"]');
    const names = await page.locator('[data-testid=score-row] th').evaluateAll((th) => th.slice(0, 5).map((t) => t.textContent));
    const sorted = [...names].sort(new Intl.Collator('es', { sensitivity: 'base', numeric: true }).compare);
    assert.deepEqual(names, sorted);
    // back to rank
    await page.click('#scores-head button[data-sort="rank"]');
    const ranks = await page.locator('[data-testid=score-row] td.num:nth-last-child(2)').evaluateAll((td) => td.slice(0, 5).map((t) => Number(t.textContent)));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    // filter by jurisdiction
    await page.selectOption('#f-jur', 'Federal');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=score-row]').length === n, exp.federal);
    assert.equal(await page.locator('[data-testid=score-row]').count(), exp.federal);
    assert.equal(await text('[data-testid=row-count]'), '908', 'row-count is the number scored, not the filtered one');
    await page.selectOption('#f-jur', '');
    await page.fill('#f-text', 'Aguascalientes-Auditoria');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=score-row]').length === 1);
    await page.fill('#f-text', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=score-row]').length === 908);
    done();
  });

  it("shows one institution's breakdown when a row is clicked", async () => {
    const row = page.locator('[data-testid=score-row]').nth(10);
    const id = await row.getAttribute('data-id');
    await row.click();
    assert.equal(await page.locator('#detail-pick').inputValue(), id);
    const items = page.locator('#detail-body table.detail tbody tr');
    assert.ok((await items.count()) >= 1);
    const gains = await page.locator('#detail-body td.gain').allTextContents();
    assert.ok(gains.every((g) => /^\+?\d\.\d\d$/.test(g.trim())), gains.join(','));
    assert.equal(await page.locator('#chart-scatter circle.pt-selected').count(), 1);
    done();
  });

  it('downloads the scores as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 909);
    assert.match(lines[0], /^id,name,jurisdiction,level,type,iga,/);
    done();
  });

  it('switches to English and back', async () => {
    await page.click('button[data-lang="en"]');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await text('#table-h'), 'Scorecard');
    assert.match(await text('.privacy'), /never leaves this machine/);
    assert.equal(await text('[data-testid=national-iga]'), '0.39');
    await screenshot('page-2017-en.png');
    await page.click('button[data-lang="es"]');
    assert.equal(await text('#table-h'), 'Tabla de resultados');
    done();
  });

  it('shows a data error next to its row and column', async () => {
    const raw = readFileSync(BSO, 'latin1').split(/\r?\n/);
    const header = raw[0].split(',');
    const tg = header.indexOf('TG');
    const lines = raw.slice(0, 6).map((l, i) => {
      if (i !== 3) return l; // data row 3 (header not counted)
      const cells = l.split(',');
      cells[tg] = 'abc';
      return cells.join(',');
    });
    await page.setInputFiles('input[type=file]', {
      name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n', 'latin1'),
    });
    const err = page.locator('[data-testid=error]').first();
    await err.waitFor();
    const msg = await err.textContent();
    assert.match(msg, /Fila 3\b/, msg);
    assert.match(msg, /TG/, msg);
    assert.equal(await err.getAttribute('data-row'), '3');
    assert.equal(await err.getAttribute('data-column'), 'TG');
    assert.equal(await err.getAttribute('data-code'), 'not_a_number');
    assert.equal(await text('[data-testid=error] td.bad'), 'abc', 'the offending cell is highlighted');
    assert.equal(await page.locator('#results').isVisible(), false, 'nothing is shown as scored');
    await screenshot('page-error.png');
    done();
  });

  it('loads the shipped sample and scores it', async () => {
    const exp = sampleExpectations();
    await page.click('#sample');
    await page.waitForFunction((n) => document.querySelector('[data-testid=row-count]')?.textContent.trim() === String(n)
      && document.querySelectorAll('[data-testid=score-row]').length === n, exp.count);
    assert.equal(await page.locator('[data-testid=error]').count(), 0);
    assert.equal(await text('[data-testid=national-iga]'), fmt(exp.national));
    // item-level data: every weight has an effect, and an item slider rescores
    assert.equal(await page.locator('input[type=range][data-noeffect]').count(), 0);
    const before = await text('[data-testid=national-iga]');
    const tgBefore = await text('#kpi-nodes [data-node="tg"]');
    await setSlider('tg.ai', 0);
    await page.waitForFunction((t) => document.querySelector('#kpi-nodes [data-node="tg"]').textContent !== t, tgBefore);
    assert.notEqual(await text('#kpi-nodes [data-node="tg"]'), tgBefore);
    await page.click('#reset-weights');
    assert.equal(await text('[data-testid=national-iga]'), before);
    await screenshot('page-sample.png', { fullPage: true });
    done();
  });

  it('loads a file dropped on the page', async () => {
    await page.evaluate(() => {
      const csv = 'id,name,tg,tc,pg,pc\na,Alfa,0.4,0.6,0.2,0.2\nb,Beta,1,1,1,1\n';
      const dt = new DataTransfer();
      dt.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
      const zone = document.querySelector('#dropzone');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent.trim() === '2'
      && document.querySelectorAll('[data-testid=score-row]').length === 2);
    // a: T 0.5, P 0.2 -> 0.35; b: 1 -> national (0.35 + 1) / 2 = 0.675 -> 0.68 (half up)
    assert.equal(await text('[data-testid=national-iga]'), '0.68');
    assert.match(await text('#status'), /dropped\.csv/);
    done();
  });

  it('made no request to any host but the one serving it, and logged no error', async () => {
    assert.ok(requests.length > 5, `requests recorded: ${requests.length}`);
    const foreign = requests.filter((u) => {
      const url = new URL(u);
      if (url.protocol === 'data:') return false;
      const origin = url.protocol === 'blob:' ? new URL(url.pathname).hostname : url.hostname;
      return origin !== '127.0.0.1';
    });
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the .wasm file was fetched from the local server');
    const wasm = server.served.find((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm?.status, 200);
    assert.deepEqual(pageErrors, []);
    done();
  });
});
