/**
 * Real-browser tests of the web UI: Debian's chromium driven by playwright-core, against a real server
 * (startFerry). One UiSession per test file:
 *
 *   const ui = await openUi(server.url);           // fresh browser context, console errors collected
 *   await ui.signIn(server.adminToken);            // through the sign-in form
 *   await ui.goto('#/experiments');
 *   await ui.screenshot('experiments');            // test-results/ui/<file>-experiments.png
 *   ui.expectNoConsoleErrors();
 *   await ui.close();
 *
 * Wrap a file's tests in `describeUi(...)`: it skips them, with a loud SKIP line, when chromium is missing
 * (scripts/test.sh installs it first). FERRY_CHROMIUM names another binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { buildOnce, ROOT } from './ferry-process.js';

export const CHROMIUM = process.env['FERRY_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'ui');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** `describe` when chromium is there, else `describe.skip` after saying so loudly. */
export function describeUi(name: string, fn: () => void): void {
  if (chromiumAvailable()) {
    describe(name, fn);
    return;
  }
  console.warn(`SKIP UI browser tests "${name}": no chromium at ${CHROMIUM} (apt-get install -y chromium, or set FERRY_CHROMIUM)`);
  describe.skip(name, fn);
}

export interface UiSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The server's base URL. */
  url: string;
  /** Console errors, uncaught page errors and failed same-origin requests, in order. */
  consoleErrors: string[];
  /** Opens the app (if needed) and signs in through the form; waits for the nav. */
  signIn(token: string): Promise<void>;
  /** Goes to a hash route (`#/runs/abc`) and waits for the page to settle. */
  goto(hash: string): Promise<void>;
  /** Saves a full-page PNG under test-results/ui/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Fails the test when the page logged errors (those matching `allow` excepted). */
  expectNoConsoleErrors(allow?: readonly RegExp[]): void;
  close(): Promise<void>;
}

let shared: Browser | undefined;

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), 0);
}

const UI_INDEX = join(ROOT, 'dist', 'ui', 'index.html');

function uiStale(): boolean {
  if (!existsSync(UI_INDEX)) return true;
  const sources = [join(ROOT, 'ui', 'src'), join(ROOT, 'ui', 'index.html'), join(ROOT, 'ui', 'vite.config.ts'), join(ROOT, 'src', 'sdk')];
  return statSync(UI_INDEX).mtimeMs < Math.max(...sources.map(newestMtime));
}

/** Builds dist/ui (vite) when it is missing or older than ui/ or the SDK; parallel test files build it once. */
export async function ensureUiBuilt(): Promise<void> {
  await buildOnce('.ui-build-lock', uiStale, () => {
    const res = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // vitest sets NODE_ENV=test; the UI under test is the production build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (res.status !== 0) throw new Error(`vite build failed:\n${res.stdout}\n${res.stderr}`);
  });
}

/** One chromium per test file (process), headless; builds the UI first when it is stale. */
export async function launchBrowser(): Promise<Browser> {
  if (shared?.isConnected()) return shared;
  await ensureUiBuilt();
  shared = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Tests run as root in containers: no sandbox there; /dev/shm is often tiny.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  return shared;
}

export async function openUi(url: string, opts: { viewport?: { width: number; height: number }; testName?: string } = {}): Promise<UiSession> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A download the test never reads is aborted by the browser; that is not a page failure.
    if (req.url().startsWith(url) && req.failure()?.errorText !== 'net::ERR_ABORTED')
      consoleErrors.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  const prefix = (opts.testName ?? basename(expect.getState().testPath ?? 'ui')).replace(/\.[jt]s$/, '').replace(/[^\w.-]+/g, '_');

  const session: UiSession = {
    browser,
    context,
    page,
    url,
    consoleErrors,
    async signIn(token) {
      if (!page.url().startsWith(url)) await page.goto(`${url}/`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    },
    async goto(hash) {
      await page.goto(`${url}/${hash.startsWith('#') ? hash : `#${hash}`}`);
      await page.waitForLoadState('networkidle');
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `${prefix}-${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    expectNoConsoleErrors(allow = []) {
      expect(consoleErrors.filter((e) => !allow.some((re) => re.test(e)))).toEqual([]);
    },
    async close() {
      await context.close();
    },
  };
  return session;
}

/** Closes the shared browser (call in afterAll of the file). */
export async function closeBrowser(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
