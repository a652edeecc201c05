import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, onTestFailed } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { buildApp } from '../../server/app.ts';
import { generateDemo } from '../../server/modules/demo/index.ts';
import { clock } from '../../server/clock.ts';
import { chinaMonth, chinaToday, chinaYear } from '../../core/clock.ts';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'screenshots');
export const CHROMIUM = process.env.DOCKET_CHROMIUM ?? '/usr/bin/chromium';
/** Where a click on a dropdown item that was lost and repeated is recorded (scripts/test.sh lists them at the end). */
const REPICKED = path.resolve('.tmp/test-results/repicked.txt');
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

/**
 * A data directory holding a migrated database with the demo of `projects` projects (seed 1; none for null), seeded
 * once per run, per size and per China day (the demo is dated from the clock) and copied by every file that asks
 * for it: migrating (the 44k-row division tree) and generating the demo cost each browser file several seconds, the
 * same work every time. Two files asking at once may both build it; the first renamed into place wins.
 */
async function seeded(projects: number | null): Promise<string> {
  const cache = inject('harnessCache');
  const day = chinaToday(clock.now());
  const dir = path.join(cache, projects === null ? `migrated-${day}` : `demo-${projects}-${day}`);
  if (fs.existsSync(dir)) return dir;
  const building = fs.mkdtempSync(`${dir}.building-`);
  if (projects === null) {
    const database = openDatabase({ dataDir: building, databaseUrl: undefined });
    const migrated = await migrateToLatest(database.db);
    await database.destroy();
    if (migrated.error) throw new Error(`migrating the browser tests' database failed: ${migrated.error instanceof Error ? migrated.error.message : JSON.stringify(migrated.error)}`);
  } else {
    fs.cpSync(await seeded(null), building, { recursive: true });
    const database = openDatabase({ dataDir: building, databaseUrl: undefined });
    await generateDemo(database, { projects, seed: 1 });
    await database.destroy();
  }
  try {
    fs.renameSync(building, dir);
  } catch (e) {
    // Another file built it first (a directory is not renamed over a non-empty one): use theirs.
    if (!fs.existsSync(dir)) throw e;
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** Starts the server on a free port with demo data (unless `demo: false`) and launches Chromium. */
export async function startHarness(opts: { projects?: number; demo?: boolean } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-browser-'));
  const config = loadConfig({ dataDir, databaseUrl: undefined, logLevel: 'silent', host: '127.0.0.1', port: 0, loginRateLimit: 1000, checkResponses: true }, {});
  if (!fs.existsSync(path.join(config.webDir, 'index.html'))) throw new Error(`web app not built: ${config.webDir}`);
  // Without the demo: a fresh install (only the migrations' division tree), as an office's first day.
  fs.cpSync(await seeded(opts.demo === false ? null : opts.projects ?? 200), dataDir, { recursive: true });
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const app = await buildApp(config, database);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl, browser, database,
    async newPage(viewport = { width: 1366, height: 900 }) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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

/** Text as Playwright's `hasText` takes it: a substring, or a pattern. */
type Text = string | RegExp;

/**
 * Clicks the option of the open antd Select dropdown that shows `text` (a number: the option at that place, from 0),
 * and waits until the dropdown has taken it.
 * Closed dropdowns stay in the page (hidden) with their options, so an unscoped option locator may pick a hidden
 * twin from another field and wait on it.
 */
export async function pickOption(page: Page, text: Text | number): Promise<void> {
  const shown = typeof text === 'number'
    ? exactly((await page.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(text).textContent() ?? '').trim())
    : text;
  await pickFromDropdown(page, '.ant-select-item-option', shown, '.ant-select-item-option-selected');
}

/** A pattern matching exactly this text. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Clicks the node of the open antd TreeSelect dropdown whose title is `title` (a string is the whole title, not a
 * part: 吴中区 is not 吴中区xx街道; a number is the node's place in the open tree, from 0), and waits until the tree has
 * taken it. Scoped to the open dropdown as pickOption.
 */
export async function pickTreeOption(page: Page, title: Text | number): Promise<void> {
  const titles = page.locator('.ant-select-dropdown:visible .ant-select-tree-title');
  const named = typeof title === 'number' ? (await titles.nth(title).textContent() ?? '').trim() : title;
  const exact = typeof named === 'string' ? exactly(named) : named;
  await pickFromDropdown(page, '.ant-select-tree-node-content-wrapper', exact,
    '.ant-select-tree-node-selected, .ant-select-tree-treenode-checkbox-checked .ant-select-tree-node-content-wrapper', '.ant-select-tree-title');
}

/**
 * Clicks the item of the open dropdown showing `text` once the page is settled, then waits until the dropdown marks
 * it picked. A click is lost when the list is re-rendered between the mouse's press and release (a TreeSelect
 * expanding its matches after a keystroke, a virtual list re-measured, an option list replaced by an answer): the
 * release lands on another node and no click reaches the item. Then the item is clicked again, with a warning in the
 * log, so a loaded machine neither fails the test there nor hides that it happened — and a pick the application
 * really ignores still fails, with the item named.
 */
async function pickFromDropdown(page: Page, item: string, text: Text, picked: string, label?: string): Promise<void> {
  const dropdown = page.locator('.ant-select-dropdown:visible').last();
  await dropdown.waitFor();
  await settled(page);
  const handle = await dropdown.elementHandle();
  if (!handle) throw new Error('no open dropdown');
  const want = typeof text === 'string' ? { text, source: '', flags: '' } : { text: '', source: text.source, flags: text.flags };
  // Taken: the dropdown closed (a single select closes on its pick and only then), marks the item picked (a multiple
  // select stays open), or no longer lists it (a multiple select clears its search on a pick and lists everything
  // again, the picked option maybe outside the virtual list's window). A lost click leaves the list as it was.
  const isTaken = ([el, { sel, it, lab }, w]: [Element, { sel: string; it: string; lab: string }, typeof want]): boolean => {
    const matches = (node: Element): boolean => {
      const shown = ((lab ? node.querySelector(lab) : node)?.textContent ?? '').trim();
      return w.source ? new RegExp(w.source, w.flags).test(shown) : shown.includes(w.text);
    };
    return !el.isConnected || el.getClientRects().length === 0 || el.classList.contains('ant-select-dropdown-hidden')
      || [...el.querySelectorAll(sel)].some(matches) || ![...el.querySelectorAll(it)].some(matches);
  };
  // (The handle arrives in the page as its element.)
  const args = [handle, { sel: picked, it: item, lab: label ?? '' }, want] as unknown as [Element, { sel: string; it: string; lab: string }, typeof want];
  const target = label
    ? dropdown.locator(item).filter({ has: page.locator(label, { hasText: text }) }).first()
    : dropdown.locator(item, { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 && await page.evaluate(isTaken as never, args)) return;
    await target.click();
    const ok = await page.waitForFunction(isTaken as never, args, { timeout: 5_000 }).then(() => true, (err: Error) => {
      if (err.name !== 'TimeoutError') throw err;
      return false;
    });
    if (ok) return;
    if (attempt === 3) throw new Error(`the dropdown did not take ${String(text)} after ${attempt} clicks`);
    const line = `[pick] the click on ${String(text)} was lost (attempt ${attempt}); clicking it again`;
    console.warn(line);
    // Listed again at the end of scripts/test.sh, beside the tests that passed only on a retry.
    const where = expect.getState().testPath ? path.relative(process.cwd(), expect.getState().testPath!) : '?';
    fs.mkdirSync(path.dirname(REPICKED), { recursive: true });
    fs.appendFileSync(REPICKED, `${where} › ${expect.getState().currentTestName ?? '?'}: ${line} (${process.env.DOCKET_NOW ?? 'today'})\n`);
  }
}

/**
 * Types `typed` into the open remote picker `field` (web/components/RemotePicker.tsx: the server searches 250 ms after
 * the last key) and waits until its list is the answer to that search: the answer to `typed` from GET /api/v1`path`
 * came, with 200, and the field's loading mark — on from the request until the answer is listed — is gone. Until then
 * the list shown is an older one (the first page, listed on opening), which the answer replaces under the pointer.
 */
export async function searchRemote(page: Page, field: Locator, typed: string, path: string): Promise<void> {
  const answered = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === `/api/v1${path}` && u.searchParams.get('q') === typed && r.request().method() === 'GET';
  });
  await page.keyboard.type(typed);
  const answer = await answered;
  if (answer.status() !== 200) throw new Error(`searching ${path} for ${typed}: ${answer.status()} ${await answer.text()}`);
  await field.locator('.anticon-loading').waitFor({ state: 'detached' });
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
