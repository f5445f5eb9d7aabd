// Browser benchmark (not a test): times the wasm package inside headless Chromium.
//
//   bash wasm/build.sh            # builds wasm/pkg/ and installs wasm/node_modules (playwright-core)
//   node benches/browser/bench.mjs [--quick]
//
// Serves the repository root on 127.0.0.1, opens benches/browser/bench.html (which imports
// wasm/pkg/apertura.js) in Debian's chromium (same launch as the browser test), and times,
// inside the page, scoring 2,043 and 100,000 synthetic item-level institutions (the 17 items
// of mga-2017 in thirds, gates respected, deterministic PRNG) with score(objects),
// scoreColumns(Float64Array columns), score(CSV text) and the Scorer slider path. Prints the
// median of repeats. Target: 2,043 institutions in under 5 ms.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../wasm/www/test/server.mjs';
import { launchBrowser, REPO_ROOT } from '../../wasm/www/test/launch.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const PLAN = quick ? [[2043, 15], [100_000, 3]] : [[2043, 41], [100_000, 9]];
const TARGET = { n: 2043, ms: 5 };

const pkg = path.join(REPO_ROOT, 'wasm', 'pkg', 'apertura.js');
if (!existsSync(pkg)) {
  console.error(`missing ${pkg}: run bash wasm/build.sh first`);
  process.exit(2);
}

// cross-origin isolated, so performance.now() has microsecond rather than 0.1 ms resolution
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
  console.log(`median of repeats (after 2 warm-up runs), times in ms measured with performance.now() inside the page\n`);
  const rows = [];
  for (const [n, repeats] of PLAN) {
    rows.push(...(await page.evaluate(([n, r]) => window.apertureBench.run(n, r), [n, repeats])));
  }
  const fmt = (x, d = 2) => x.toFixed(d);
  const table = [
    ['institutions', 'method', 'median ms', 'min ms', 'max ms', 'µs / inst.', 'repeats', 'mean IGA'],
    ...rows.map((r) => [
      r.n.toLocaleString('en-US'), r.method, fmt(r.median), fmt(r.min), fmt(r.max),
      fmt((r.median * 1000) / r.n, 3), String(r.repeats), r.check === null ? '' : r.check.toFixed(6),
    ]),
  ];
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  const line = (row) => row.map((c, j) => (j === 1 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(table[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.slice(1)) console.log(line(row));
  // the same data through each entry point must give the same mean IGA
  for (const n of new Set(rows.map((r) => r.n))) {
    const checks = rows.filter((r) => r.n === n && r.check !== null).map((r) => r.check);
    if (checks.some((c) => Math.abs(c - checks[0]) > 1e-9)) {
      console.error(`mismatch between methods at n=${n}: ${checks.join(', ')}`);
      status = 1;
    }
  }
  const target = rows.filter((r) => r.n === TARGET.n && /^score/.test(r.method));
  console.log(`\ntarget: ${TARGET.n.toLocaleString('en-US')} institutions in under ${TARGET.ms} ms`);
  for (const r of target) {
    console.log(`  ${r.method}: ${fmt(r.median)} ms ${r.median < TARGET.ms ? 'MET' : 'NOT MET'}`);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
