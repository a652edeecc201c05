import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFailed } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { buildApp } from '../../server/app.ts';
import { generateDemo } from '../../server/modules/demo/index.ts';
import { clock } from '../../server/clock.ts';
import { chinaMonth, chinaYear } from '../../core/clock.ts';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'screenshots');
export const CHROMIUM = process.env.DOCKET_CHROMIUM ?? '/usr/bin/chromium';
/**
 * The year and month the application believes it is (China time): today, or DOCKET_NOW's when the suite runs at a
 * fixed date (scripts/test.sh runs the date-sensitive files at a few). Tests read the date from here, never from
 * `new Date()`, so server, browser and assertions agree.
 */
export const today = { year: chinaYear(clock.now()), month: chinaMonth(clock.now()) };

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run'];

/** A running Docket over a fresh SQLite demo database, plus a Chromium to drive it. */
export interface Harness {
  baseUrl: string;
  browser: Browser;
  database: ReturnType<typeof openDatabase>;
  /** A new browser context (its own cookies) with a page at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Starts the server on a free port with demo data (unless `demo: false`) and launches Chromium. */
export async function startHarness(opts: { projects?: number; demo?: boolean } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-browser-'));
  const config = loadConfig({ dataDir, databaseUrl: undefined, logLevel: 'silent', host: '127.0.0.1', port: 0, loginRateLimit: 1000, checkResponses: true }, {});
  if (!fs.existsSync(path.join(config.webDir, 'index.html'))) throw new Error(`web app not built: ${config.webDir}`);
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  // Without the demo: a fresh install (only the migrations' division tree), as an office's first day.
  if (opts.demo !== false) await generateDemo(database, { projects: opts.projects ?? 200, seed: 1 });
  const app = await buildApp(config, database);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl, browser, database,
    async newPage(viewport = { width: 1366, height: 900 }) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'zh-CN' });
      // At a fixed date the browser's clock runs from the server's, so the web app's own "today" agrees.
      if (process.env.DOCKET_NOW) await context.clock.install({ time: clock.now() });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      onTestFailed(async ({ task }) => { await recordFailure(page, task.name); });
      return { context, page };
    },
    async close() {
      await browser.close();
      await app.close();
      await database.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in (landing on `next`, else the role's home page) and waits for the signed-in frame. The session comes from the
 * login API into the context's cookie jar, as the login page's own request would put it there: loading the login page
 * first cost every test one more boot of the web app. The login page itself has its own tests (accounts.test.ts, the
 * `?next=` round trip in library.test.ts).
 */
export async function login(page: Page, username = 'office', password = 'Docket#2026', next?: string): Promise<void> {
  const r = await page.context().request.post('/api/v1/auth/login', { data: { username, password } });
  if (!r.ok()) throw new Error(`login as ${username} failed: ${r.status()} ${await r.text()}`);
  await page.goto(next ?? '/');
  await page.getByTestId('user-menu').waitFor();
}

/**
 * Waits until no antd popup is in the middle of an open or close animation (rc-motion's -appear/-enter/-leave
 * classes), so that a click lands on the settled popup and not on one still zooming in or sliding away.
 */
export async function settled(page: Page): Promise<void> {
  // Best effort: an animation class that lingers on a loaded machine (a toast sliding away, seen in CI) must not fail
  // a test by itself — what follows auto-waits for its element and asserts what matters.
  await page.waitForFunction(() => ![...document.querySelectorAll('[class]')].some((el) =>
    [...el.classList].some((c) => /-(appear|enter|leave)(-(prepare|start|active))?$/.test(c))), undefined, { timeout: 10_000 })
    .catch((err: Error) => {
      if (err.name !== 'TimeoutError') throw err;
    });
}

/**
 * Clicks the option of the open antd Select dropdown that shows `text`. Closed dropdowns stay in the page (hidden)
 * with their options, so an unscoped option locator may pick a hidden twin from another field and wait on it.
 */
export async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

/**
 * When a test fails, says where its page stood: the address, the messages and form errors on screen, and a screenshot
 * (screenshots/failed-….png). A timeout alone ("waitForURL exceeded") cannot tell a refused save from a slow one.
 */
async function recordFailure(page: Page, testName: string): Promise<void> {
  if (page.isClosed()) return;
  try {
    const shown = await page.locator('.ant-form-item-explain-error:visible, .ant-alert:visible, .ant-message-notice:visible, .ant-notification-notice:visible')
      .allInnerTexts();
    const slug = testName.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
    await page.screenshot({ path: path.join(SCREENSHOTS, `failed-${slug}.png`), fullPage: true, timeout: 5_000 });
    console.error(`[browser failure] ${testName}: at ${page.url()}; on screen: ${shown.map((t) => t.replace(/\s+/g, ' ')).join(' | ') || '(no message)'}`);
  } catch (e) {
    console.error(`[browser failure] ${testName}: page state unavailable (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Saves a full-page screenshot into ./screenshots (git-ignored), unless DOCKET_SCREENSHOTS=0: scripts/test.sh's
 * calendar reruns take none (each would overwrite today's picture with one at a shifted date, at ~0.3 s a picture).
 */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.DOCKET_SCREENSHOTS === '0') return;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Calls the API from a browser context's cookie jar (signing in first), sending the CSRF header as the web app does. */
export async function apiAs(context: BrowserContext, username = 'office', password = 'Docket#2026') {
  const login = await context.request.post('/api/v1/auth/login', { data: { username, password } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
  const csrf = async () => (await context.cookies()).find((c) => c.name === 'docket_csrf')?.value;
  return {
    async patch(path: string, data: unknown) {
      const token = await csrf();
      const r = await context.request.patch(`/api/v1${path}`, { data, headers: token ? { 'X-CSRF-Token': token } : {} });
      return { status: r.status(), body: await r.json() as Record<string, unknown> };
    },
    async put(path: string, data: unknown) {
      const token = await csrf();
      const r = await context.request.put(`/api/v1${path}`, { data, headers: token ? { 'X-CSRF-Token': token } : {} });
      return { status: r.status(), body: await r.json() as Record<string, unknown> };
    },
    async post(path: string, data: unknown) {
      const token = await csrf();
      const r = await context.request.post(`/api/v1${path}`, { data, headers: token ? { 'X-CSRF-Token': token } : {} });
      return { status: r.status(), body: await r.json() as Record<string, unknown> };
    },
    async get(path: string) {
      const r = await context.request.get(`/api/v1${path}`);
      return { status: r.status(), body: await r.json() as Record<string, unknown> };
    },
  };
}
