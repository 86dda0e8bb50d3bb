import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, ConsoleMessage, Page } from 'playwright-core';
import { sha256Hex } from '../../src/identity/users';
import { ApplicationSpec, completeToEnd, httpPort, startApplication } from '../support/reglament-driver';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const WEB_SOURCES = path.join(ROOT, 'src/web');
const WEB_BUILD = path.join(ROOT, 'dist-web');

/** Debian's chromium (apt-get install chromium); CHROMIUM_PATH overrides. Never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app when dist-web/ is missing or older than its sources (npm test builds it already). */
export function ensureWebBuild(): void {
  const index = path.join(WEB_BUILD, 'index.html');
  const sourcesChanged = Math.max(newestMtime(WEB_SOURCES), fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourcesChanged) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'pipe' });
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface ConsoleEntry {
  page: string;
  type: string;
  text: string;
  url?: string;
}

/** Collects every console error and uncaught exception of a page. */
export function watchConsole(page: Page): ConsoleEntry[] {
  const entries: ConsoleEntry[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || msg.type() === 'assert') entries.push({ page: page.url(), type: msg.type(), text: msg.text(), url: msg.location().url });
  });
  page.on('pageerror', (error) => entries.push({ page: page.url(), type: 'pageerror', text: String(error?.stack ?? error) }));
  return entries;
}

/**
 * Console errors that are not the browser's own report of an HTTP answer the test provoked on
 * purpose (e.g. 401 for a wrong token, 400 for an invalid form the server rejects).
 */
export function unexpectedErrors(entries: ConsoleEntry[], expected: { status: number; url: RegExp }[]): ConsoleEntry[] {
  return entries.filter((e) => {
    const m = /^Failed to load resource: the server responded with a status of (\d{3})/.exec(e.text);
    if (!m) return true;
    return !expected.some((x) => x.status === Number(m[1]) && x.url.test(e.url ?? ''));
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function signIn(page: Page, baseUrl: string, userId: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.fill('#token', tokenOf(userId));
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector(`[data-user="${userId}"]`);
}

export async function signOut(page: Page): Promise<void> {
  await page.click('[data-action="sign-out"]');
  await page.waitForSelector('form.signin');
}

/** Waits until the current page finished rendering (main.ts marks it). */
export async function pageReady(page: Page): Promise<void> {
  try {
    await page.waitForSelector('.page[data-ready="true"], #app > [role=alert]');
  } catch (err) {
    throw new Error(`${(err as Error).message}\nat ${page.url()} the page shows:\n${await appText(page)}`);
  }
  const alert = page.locator('#app > [role=alert]');
  if (await alert.count()) throw new Error(`the page at ${page.url()} failed to render: ${await alert.first().textContent()}`);
}

async function appText(page: Page): Promise<string> {
  try {
    return (await page.locator('#app').innerText({ timeout: 2000 })).slice(0, 2000);
  } catch {
    return '(no #app)';
  }
}

/** Gives the host's demo users the display names a test asserts on (the page shows names, never ids). */
export function nameUsers(t: TestHost, names: Record<string, string>): void {
  const file = path.join(t.dir, 'named-users.json');
  const users = JSON.parse(fs.readFileSync(path.join(t.dir, 'users.json'), 'utf8')) as { id: string; name: string; groups: string[] }[];
  fs.writeFileSync(file, JSON.stringify(users.map((u) => ({ ...u, name: names[u.id] ?? u.name, tokenSha256: sha256Hex(tokenOf(u.id)) }))));
  t.host.users.reloadFrom(file);
}

/** What the browser gets for a link of the page, with its session cookie (as a click would). */
export interface Fetched {
  status: number;
  type: string | null;
  bytes: number[];
}

export function fetchInPage(page: Page, href: string): Promise<Fetched> {
  return page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: 'same-origin' });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
  }, href);
}

/** A host with one application driven to its end, and Chromium signed in as `userId` (the office printing a case's documents). */
export interface FinishedCaseInBrowser {
  t: TestHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  caseId: string;
  variables: Record<string, unknown>;
  close(): Promise<void>;
}

export async function finishedCaseInBrowser(key: string, spec: ApplicationSpec, outcome: string, userId: string): Promise<FinishedCaseInBrowser> {
  ensureWebBuild();
  const t = await startTestHost();
  const started = await startApplication(t, key, spec);
  expect(started.status).toBe(201);
  const done = await completeToEnd(httpPort(t), { key, businessKey: spec.businessKey, instanceId: started.body.id });
  expect(done).toMatchObject({ state: 'completed', outcome });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'kk-KZ' });
  const page = await context.newPage();
  await signIn(page, t.url, userId);
  return {
    t,
    browser,
    context,
    page,
    caseId: done.instanceId,
    variables: done.variables,
    async close() {
      await context.close();
      await browser.close();
      await t.close();
    },
  };
}
