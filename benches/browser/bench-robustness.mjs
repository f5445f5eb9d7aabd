// Browser benchmark of the robustness analyses (not a test): times them inside headless
// Chromium on the published 2017 file.
//
//   bash wasm/build.sh
//   node benches/browser/bench-robustness.mjs [--quick]
//
// Serves the repository root on 127.0.0.1, opens benches/browser/bench.html (which imports
// wasm/pkg/apertura.js) in Debian's chromium, hands it the text of
// ../shared/mga-data/mga2017_sujetos_obligados_BSO.csv (908 institutions) and times, inside
// the page: uncertainty N = 1,000 with +-25 % weight noise (6 factors) on the main thread,
// cold and warm; the same with the three aggregation factors; sensitivity N = 256 of R_S
// with a bootstrap of 50 (2,048 runs); and both through the page's Web Worker
// (wasm/www/robustness-worker.js), end to end. Goal: uncertainty N = 1,000 under 1 s.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../wasm/www/test/server.mjs';
import { launchBrowser, REPO_ROOT } from '../../wasm/www/test/launch.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const REPEATS = quick ? 3 : 7;
const GOAL_MS = 1000;

const pkg = path.join(REPO_ROOT, 'wasm', 'pkg', 'apertura.js');
const bso = path.resolve(REPO_ROOT, '..', 'shared', 'mga-data', 'mga2017_sujetos_obligados_BSO.csv');
for (const f of [pkg, bso]) {
  if (!existsSync(f)) {
    console.error(`missing ${f}${f === pkg ? ': run bash wasm/build.sh first' : ''}`);
    process.exit(2);
  }
}
// decoded as the page decodes a file: UTF-8, bytes that are not UTF-8 replaced
const text = new TextDecoder('utf-8').decode(readFileSync(bso));

const server = await startServer(REPO_ROOT, { isolate: true });
const browser = await launchBrowser();
let status = 0;
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  const rel = path.relative(REPO_ROOT, path.join(here, 'bench.html')).split(path.sep).join('/');
  await page.goto(`${server.url}/${rel}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  const info = await page.evaluate(() => ({ version: window.apertureBench.version, ua: window.apertureBench.userAgent, isolated: window.crossOriginIsolated }));
  console.log(`apertura ${info.version} in ${info.ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? info.ua}${info.isolated ? ' (cross-origin isolated)' : ''}`);
  console.log(`published 2017 file, 908 institutions; median of ${REPEATS} repeats unless marked; times in ms measured with performance.now() inside the page\n`);
  const rows = await page.evaluate(([t, r]) => window.apertureBench.robustness(t, r), [text, REPEATS]);
  const f = (x) => (x === null || x === undefined ? '' : x.toFixed(1));
  const table = [['method', 'median ms', 'min ms', 'max ms', 'repeats', 'check'],
    ...rows.map((x) => [x.method, f(x.median), f(x.min), f(x.max), String(x.repeats), x.check === null ? '' : x.check.toFixed(6)])];
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  const line = (row) => row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(table[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.slice(1)) console.log(line(row));
  // every way of running the same analysis gives the same result
  const ua = rows.filter((x) => x.method.startsWith('uncertainty N=1000,')).map((x) => x.check);
  if (ua.some((c) => c !== ua[0])) {
    console.error(`uncertainty results differ between runs: ${ua.join(', ')}`);
    status = 1;
  }
  console.log(`\ngoal: uncertainty N = 1,000 on the 2017 file under ${GOAL_MS} ms`);
  for (const x of rows.filter((r) => r.method.startsWith('uncertainty N=1000,'))) {
    console.log(`  ${x.method}: ${f(x.median)} ms ${x.median < GOAL_MS ? 'MET' : 'NOT MET'}`);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
