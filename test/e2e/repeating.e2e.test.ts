/**
 * Repeating tasks in Chromium against a real server: Ada makes a task repeat every week from its details, completes it
 * in the list, and it stays open with its due date a week on, never shown done on the way; the activity says which
 * occurrence was done and where it moved; Bea, an editor of the list in a browser of her own, sees the new date live.
 * A task made to repeat daily until today (Custom…) closes when completed. Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateString } from '../../src/web/lib/due-dates.js';
import { addDays } from '../../src/web/lib/due-days.js';
import { createList, createTask, createUser } from '../support/client.js';
import { shareList } from '../support/sharing.js';
import { hasChromium, launchChromium, listPage, newE2ePage, requireChromium, startE2eServer, withScreenshot, type E2eServer } from './support.js';

requireChromium();

describe.skipIf(!hasChromium)('repeating tasks in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let ada: Page;
  let bea: Page;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    ada = await newE2ePage(browser, { width: 1280, height: 860 }, contexts);
    bea = await newE2ePage(browser, { width: 1280, height: 860 }, contexts);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  async function signIn(page: Page, person: { email: string; password: string }, listName: string) {
    await page.goto(server!.baseUrl);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: listName }).click();
    await page.getByRole('heading', { level: 1, name: listName }).waitFor();
  }

  const dueInput = (page: Page, title: string) => page.getByLabel(`Due date for “${title}”`, { exact: true });

  it('a weekly task completed in the list stays open a week on, for a collaborator too; one repeating daily until today closes', async () => {
    await withScreenshot('repeating', { ada, bea }, async () => {
      // The browser runs on this machine, in its time zone: "today" is the same day for both.
      const today = localDateString(new Date());
      const nextWeek = addDays(today, 7);
      const owner = await createUser(server!.baseUrl, 'Ada Owner');
      const editor = await createUser(server!.baseUrl, 'Bea Editor');
      const chores = await createList(owner.client, 'Chores');
      await shareList(owner.client, chores.id, editor, 'editor');
      const bins = await createTask(owner.client, chores.id, 'Take out bins', { dueDate: today });
      const standUp = await createTask(owner.client, chores.id, 'Stand-up notes', { dueDate: today });
      await createTask(owner.client, chores.id, 'No date', {});

      await signIn(ada, owner, 'Chores');
      await signIn(bea, editor, 'Chores');

      // A task without a due date cannot repeat yet, and says why.
      await ada.getByRole('button', { name: 'Details of “No date”' }).click();
      const details = ada.getByRole('dialog', { name: 'No date' });
      expect(await details.getByLabel('Repeat').isDisabled()).toBe(true);
      await details.getByText('Give the task a due date to make it repeat.').waitFor();
      await ada.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });

      // Every week, from the details.
      await ada.getByRole('button', { name: 'Details of “Take out bins”' }).click();
      const binsDetails = ada.getByRole('dialog', { name: 'Take out bins' });
      const weekday = new Date(`${today}T12:00`).toLocaleDateString('en-US', { weekday: 'long' });
      await binsDetails.getByLabel('Repeat').selectOption({ label: `Every week on ${weekday}` });
      await expect.poll(async () => (await owner.client.get(`/api/v1/tasks/${bins.id}`)).body.recurrence).toEqual({ every: 'week' });
      await binsDetails.getByText('Repeats every week.', { exact: false }).waitFor();
      await ada.keyboard.press('Escape');
      await binsDetails.waitFor({ state: 'detached' });
      // Its row says it repeats, in words; so does the collaborator's, live.
      await listPage(ada).row('Take out bins').getByRole('img', { name: 'Repeats every week' }).waitFor();
      await listPage(bea).row('Take out bins').getByRole('img', { name: 'Repeats every week' }).waitFor();

      // Completing it from the list: open at once on next week's date, never shown done nor on another date on the way.
      const sampling = ada.evaluate(async () => {
        const states = new Set<string>();
        const started = performance.now();
        while (performance.now() - started < 1_500) {
          const check = document.querySelector<HTMLInputElement>('input[aria-label="Complete “Take out bins”"]');
          const due = document.querySelector<HTMLInputElement>('input[aria-label="Due date for “Take out bins”"]');
          if (check && due) states.add(`${check.checked} ${due.value}`);
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        return [...states];
      });
      await listPage(ada).checkbox('Take out bins').click();
      expect(await dueInput(ada, 'Take out bins').inputValue()).toBe(nextWeek);
      expect(await listPage(ada).checkbox('Take out bins').isChecked()).toBe(false);
      await ada.getByText('“Take out bins” repeats. Next:', { exact: false }).waitFor();
      expect((await sampling).filter((state) => state !== `false ${today}`)).toEqual([`false ${nextWeek}`]);
      await expect
        .poll(async () => {
          const task = (await owner.client.get(`/api/v1/tasks/${bins.id}`)).body;
          return [task.done, task.dueDate];
        })
        .toEqual([false, nextWeek]);
      // The collaborator sees it move on, live.
      await expect.poll(() => dueInput(bea, 'Take out bins').inputValue(), { timeout: 5_000 }).toBe(nextWeek);
      expect(await listPage(bea).checkbox('Take out bins').isChecked()).toBe(false);

      // The activity tells the occurrence done and the next one.
      await ada.getByRole('button', { name: 'Activity', exact: true }).click();
      const activity = ada.getByRole('list', { name: 'Activity in Chores' });
      const format = (day: string) => new Date(`${day}T12:00`).toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric' });
      await activity.getByText(`You completed “Take out bins” (due ${format(today)}); next ${format(nextWeek)}`, { exact: false }).waitFor();
      await ada.keyboard.press('Escape');

      // Daily until today (Custom…): no occurrence is left, so completing closes it.
      await ada.getByRole('button', { name: 'Details of “Stand-up notes”' }).click();
      const standUpDetails = ada.getByRole('dialog', { name: 'Stand-up notes' });
      await standUpDetails.getByLabel('Repeat').selectOption({ label: 'Custom…' });
      await standUpDetails.getByLabel('Unit').selectOption('day');
      await standUpDetails.getByLabel('Ends').fill(today);
      await standUpDetails.getByRole('button', { name: 'Save repeat' }).click();
      await expect.poll(async () => (await owner.client.get(`/api/v1/tasks/${standUp.id}`)).body.recurrence).toEqual({ every: 'day', until: today });
      await ada.keyboard.press('Escape');
      await standUpDetails.waitFor({ state: 'detached' });
      await listPage(ada)
        .row('Stand-up notes')
        .getByRole('img', { name: /^Repeats every day until [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}$/ })
        .waitFor();
      await listPage(ada).checkbox('Stand-up notes').click();
      expect(await listPage(ada).checkbox('Stand-up notes').isChecked()).toBe(true);
      await expect
        .poll(async () => {
          const task = (await owner.client.get(`/api/v1/tasks/${standUp.id}`)).body;
          return [task.done, task.dueDate];
        })
        .toEqual([true, today]);
      await expect.poll(() => listPage(bea).checkbox('Stand-up notes').isChecked()).toBe(true);
    });
  }, 40_000);

  it('completed in Upcoming, a daily task moves to Tomorrow at once; in Assigned to me it stays open on its next date', async () => {
    const ada = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('repeating-upcoming', ada, async () => {
      const today = localDateString(new Date());
      const owner = await createUser(server!.baseUrl, 'Ada Planner');
      const home = await createList(owner.client, 'Home');
      await createTask(owner.client, home.id, 'Water plants', { dueDate: today, recurrence: { every: 'day' } });
      const weekly = await createTask(owner.client, home.id, 'Call mum', { dueDate: today, recurrence: { every: 'week' } });
      await owner.client.patch(`/api/v1/tasks/${weekly.id}`, { assigneeId: owner.user.id });
      await signIn(ada, owner, 'Home');

      await ada.getByRole('link', { name: 'Upcoming' }).click();
      const section = (title: string) => ada.locator('.upcoming-group').filter({ has: ada.getByRole('button', { name: title, exact: true }) });
      await section('Water plants')
        .getByRole('heading', { name: /^Today/ })
        .waitFor();
      await section('Water plants').getByRole('img', { name: 'Repeats every day' }).waitFor();
      await ada.getByRole('checkbox', { name: 'Complete “Water plants”' }).click();
      await section('Water plants')
        .getByRole('heading', { name: /^Tomorrow/ })
        .waitFor();
      expect(await ada.getByRole('checkbox', { name: 'Complete “Water plants”' }).isChecked()).toBe(false);
      // The focus stays on its checkbox, in its new place.
      expect(await ada.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Complete “Water plants”');
      // A weekly one moves past the week shown.
      await ada.getByRole('checkbox', { name: 'Complete “Call mum”' }).click();
      await ada.getByRole('button', { name: 'Call mum', exact: true }).waitFor({ state: 'detached' });
      await expect.poll(async () => ((await owner.client.get(`/api/v1/tasks/${weekly.id}`)).body as { dueDate: string }).dueDate).toBe(addDays(today, 7));

      await ada.getByRole('link', { name: 'Assigned to me' }).click();
      const row = ada.locator('.assigned-task').filter({ has: ada.getByRole('button', { name: 'Call mum', exact: true }) });
      await row.getByRole('img', { name: 'Repeats every week' }).waitFor();
      await ada.getByRole('checkbox', { name: 'Complete “Call mum”' }).click();
      expect(await ada.getByRole('checkbox', { name: 'Complete “Call mum”' }).isChecked()).toBe(false);
      await ada.getByText('“Call mum” repeats. Next:', { exact: false }).first().waitFor();
      await expect.poll(async () => ((await owner.client.get(`/api/v1/tasks/${weekly.id}`)).body as { dueDate: string }).dueDate).toBe(addDays(today, 14));
    });
  }, 40_000);

  it('completed in Upcoming after someone else completed that occurrence, a daily task is not moved on twice', async () => {
    const bea = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('repeating-stale', bea, async () => {
      const today = localDateString(new Date());
      const tomorrow = addDays(today, 1);
      const owner = await createUser(server!.baseUrl, 'Ada Owner');
      const editor = await createUser(server!.baseUrl, 'Bea Editor');
      const chores = await createList(owner.client, 'Chores');
      await shareList(owner.client, chores.id, editor, 'editor');
      const plants = await createTask(owner.client, chores.id, 'Water plants', { dueDate: today, recurrence: { every: 'day' } });
      await signIn(bea, editor, 'Chores');
      await bea.getByRole('link', { name: 'Upcoming' }).click();
      const section = (title: string) => bea.locator('.upcoming-group').filter({ has: bea.getByRole('button', { name: title, exact: true }) });
      await section('Water plants')
        .getByRole('heading', { name: /^Today/ })
        .waitFor();
      // Ada completes today's from another device; Bea's Upcoming still shows it due today.
      await owner.client.patch(`/api/v1/tasks/${plants.id}`, { done: true });
      const answer = bea.waitForResponse((response) => response.url().endsWith(`/tasks/${plants.id}`) && response.request().method() === 'PATCH');
      await bea.getByRole('checkbox', { name: 'Complete “Water plants”' }).click();
      await bea.getByText('“Water plants” repeats. Next:', { exact: false }).first().waitFor();
      await answer;
      // Still tomorrow once the answer came: the occurrence Bea saw was done already.
      expect(((await owner.client.get(`/api/v1/tasks/${plants.id}`)).body as { dueDate: string }).dueDate).toBe(tomorrow);
      await section('Water plants')
        .getByRole('heading', { name: /^Tomorrow/ })
        .waitFor();
    });
  }, 40_000);

  it('Undo in the toast puts a repeating task’s previous due date back, in a list and in Upcoming', async () => {
    const ada = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('repeating-undo', ada, async () => {
      const today = localDateString(new Date());
      const owner = await createUser(server!.baseUrl, 'Ada Undoer');
      const home = await createList(owner.client, 'Home');
      const bins = await createTask(owner.client, home.id, 'Take out bins', { dueDate: today, recurrence: { every: 'week' } });
      const plants = await createTask(owner.client, home.id, 'Water plants', { dueDate: today, recurrence: { every: 'day' } });
      const dueOf = async (id: string) => ((await owner.client.get(`/api/v1/tasks/${id}`)).body as { dueDate: string }).dueDate;
      await signIn(ada, owner, 'Home');

      await listPage(ada).checkbox('Take out bins').click();
      const binsToast = ada.locator('.toast').filter({ hasText: '“Take out bins” repeats. Next:' });
      await expect.poll(() => dueOf(bins.id)).toBe(addDays(today, 7));
      await binsToast.getByRole('button', { name: 'Undo' }).click();
      await binsToast.waitFor({ state: 'detached' });
      await expect.poll(() => dueOf(bins.id)).toBe(today);
      expect((await owner.client.get(`/api/v1/tasks/${bins.id}`)).body.recurrence).toEqual({ every: 'week' });

      await ada.getByRole('link', { name: 'Upcoming' }).click();
      const section = (title: string) => ada.locator('.upcoming-group').filter({ has: ada.getByRole('button', { name: title, exact: true }) });
      await ada.getByRole('checkbox', { name: 'Complete “Water plants”' }).click();
      await section('Water plants')
        .getByRole('heading', { name: /^Tomorrow/ })
        .waitFor();
      await expect.poll(() => dueOf(plants.id)).toBe(addDays(today, 1));
      await ada.locator('.toast').filter({ hasText: '“Water plants” repeats. Next:' }).getByRole('button', { name: 'Undo' }).click();
      await section('Water plants')
        .getByRole('heading', { name: /^Today/ })
        .waitFor();
      await expect.poll(() => dueOf(plants.id)).toBe(today);
    });
  }, 40_000);
});
