// The printed ficha: the CLI (so the core renderer) writes the HTML, Debian's chromium
// headless prints it to PDF (Playwright's page.pdf, format A4), poppler checks the page
// count (pdfinfo) and the key figures' text (pdftotext: the name, the IGA, the rank), and
// renders a PNG of each page (pdftoppm) into target/ficha/.
//
//   node wasm/www/test/ficha.test.mjs        (or: node --test wasm/www/test/ficha.test.mjs)
//
// Needs cargo (the CLI is built with `cargo build -p apertura-cli` unless APERTURA_BIN
// names a binary), playwright-core in wasm/node_modules (`bash wasm/build.sh` installs it),
// chromium and poppler-utils (installed from Debian with apt-get when missing, as
// install-chromium.sh does). The published 2017 file is read from ../shared/mga-data/
// (or $APERTURA_SHARED/mga-data). Expected figures are computed here from the CSV files.
// APERTURA_UPDATE_DOCS=1 (or a missing file) copies the example PNG to
// docs/img/ficha-example.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, REPO_ROOT } from './launch.mjs';
import { parseCsv } from '../format.js';

const SHARED = process.env.APERTURA_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
const BSO = path.join(SHARED, 'mga-data', 'mga2017_sujetos_obligados_BSO.csv');
const SAMPLE = path.join(REPO_ROOT, 'data', 'samples', 'mga-2017-sample.csv');
const OUT = path.join(REPO_ROOT, 'target', 'ficha');
const DOC_PNG = path.join(REPO_ROOT, 'docs', 'img', 'ficha-example.png');
/** The synthetic institution whose ficha illustrates the README (below the mean: a path). */
const EXAMPLE = 'syn-000098';

const EXPECTED_TESTS = 6;
let completed = 0;
const done = () => { completed += 1; };

// ----------------------------------------------------------------- tools

const has = (cmd) => {
  try {
    execFileSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** poppler-utils from Debian, when missing (needs root, like install-chromium.sh). */
function ensurePoppler() {
  if (['pdfinfo', 'pdftotext', 'pdftoppm'].every(has)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', 'poppler-utils'], { stdio: 'inherit', env });
  assert.ok(['pdfinfo', 'pdftotext', 'pdftoppm'].every(has), 'poppler-utils installed');
}

/** The CLI: $APERTURA_BIN, else built by cargo (target dir as cargo reports it). */
function cliBinary() {
  if (process.env.APERTURA_BIN) return process.env.APERTURA_BIN;
  execFileSync('cargo', ['build', '-q', '-p', 'apertura-cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20,
  }));
  return path.join(meta.target_directory, 'debug', 'apertura');
}

let bin;
/** Runs `apertura ficha ARGS --out target/ficha/NAME.html`; returns the HTML file. */
function ficha(name, args) {
  const file = path.join(OUT, `${name}.html`);
  execFileSync(bin, ['ficha', ...args, '--out', file], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return file;
}

const pdfPages = (pdf) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
const pdfSize = (pdf) => /^Page size:\s+(.*)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1];
/** The PDF's text in reading order, whitespace collapsed. */
const pdfText = (pdf) => execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ----------------------------------------------------------------- expectations from the files

function readCsvFile(file) {
  // The engine decodes bytes as lossy UTF-8; so does this (the 2017 file has a few bad bytes).
  const records = parseCsv(new TextDecoder('utf-8').decode(readFileSync(file)));
  const header = records[0];
  return records.slice(1).filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

/** Half up to 2 decimals from a 4-decimal published value, in integers. */
const dp2 = (x) => {
  const r = Math.floor((Math.round(Number(x) * 1e4) + 50) / 100);
  return `${Math.floor(r / 100)}.${String(r % 100).padStart(2, '0')}`;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Competition rank: 1 + the number of strictly larger values. */
const rankOf = (all, v) => 1 + all.filter((x) => x > v).length;

/** The 2017 formulas (S1 Anexo 1) applied by hand to an item-level row. */
function igaOfItems(r) {
  const v = (k) => Number(r[k]);
  const tg = 0.5 * v('tg.ai') + 0.2 * v('tg.tr') + 0.2 * v('tg.tp') + 0.1 * v('tg.da');
  const tc = (v('tc.disponibilidad') + v('tc.claridad') + v('tc.completitud') + v('tc.celeridad')) / 4;
  const pg = 0.2 * v('pg.mecanismos') + 0.1 * v('pg.actores') + 0.3 * v('pg.funcionamiento')
    + 0.1 * v('pg.formato') + 0.3 * v('pg.seguimiento');
  const pc = 0.2 * v('pc.metodo') + 0.3 * v('pc.recepcion') + 0.3 * v('pc.activacion') + 0.2 * v('pc.celeridad');
  return ((tg + tc) / 2 + (pg + pc) / 2) / 2;
}

// ----------------------------------------------------------------- harness

let browser;
const external = [];

before(async () => {
  mkdirSync(OUT, { recursive: true });
  ensurePoppler();
  bin = cliBinary();
  browser = await launchBrowser({ viewport: { width: 900, height: 1200 } });
});

after(async () => {
  await browser?.close();
  if (completed !== EXPECTED_TESTS) {
    process.exitCode = 1;
    console.error(`ficha test: ${completed} of ${EXPECTED_TESTS} tests completed`);
  }
});

/**
 * Prints an HTML file to target/ficha/NAME.pdf through chromium (no request may leave the
 * page: every one is recorded and aborted), renders NAME[-k].png and returns the PDF's
 * page count and text.
 */
async function print(name, htmlFile) {
  const page = await browser.context.newPage();
  await page.route('**/*', (route) => {
    external.push(`${name}: ${route.request().url()}`);
    return route.abort();
  });
  await page.setContent(readFileSync(htmlFile, 'utf8'), { waitUntil: 'load' });
  const pdf = path.join(OUT, `${name}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.close();
  const pages = pdfPages(pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', ...(pages === 1 ? ['-singlefile'] : []), pdf, path.join(OUT, name)]);
  const png = path.join(OUT, pages === 1 ? `${name}.png` : `${name}-1.png`);
  assert.ok(existsSync(png) && statSync(png).size > 10_000, `${png} rendered`);
  assert.match(pdfSize(pdf), /\(A4\)/, `${name} is A4`);
  return { pdf, png, pages, text: pdfText(pdf) };
}

// ----------------------------------------------------------------- tests

describe('printed fichas', () => {
  const bso = readCsvFile(BSO);
  const bsoGa = bso.map((r) => Number(r.GA));
  const sample = readCsvFile(SAMPLE);
  const sampleIga = sample.map(igaOfItems);

  it('a published 2017 institution is one A4 page with its name, IGA and rank', async () => {
    const r = bso.find((x) => x.SO === 'ASF');
    const { pages, text } = await print('bso-asf', ficha('bso-asf', [BSO, '--institution', r.SO]));
    assert.equal(pages, 1);
    assert.match(text, /Ficha del sujeto obligado/i);
    assert.ok(text.includes(` ${r.SO} `), 'name');
    assert.ok(text.includes(`${dp2(r.GA)} Índice de Gobierno Abierto`), `IGA ${dp2(r.GA)}`);
    assert.ok(text.includes(`${rankOf(bsoGa, Number(r.GA))} de ${bso.length}`), 'rank');
    assert.ok(text.includes(`Media nacional ${dp2(mean(bsoGa))}`), 'national mean 0.39');
    done();
  });

  it('the lowest published institution, in English, is one page too', async () => {
    const r = bso.reduce((a, b) => (Number(b.GA) < Number(a.GA) ? b : a));
    const { pages, text } = await print('bso-lowest-en', ficha('bso-lowest-en', [BSO, '--institution', r.SO, '--lang', 'en']));
    assert.equal(pages, 1);
    assert.ok(text.includes(r.SO.replace(/\s+/g, ' ')), 'name');
    assert.ok(text.includes(`${dp2(r.GA)} Open Government Index`), `IGA ${dp2(r.GA)}`);
    assert.ok(text.includes(`${rankOf(bsoGa, Number(r.GA))} of ${bso.length}`), 'rank');
    assert.ok(!/Media nacional|Lugar|Cuadrante/.test(text), 'no Spanish label');
    done();
  });

  it('item-level fichas (the best, the worst and the README example) are one page each', async () => {
    const order = sampleIga.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const picks = [order[0], order[order.length - 1], sample.findIndex((r) => r.id === EXAMPLE)];
    for (const i of picks) {
      const r = sample[i];
      const name = `sample-${r.id}`;
      const { pages, text } = await print(name, ficha(name, [SAMPLE, '--institution', r.id]));
      assert.equal(pages, 1, `${r.id}: one page`);
      assert.ok(text.includes(r.name), `${r.id} name`);
      const iga = Math.floor(sampleIga[i] * 100 + 0.5 + 1e-9) / 100;
      assert.ok(text.includes(`${iga.toFixed(2)} Índice de Gobierno Abierto`), `${r.id} IGA ${iga}`);
      assert.ok(text.includes(`${rankOf(sampleIga, sampleIga[i])} de ${sample.length}`), `${r.id} rank`);
      // Every item's row is printed.
      for (const item of ['Acceso a la información', 'Datos abiertos', 'Disponibilidad', 'Seguimiento', 'Activación']) {
        assert.ok(text.includes(item), `${r.id}: ${item}`);
      }
      if (sampleIga[i] < mean(sampleIga)) assert.match(text, /Meta IGA ≥ /, `${r.id}: a path`);
    }
    done();
  });

  it('a state ficha lists its institutions with the state mean', async () => {
    const jal = bso.filter((r) => r.edo === 'Jalisco');
    const { pages, text } = await print('bso-jalisco', ficha('bso-jalisco', [BSO, '--state', 'Jalisco']));
    assert.ok(pages >= 1 && pages <= 3, `${pages} pages`);
    assert.match(text, /Ficha estatal Jalisco/i);
    const m = Math.floor(mean(jal.map((r) => Number(r.GA))) * 100 + 0.5) / 100;
    assert.ok(text.includes(`${m.toFixed(2)} Índice de Gobierno Abierto`), `state IGA ${m}`);
    const best = jal.reduce((a, b) => (Number(b.GA) > Number(a.GA) ? b : a));
    assert.ok(new RegExp(escapeRe(best.SO.replace(/\s+/g, ' '))).test(text), 'best institution listed');
    done();
  });

  it('no ficha asked for anything outside itself', () => {
    assert.deepEqual(external, []);
    done();
  });

  it('the README example image is kept small in docs/img', () => {
    const png = path.join(OUT, `sample-${EXAMPLE}.png`);
    assert.ok(existsSync(png));
    if (process.env.APERTURA_UPDATE_DOCS === '1' || !existsSync(DOC_PNG)) {
      mkdirSync(path.dirname(DOC_PNG), { recursive: true });
      copyFileSync(png, DOC_PNG);
    }
    assert.ok(statSync(DOC_PNG).size < 400_000, 'docs/img/ficha-example.png is small');
    done();
  });
});
