/**
 * End to end, in real Chromium against a real server serving the built web app: what a person does
 * with tasks, and that all of it is still there after a reload. Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTask,
  createList,
  hasChromium,
  launchChromium,
  listPage,
  requireChromium,
  signUp,
  startE2eServer,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startE2eServer();
    baseUrl = server.baseUrl;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(5_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const titles = () => listPage(page).titles();
  const checkbox = (title: string) => listPage(page).checkbox(title);
  const row = (title: string) => listPage(page).row(title);
  const saved = () => expect.poll(() => page.getByText(/^(All changes saved|Saving…)$/).textContent()).toBe('All changes saved');

  it('signs up, adds, completes, reorders, deletes and undoes; all of it survives a reload', async () => {
    await withScreenshot('tasks-e2e', page, async () => {
      const email = `grace.${Date.now()}@example.com`;
      const password = 'correct horse battery';

      await signUp(page, baseUrl, { name: 'Grace Hopper', email, password });

      // Create a list: it opens, with the cursor in "Add a task".
      await createList(page, 'Groceries');
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
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('email'); // ready to type
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

  it('finds tasks of every list from the search box, as they are typed, and opens one', async () => {
    await withScreenshot('search-e2e', page, async () => {
      // Signed in from the test above, with "Groceries" (Eggs, Milk). A second list:
      await createList(page, 'Trip');
      await addTask(page, 'Book the Café Crème');
      await addTask(page, 'Pack the passports');
      await saved();

      // "/" outside a field goes to the search box; results follow the typing, whatever the accents and case.
      await page.getByRole('textbox', { name: 'Add a task' }).blur();
      await page.keyboard.press('/');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search tasks');
      await page.keyboard.type('CAFE');
      const results = page.getByRole('list', { name: 'Matching tasks' });
      await expect.poll(() => results.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Book the Café Crème')]);
      expect(await results.getByRole('listitem').textContent()).toContain('Trip');
      await expect.poll(() => page.url()).toMatch(/\/search\?q=CAFE$/);

      // Words from different tasks find nothing; another word finds the other list's task.
      await page.getByRole('searchbox', { name: 'Search tasks' }).fill('eggs passports');
      await page.getByText('No task matches “eggs passports”.').waitFor();
      await page.getByRole('searchbox', { name: 'Search tasks' }).fill('egg');
      await expect.poll(() => results.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Eggs')]);

      // Opening a result opens its list with the task's details.
      await results.getByRole('button', { name: 'Eggs' }).click();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await page.getByRole('dialog', { name: 'Eggs' }).waitFor();
      expect(await page.getByRole('searchbox', { name: 'Search tasks' }).inputValue()).toBe('');
      await page.getByRole('dialog', { name: 'Eggs' }).getByRole('button', { name: 'Close' }).click();
      await page.getByRole('dialog', { name: 'Eggs' }).waitFor({ state: 'detached' });

      // Escape empties the box and goes back to the list that was open.
      await page.getByRole('searchbox', { name: 'Search tasks' }).fill('milk');
      await expect.poll(() => results.getByRole('listitem').count()).toBe(1);
      await page.getByRole('searchbox', { name: 'Search tasks' }).press('Escape');
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
    });
  }, 30_000);

  it("keeps a comment being written when the task's details are closed, until it is sent", async () => {
    await withScreenshot('comment-draft-e2e', page, async () => {
      await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Groceries' }).click();
      const details = page.getByRole('dialog', { name: 'Eggs' });
      const box = details.getByRole('textbox', { name: 'Write a comment' });
      await page.getByRole('button', { name: 'Details of “Eggs”' }).click();
      await box.fill('Free-range, please');
      await details.getByRole('button', { name: 'Close' }).click();
      await details.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'Details of “Eggs”' }).click();
      expect(await box.inputValue()).toBe('Free-range, please');
      await box.press('Control+Enter');
      await details.getByRole('listitem').filter({ hasText: 'Free-range, please' }).waitFor();
      // The comment can arrive over the socket a moment before the POST's answer, which clears the box.
      await expect.poll(() => box.inputValue()).toBe('');
      await details.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Details of “Eggs”' }).click();
      expect(await box.inputValue()).toBe('');
      await details.getByRole('button', { name: 'Close' }).click();
    });
  }, 30_000);

  it("hides a list's completed tasks on request, remembers it, and moves tasks past the visible ones", async () => {
    await withScreenshot('hide-completed-e2e', page, async () => {
      await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Groceries' }).click();
      await addTask(page, 'Jam');
      await saved();
      await expect.poll(titles).toEqual(['Eggs', 'Milk', 'Jam']); // Milk is done

      await page.getByRole('button', { name: 'Hide completed tasks' }).click();
      await expect.poll(titles).toEqual(['Eggs', 'Jam']);
      // Alt+↑ on Jam goes above Eggs, its visible neighbour, not just above the hidden Milk.
      await row('Jam').getByRole('textbox', { name: 'Task title' }).focus();
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(titles).toEqual(['Jam', 'Eggs']);
      await saved();

      // Completing one while hidden takes it out of view; the choice outlives a reload.
      await checkbox('Eggs').click();
      await expect.poll(titles).toEqual(['Jam']);
      await saved();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await expect.poll(titles).toEqual(['Jam']);

      await page.getByRole('button', { name: 'Show 2 completed tasks' }).click();
      await expect.poll(titles).toEqual(['Jam', 'Eggs', 'Milk']);
      expect(await checkbox('Eggs').isChecked()).toBe(true);
    });
  }, 30_000);
});
