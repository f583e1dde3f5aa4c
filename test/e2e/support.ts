/**
 * Shared set-up of the Chromium end-to-end tests: a real server serving the built web app (`dist/web`),
 * Debian's Chromium driven by playwright-core, screenshots kept on failure, and what a person does
 * first (sign up). Without Chromium the tests are skipped locally and fail in CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);
const inCi = process.env.CI === 'true';
const webRoot = path.resolve('dist/web');
const resultsDir = path.resolve('test-results');

/**
 * What the pages of the running test wrote to the browser's console as errors, or threw: a test fails on any it did
 * not expect (`allowConsoleErrors`), since a failed request or an exception is a defect people do not see.
 */
const consoleErrors: string[] = [];
let allowedConsoleErrors: RegExp[] = [];

/** Errors this test causes on purpose (a refused upload's 415), matched by pattern. */
export function allowConsoleErrors(...patterns: RegExp[]): void {
  allowedConsoleErrors.push(...patterns);
}

export function watchConsole(page: Page): void {
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
}

/** Call once per test file: warns (locally) or fails (in CI) when Chromium is missing, and checks each test's console. */
export function requireChromium(): void {
  afterEach(() => {
    const unexpected = consoleErrors.filter((error) => !allowedConsoleErrors.some((pattern) => pattern.test(error)));
    consoleErrors.length = 0;
    allowedConsoleErrors = [];
    expect(unexpected, 'errors in the browser console').toEqual([]);
  });
  if (!hasChromium && !inCi) {
    console.warn(`[e2e] Skipping the browser tests: no Chromium at ${chromiumPath} (apt-get install chromium). CI fails instead of skipping.`);
  }
  describe.runIf(!hasChromium && inCi)('browser tests prerequisites', () => {
    it('has Chromium in CI', () => {
      throw new Error(`Chromium is required in CI, but ${chromiumPath} does not exist (apt-get install chromium).`);
    });
  });
}

export interface E2eServer {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** A real server on a free port, with its own data directory, serving the built web app. */
export async function startE2eServer(): Promise<E2eServer> {
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
    throw new Error(`${path.join(webRoot, 'index.html')} is missing: build the web app first with \`npx vite build\` (\`npm test\` does it).`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-e2e-'));
  const app = await buildApp(loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { webRoot }));
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    baseUrl,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs a scenario; on failure keeps a screenshot of each page in test-results/. */
export async function withScreenshot(name: string, pages: Page | Record<string, Page>, scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    fs.mkdirSync(resultsDir, { recursive: true });
    const named = 'screenshot' in pages ? { '': pages as Page } : (pages as Record<string, Page>);
    for (const [suffix, page] of Object.entries(named)) {
      const file = path.join(resultsDir, `${name}${suffix ? `-${suffix}` : ''}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`[e2e] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
    }
    throw error;
  }
}

/** Signs up through the form; ends on the empty main screen. */
export async function signUp(page: Page, baseUrl: string, person: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Make your first list' }).waitFor();
}

/** Helpers that read a page's open list. */
export function listPage(page: Page) {
  const checkbox = (title: string) => page.getByRole('checkbox', { name: `Complete “${title}”`, exact: true });
  return {
    /** The task titles, in order. */
    titles: () => page.getByRole('textbox', { name: 'Task title' }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
    checkbox,
    row: (title: string) => page.getByRole('listitem').filter({ has: checkbox(title) }),
    /** The save/connection state shown in the list header. */
    syncState: () => page.locator('.sync-state').textContent(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page in a fresh browser context (its own cookies), with the tests' 5 s default timeout; the context goes in `contexts` when given. */
export async function newE2ePage(browser: Browser, viewport: { width: number; height: number }, contexts?: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts?.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  watchConsole(page);
  return page;
}

/** Creates a list from the sidebar; ends with it open. */
export async function createList(page: Page, name: string): Promise<void> {
  const newList = page.getByRole('textbox', { name: 'New list name' });
  await newList.fill(name);
  await newList.press('Enter');
  await page.getByRole('heading', { level: 1, name }).waitFor();
  // Until the server has answered, the list is a local copy (its "Add a task" takes typing already, and holds the tasks
  // until the list exists); tests that read the list's id from the address wait for the server's.
  await page.waitForURL(/\/lists\/[0-9a-f-]{36}$/);
}

/** Adds a task to the open list with the "Add a task" field and Enter. */
export async function addTask(page: Page, title: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Add a task' }).fill(title);
  await page.getByRole('textbox', { name: 'Add a task' }).press('Enter');
}
