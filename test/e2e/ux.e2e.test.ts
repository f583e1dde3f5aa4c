/**
 * End to end, in Chromium against a real server: what a person loses or cannot reach when the app gets a detail
 * wrong — drafts left by the browser's Back or a reload, where the keyboard focus lands, right-to-left text, narrow
 * screens, errors that should be announced. Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTask,
  allowConsoleErrors,
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

  /** What has the keyboard focus: a control's accessible label, else its tag and text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = document.activeElement;
      return element?.getAttribute('aria-label') ?? `${element?.tagName.toLowerCase()} ${element?.textContent?.trim() ?? ''}`;
    });

  it('after a confirmation is cancelled the focus is back where it was, and after an invitation is accepted by keyboard it is on the list', async () => {
    const ada = await withTask('Ada', 'Groceries', 'Milk');
    const bea = await desktop();
    const beaPerson = person('Bea');
    await signUp(bea, server!.baseUrl, beaPerson);
    await scenario('focus-confirm-invite', { ada, bea }, async () => {
      // Escape, then Cancel, on "Delete list?": the focus is on "Delete list" again, not on the page.
      for (const key of ['Escape', 'Enter']) {
        await ada.getByRole('button', { name: 'Delete list' }).focus();
        await ada.keyboard.press('Enter');
        await expect.poll(() => focused(ada)).toBe('button Cancel');
        await ada.keyboard.press(key); // Enter: on Cancel, which has the focus
        await ada.getByRole('dialog', { name: 'Delete “Groceries”?' }).waitFor({ state: 'detached' });
        await expect.poll(() => focused(ada)).toBe('Delete list');
      }

      await ada.getByRole('button', { name: 'Share', exact: true }).click();
      const share = ada.getByRole('dialog', { name: 'Share “Groceries”' });
      await share.getByLabel('Email address to invite').fill(beaPerson.email);
      await share.getByRole('button', { name: 'Invite', exact: true }).click();
      await share.getByRole('list', { name: 'Pending invitations' }).getByText(beaPerson.email).waitFor();

      await bea.reload();
      await bea.getByRole('navigation', { name: 'Lists' }).getByRole('button', { name: 'Accept the invitation to “Groceries”' }).focus();
      await bea.keyboard.press('Enter');
      await bea.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await expect.poll(() => focused(bea)).toBe('h1 Groceries');
    });
  }, 30_000);

  it('closing a task’s details opened from a search result or "Assigned to me" puts the focus on the task’s row', async () => {
    const page = await withTask('Cy', 'Chores', 'Water plants');
    await scenario('focus-details-elsewhere', page, async () => {
      await page.getByLabel('Search tasks').fill('water');
      const result = page.getByRole('list', { name: 'Matching tasks' }).getByRole('button', { name: 'Water plants' });
      await result.focus();
      await page.keyboard.press('Enter');
      const details = page.getByRole('dialog', { name: 'Water plants' });
      await details.waitFor();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      await expect.poll(() => focused(page)).toBe('Details of “Water plants”');

      // Assigned to oneself, then opened from "Assigned to me".
      await page.getByRole('button', { name: 'Details of “Water plants”' }).click();
      await details.getByLabel('Assignee').selectOption({ index: 1 });
      await expect.poll(() => details.getByLabel('Assignee').evaluate((select) => (select as HTMLSelectElement).selectedIndex)).toBe(1);
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'Assigned to me' }).click();
      const assigned = page.getByRole('button', { name: 'Water plants', exact: true });
      await assigned.focus();
      await page.keyboard.press('Enter');
      await details.waitFor();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      await expect.poll(() => focused(page)).toBe('Details of “Water plants”');
    });
  }, 30_000);

  it('when the tasks fail to load the header shows no count, and "Try again" keeps the focus on the list', async () => {
    allowConsoleErrors(/status of 500/);
    const page = await withTask('Dee', 'Alpha', 'One');
    await scenario('tasks-load-failed', page, async () => {
      let fail = true;
      await page.route(/\/api\/v1\/lists\/[^/]+\/tasks(\?|$)/, (route) =>
        fail && route.request().method() === 'GET'
          ? route.fulfill({
              status: 500,
              contentType: 'application/problem+json',
              body: JSON.stringify({ title: 'Internal Server Error', status: 500, detail: 'Something broke' }),
            })
          : route.continue(),
      );
      await page.reload();
      const retry = page.getByRole('button', { name: 'Try again' });
      await retry.waitFor();
      // Above the error, the header claims no count it does not know ("No tasks yet").
      const progress = () => page.locator('.list-progress').textContent();
      expect(await progress()).toBe('All changes saved');
      fail = false;
      await retry.focus();
      await page.keyboard.press('Enter');
      await listPage(page).checkbox('One').waitFor();
      await expect.poll(() => focused(page)).toBe('h1 Alpha');
      expect(await progress()).toBe('1 task · 0 doneAll changes saved');
    });
  }, 30_000);

  it('Hebrew (like Arabic) reads right to left, its ellipsis on the left: task titles, notes, comments, list names, search results', async () => {
    const page = await desktop();
    await signUp(page, server!.baseUrl, person('Noa'));
    const listName = 'קניות לשבוע';
    const title = 'לקנות חלב ולחם לארוחת הבוקר של מחר';
    await createList(page, listName);
    await addTask(page, title);
    await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
    await addTask(page, 'Milk'); // a Latin title beside it stays left to right
    await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
    await scenario('rtl', page, async () => {
      const direction = (locator: ReturnType<Page['locator']>) => locator.evaluate((element) => getComputedStyle(element).direction);
      const row = listPage(page).row(title);
      expect(await direction(row.getByRole('textbox', { name: 'Task title' }))).toBe('rtl');
      expect(await direction(listPage(page).row('Milk').getByRole('textbox', { name: 'Task title' }))).toBe('ltr');
      expect(await direction(page.getByRole('heading', { level: 1, name: listName }))).toBe('rtl');
      expect(await direction(page.getByRole('navigation', { name: 'Lists' }).getByText(listName))).toBe('rtl');

      await page.getByRole('button', { name: `Details of “${title}”` }).click();
      const details = page.getByRole('dialog', { name: title });
      expect(await direction(details.getByRole('heading', { name: title }))).toBe('rtl');
      const notes = details.getByLabel('Notes');
      await notes.fill('בבקשה חלב דל שומן');
      expect(await direction(notes)).toBe('rtl');
      const composer = details.getByRole('textbox', { name: 'Write a comment' });
      await composer.fill('מעולה, תודה');
      expect(await direction(composer)).toBe('rtl');
      await composer.press('Control+Enter');
      const comment = details.getByRole('listitem').filter({ hasText: 'מעולה, תודה' }).locator('.markdown');
      await comment.waitFor();
      expect(await direction(comment)).toBe('rtl');
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });

      await page.getByLabel('Search tasks').fill('חלב');
      const result = page.getByRole('list', { name: 'Matching tasks' }).getByRole('button', { name: title });
      expect(await direction(result)).toBe('rtl');
    });
  }, 30_000);

  it('a list name with no space in it wraps in a task’s details instead of widening the panel', async () => {
    const page = await withTask('Ovf', `Supercalifragilistic-${'x'.repeat(60)}`, 'Buy milk');
    await scenario('long-list-name', page, async () => {
      await page.getByRole('button', { name: 'Details of “Buy milk”' }).click();
      const body = page.getByRole('dialog', { name: 'Buy milk' }).locator('.modal-body');
      await body.getByText(/^In Supercalifragilistic/).waitFor();
      expect(await body.evaluate((element) => ({ overflow: element.scrollWidth - element.clientWidth }))).toEqual({ overflow: 0 });
    });
  }, 20_000);

  it('on a phone, a file’s long name shows whole in its chip, the size and Download below it', async () => {
    const page = await newE2ePage(browser!, { width: 390, height: 800 }, contexts);
    await signUp(page, server!.baseUrl, person('Att'));
    await page.getByRole('textbox', { name: 'Name of your first list' }).fill('Docs');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/lists\/[0-9a-f-]{36}$/);
    await addTask(page, 'Receipts');
    await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
    await scenario('file-chip-phone', page, async () => {
      // On a phone a row shows its details button while it has the focus.
      await listPage(page).row('Receipts').getByRole('textbox', { name: 'Task title' }).click();
      await page.getByRole('button', { name: 'Details of “Receipts”' }).click();
      const panel = page.getByRole('dialog', { name: 'Receipts' });
      await panel.getByRole('button', { name: 'Add block' }).click();
      const chooser = page.waitForEvent('filechooser');
      await panel.getByRole('listbox', { name: 'Block types' }).getByRole('option', { name: /^File/ }).click();
      const name = 'quarterly report final FINAL v2 (copy) — résumé.pdf';
      await (await chooser).setFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      const chip = panel.locator('.file-chip-name', { hasText: name });
      await chip.waitFor();
      // Not cut to a few letters: every letter shows (on two lines), the full width of the chip's first line.
      expect(await chip.evaluate((element) => ({ cut: element.scrollWidth > element.clientWidth, wide: element.clientWidth > 120 }))).toEqual({
        cut: false,
        wide: true,
      });
      await panel.getByRole('link', { name: /^Download / }).waitFor();
    });
  }, 30_000);

  it('"Email already taken" at sign-up is announced: the email field takes the focus, described by the error', async () => {
    allowConsoleErrors(/status of 409/);
    const first = person('Dup');
    await signUp(await desktop(), server!.baseUrl, first);
    const page = await desktop();
    await scenario('email-taken', page, async () => {
      await page.goto(server!.baseUrl);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Other');
      await page.getByLabel('Email').fill(first.email);
      await page.getByLabel('Password').fill('another good password');
      await page.getByLabel('Password').press('Enter');
      const email = page.getByLabel('Email');
      await expect.poll(() => email.evaluate((input) => input === document.activeElement)).toBe(true);
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      const describedBy = await email.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/already/i);
    });
  }, 20_000);
});
