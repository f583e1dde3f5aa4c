/**
 * End to end, in Chromium against a real server: small things a person notices — a checked box that
 * keeps its tick under the pointer, focus rings, counts, the phone layout, the phone drawer from the
 * keyboard, a link to a list that is not there, and the share dialog's pending invitations.
 * Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, createList, hasChromium, launchChromium, listPage, newE2ePage, requireChromium, signUp, startE2eServer, withScreenshot, type E2eServer } from './support.js';

requireChromium();

describe.skipIf(!hasChromium)('polish in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const stamp = Date.now();
  const password = 'correct horse battery';
  let people = 0;
  /** A new person each time, so the tests do not depend on each other. */
  const person = (name: string) => ({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${stamp}.${people++}@example.com`, password });

  const desktop = () => newE2ePage(browser!, { width: 1200, height: 800 }, contexts);
  const phone = () => newE2ePage(browser!, { width: 390, height: 800 }, contexts);
  const scenario = (name: string, pages: Page | Record<string, Page>, run: () => Promise<void>) => withScreenshot(`polish-${name}`, pages, run);

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  it('a checked task keeps its tick while the pointer is on it', async () => {
    const page = await desktop();
    await scenario('checked-hover', page, async () => {
      await signUp(page, server!.baseUrl, person('Hover Tester'));
      await createList(page, 'Groceries');
      await addTask(page, 'Milk');
      const box = listPage(page).checkbox('Milk');
      await box.click();
      expect(await box.isChecked()).toBe(true);
      await box.hover();
      await expect.poll(() => box.evaluate((element) => element.matches(':hover'))).toBe(true);
      expect(await box.evaluate((element) => getComputedStyle(element).backgroundImage)).toMatch(/^url\("data:image\/svg\+xml/);
    });
  }, 30_000);
});
