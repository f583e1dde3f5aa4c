/**
 * End to end, in real Chromium against a real server serving the built web app: what a person does
 * with tasks, and that all of it is still there after a reload. Needs `dist/web` (`npm test` builds it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(chromiumPath);
const inCi = process.env.CI === 'true';
const webRoot = path.resolve('dist/web');
const resultsDir = path.resolve('test-results');

if (!hasChromium && !inCi) {
  console.warn(`[e2e] Skipping the browser tests: no Chromium at ${chromiumPath} (apt-get install chromium). CI fails instead of skipping.`);
}

describe.runIf(!hasChromium && inCi)('browser tests prerequisites', () => {
  it('has Chromium in CI', () => {
    throw new Error(`Chromium is required in CI, but ${chromiumPath} does not exist (apt-get install chromium).`);
  });
});

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;
  let dataDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
      throw new Error(`${path.join(webRoot, 'index.html')} is missing: build the web app first with \`npx vite build\` (\`npm test\` does it).`);
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-e2e-'));
    app = await buildApp(loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { webRoot }));
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(5_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs a scenario; on failure keeps a screenshot of the page in test-results/. */
  async function withScreenshot(name: string, scenario: () => Promise<void>) {
    try {
      await scenario();
    } catch (error) {
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`[e2e] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
      throw error;
    }
  }

  // The page's task titles, in order.
  const titles = () => page.getByRole('textbox', { name: 'Task title' }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const checkbox = (title: string) => page.getByRole('checkbox', { name: `Complete “${title}”`, exact: true });
  const row = (title: string) => page.getByRole('listitem').filter({ has: checkbox(title) });
  const saved = () => expect.poll(() => page.getByText(/^(All changes saved|Saving…)$/).textContent()).toBe('All changes saved');

  it('signs up, adds, completes, reorders, deletes and undoes; all of it survives a reload', async () => {
    await withScreenshot('tasks-e2e', async () => {
      const email = `grace.${Date.now()}@example.com`;
      const password = 'correct horse battery';

      // Sign up.
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Grace Hopper');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Make your first list' }).waitFor();

      // Create a list: it opens, with the cursor in "Add a task".
      const newList = page.getByRole('textbox', { name: 'New list name' });
      await newList.fill('Groceries');
      await newList.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Add a task');
      await expect.poll(() => page.url()).toMatch(/\/lists\/[0-9a-f-]{36}$/);

      // Three tasks, each with Enter.
      for (const title of ['Milk', 'Bread', 'Eggs']) await page.keyboard.type(`${title}\n`);
      await expect.poll(titles).toEqual(['Milk', 'Bread', 'Eggs']);

      // Complete one with a click, one with the keyboard.
      await checkbox('Milk').click();
      await checkbox('Bread').focus();
      await page.keyboard.press('Space');
      expect(await checkbox('Milk').isChecked()).toBe(true);
      expect(await checkbox('Bread').isChecked()).toBe(true);
      expect(await checkbox('Eggs').isChecked()).toBe(false);

      // Reorder with the keyboard: Alt+↑ twice moves Eggs to the top, and it keeps the focus.
      await row('Eggs').getByRole('textbox', { name: 'Task title' }).focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(titles).toEqual(['Eggs', 'Milk', 'Bread']);
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('Eggs');

      // Reorder by dragging: Bread's handle onto the top half of Eggs.
      await page.getByRole('button', { name: 'Move “Bread”' }).dragTo(row('Eggs'), { targetPosition: { x: 300, y: 8 } });
      await expect.poll(titles).toEqual(['Bread', 'Eggs', 'Milk']);

      // A priority and a due date.
      await page.getByRole('combobox', { name: 'Priority for “Eggs”' }).selectOption('1');
      await page.getByLabel('Due date for “Eggs”').fill('2030-01-15');
      await page.getByLabel('Due date for “Eggs”').blur();

      // Delete, then Undo: it comes back in its place.
      await page.getByRole('button', { name: 'Delete “Milk”' }).click();
      await expect.poll(titles).toEqual(['Bread', 'Eggs']);
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(titles).toEqual(['Bread', 'Eggs', 'Milk']);
      expect(await checkbox('Milk').isChecked()).toBe(true);

      // Delete another, for good.
      await page.getByRole('button', { name: 'Delete “Bread”' }).click();
      await expect.poll(titles).toEqual(['Eggs', 'Milk']);
      await saved();

      // After a reload, the server has all of it.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await expect.poll(titles).toEqual(['Eggs', 'Milk']);
      expect(await checkbox('Eggs').isChecked()).toBe(false);
      expect(await checkbox('Milk').isChecked()).toBe(true);
      expect(await page.getByRole('combobox', { name: 'Priority for “Eggs”' }).inputValue()).toBe('1');
      expect(await page.getByLabel('Due date for “Eggs”').inputValue()).toBe('2030-01-15');

      // Sign out, a wrong password is refused, the right one brings the list back.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await expect.poll(titles).toEqual(['Eggs', 'Milk']);
    });
  }, 30_000);
});
