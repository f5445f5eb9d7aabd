// Launches Debian's chromium headless through playwright-core (never a downloaded browser),
// with a fresh profile directory. Shared by the browser test and benches/browser/bench.mjs.
// playwright-core comes from wasm/node_modules (installed by wasm/build.sh from
// wasm/package.json); chromium from Debian (install-chromium.sh, next to this file).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (this file is wasm/www/test/launch.mjs). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Makes sure Debian's chromium is installed (runs install-chromium.sh, which is a no-op
 * when `chromium` is on PATH) and returns its path.
 */
export function ensureChromium() {
  execFileSync('bash', [path.join(here, 'install-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const found = execFileSync('bash', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const exe = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : found;
  if (!exe || !existsSync(exe)) throw new Error('chromium not found after install-chromium.sh');
  return exe;
}

/** Imports playwright-core (from wasm/node_modules), with a helpful message if missing. */
export async function playwright() {
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new Error(
      `playwright-core is not installed (${e.message}). Run \`bash wasm/build.sh\`, which installs `
      + 'the dev dependencies of wasm/package.json into wasm/node_modules.',
    );
  }
}

/**
 * Launches headless chromium with a fresh user-data-dir.
 * @param {{viewport?: {width: number, height: number}}} [opts]
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>, executablePath: string}>}
 */
export async function launchBrowser(opts = {}) {
  const executablePath = ensureChromium();
  const { chromium } = await playwright();
  const profile = mkdtempSync(path.join(tmpdir(), 'apertura-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    acceptDownloads: true,
    locale: 'es-MX',
    timeout: 60_000,
  });
  return {
    context,
    executablePath,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
