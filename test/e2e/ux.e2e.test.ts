/**
 * End to end, in Chromium against a real server: what a person loses or cannot reach when the app gets a detail
 * wrong — drafts left by the browser's Back or a reload, where the keyboard focus lands, right-to-left text, narrow
 * screens, errors that should be announced. Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTask,
  createList,
  hasChromium,
  launchChromium,
  listPage,
  newE2ePage,
  requireChromium,
  signUp,
  startE2eServer,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

describe.skipIf(!hasChromium)('details people notice, in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const stamp = Date.now();
  const password = 'correct horse battery';
  let people = 0;
  /** A new person each time, so the tests do not depend on each other. */
  const person = (name: string) => ({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${stamp}.${people++}@example.com`, password });

  const desktop = () => newE2ePage(browser!, { width: 1200, height: 800 }, contexts);
  const scenario = (name: string, pages: Page | Record<string, Page>, run: () => Promise<void>) => withScreenshot(`ux-${name}`, pages, run);

  /** The open list's id, from the address (once the server has created it). */
  const openListId = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

  /** The list's tasks as the server has them. */
  const serverTasks = (page: Page, listId: string) =>
    page.evaluate(async (id) => ((await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { title: string; notes: string }[] }).items, listId);

  /** A signed-up person with a list holding one saved task. */
  async function withTask(name: string, listName: string, title: string) {
    const page = await desktop();
    await signUp(page, server!.baseUrl, person(name));
    await createList(page, listName);
    await addTask(page, title);
    await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
    return page;
  }

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  it('saves notes being typed when the browser’s Back closes the details', async () => {
    const page = await withTask('Back', 'Home', 'Call plumber');
    await scenario('notes-back', page, async () => {
      const listId = openListId(page);
      await page.getByRole('button', { name: 'Details of “Call plumber”' }).click();
      const details = page.getByRole('dialog', { name: 'Call plumber' });
      await details.getByLabel('Notes').fill('Ask about the leak');
      await page.goBack();
      await details.waitFor({ state: 'detached' });
      await expect.poll(async () => (await serverTasks(page, listId))[0]?.notes).toBe('Ask about the leak');
    });
  }, 20_000);

  it('before the page is left with a title or notes being typed, saves them and warns while they are on their way', async () => {
    const page = await withTask('Leave', 'Errands', 'Post office');
    await scenario('drafts-leave', page, async () => {
      const listId = openListId(page);
      const warnings: string[] = [];
      page.on('dialog', (dialog) => {
        warnings.push(dialog.type());
        void dialog.dismiss(); // stay on the page
      });
      // Notes typed, the field still focused (it saves on blur), and the tab is closed (or reloaded).
      await page.getByRole('button', { name: 'Details of “Post office”' }).click();
      const details = page.getByRole('dialog', { name: 'Post office' });
      await details.getByLabel('Notes').fill('Parcel for Ann');
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => warnings).toEqual(['beforeunload']);
      await expect.poll(async () => (await serverTasks(page, listId))[0]?.notes).toBe('Parcel for Ann');
      await details.getByRole('button', { name: 'Close' }).click();

      // The same for a title being typed in its row.
      const title = page.getByRole('textbox', { name: 'Task title' });
      await title.fill('Post office and bank');
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => warnings).toEqual(['beforeunload', 'beforeunload']);
      await expect.poll(async () => (await serverTasks(page, listId))[0]?.title).toBe('Post office and bank');

      // Everything saved, a field merely focused: the page goes without a word.
      await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => page.isClosed()).toBe(true);
      expect(warnings).toHaveLength(2);
    });
  }, 20_000);
});
