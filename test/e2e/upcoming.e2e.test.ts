/**
 * The Upcoming view in Chromium against a real server: a person with tasks due yesterday, today, in three days and in
 * thirty, on a list of their own and one shared by someone else, sees Overdue, Today and the weekday's section in that
 * order with the right tasks (not the far one, until "Show later tasks"); completes a task there and finds it done in
 * its list; opens a task there and gets its details in its list. Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateString } from '../../src/web/lib/due-dates.js';
import { addDays } from '../../src/web/lib/due-days.js';
import { createList, createTask, createUser } from '../support/client.js';
import { shareList } from '../support/sharing.js';
import {
  allowConsoleErrors,
  hasChromium,
  launchChromium,
  listPage,
  newE2ePage,
  requireChromium,
  startE2eServer,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

describe.skipIf(!hasChromium)('the Upcoming view in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let page: Page;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    page = await newE2ePage(browser, { width: 1280, height: 860 }, contexts);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  /** The headings of the panel's sections, in order, and the task titles under each. */
  const sections = () =>
    page.locator('.upcoming-group').evaluateAll((groups) =>
      groups.map((group) => ({
        heading: group.querySelector('h2')?.textContent ?? '',
        titles: Array.from(group.querySelectorAll('.assigned-title')).map((title) => title.textContent),
      })),
    );

  it('shows what is due by day across lists, completes a task in its list, and opens one in its list', async () => {
    await withScreenshot('upcoming', page, async () => {
      // The browser runs on this machine, in its time zone: "today" is the same day for both.
      const today = localDateString(new Date());
      const inThree = addDays(today, 3);
      const bea = await createUser(server!.baseUrl, 'Bea Sharer');
      const chores = await createList(bea.client, 'Team chores');
      const ada = await createUser(server!.baseUrl, 'Ada Planner');
      await shareList(bea.client, chores.id, ada, 'editor');
      const home = await createList(ada.client, 'Home');
      await createTask(ada.client, home.id, 'Pay rent', { dueDate: addDays(today, -1), priority: 1 });
      await createTask(ada.client, home.id, 'Water plants', { dueDate: today });
      await createTask(ada.client, home.id, 'Book flights', { dueDate: addDays(today, 30) });
      await createTask(ada.client, home.id, 'Someday', {});
      const done = await createTask(ada.client, home.id, 'Already done', { dueDate: today });
      await ada.client.patch(`/api/v1/tasks/${done.id}`, { done: true });
      await createTask(bea.client, chores.id, 'Take out bins', { dueDate: { dateTime: `${today}T09:30`, timeZone: 'Europe/Paris' } });
      await createTask(bea.client, chores.id, 'Clean fridge', { dueDate: inThree });

      await page.goto(server!.baseUrl);
      await page.getByLabel('Email').fill(ada.email);
      await page.getByLabel('Password').fill(ada.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Upcoming' }).click();
      await page.getByRole('heading', { level: 1, name: 'Upcoming' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/upcoming');
      await page.getByRole('button', { name: 'Clean fridge', exact: true }).waitFor();

      const weekday = new Date(`${inThree}T12:00`).toLocaleDateString('en-US', { weekday: 'long' });
      const shown = await sections();
      expect(shown.map((section) => section.heading.split(' · ')[0]!.split(',')[0])).toEqual(['Overdue', 'Today', weekday]);
      expect(shown.map((section) => section.titles)).toEqual([['Pay rent'], ['Water plants', 'Take out bins'], ['Clean fridge']]);
      // Each row says which list it is on, and its time if it has one.
      const row = (title: string) => page.locator('.upcoming-task').filter({ has: page.getByRole('button', { name: title, exact: true }) });
      await expect.poll(() => row('Take out bins').textContent()).toMatch(/Team chores.*09:30/);
      await expect.poll(() => row('Pay rent').textContent()).toMatch(/Home.*P1.*Yesterday/);
      // One Tab stop per day's list.
      const tabbable = await page
        .locator('.upcoming-group ul')
        .evaluateAll((lists) =>
          lists.map((list) => Array.from(list.querySelectorAll<HTMLElement>('input, button')).filter((control) => control.tabIndex === 0).length),
        );
      expect(tabbable).toEqual([1, 1, 1]);

      // Completing from the panel: shown done here, and done in its list.
      await page.getByRole('checkbox', { name: 'Complete “Water plants”' }).check();
      await expect
        .poll(
          async () =>
            ((await ada.client.get(`/api/v1/lists/${home.id}/tasks`)).body.items as { title: string; done: boolean }[]).find(
              (task) => task.title === 'Water plants',
            )?.done,
        )
        .toBe(true);
      expect(await page.getByRole('checkbox', { name: 'Complete “Water plants”' }).isChecked()).toBe(true);
      await page.getByRole('link', { name: 'Home' }).click();
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      await expect.poll(() => listPage(page).checkbox('Water plants').isChecked()).toBe(true);

      // Back in Upcoming the completed task is gone; later tasks show on asking.
      await page.getByRole('link', { name: 'Upcoming' }).click();
      await page.getByRole('button', { name: 'Clean fridge', exact: true }).waitFor();
      await expect.poll(async () => (await sections()).flatMap((section) => section.titles)).toEqual(['Pay rent', 'Take out bins', 'Clean fridge']);
      await page.getByRole('button', { name: 'Show later tasks' }).click();
      await page.getByRole('button', { name: 'Book flights', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Show only the next 7 days' }).click();
      await page.getByRole('button', { name: 'Book flights', exact: true }).waitFor({ state: 'detached' });

      // Opening a task of the shared list: its list opens, with the task's details.
      await page.getByRole('button', { name: 'Clean fridge', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Team chores' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/lists/${chores.id}`);
      await page.getByRole('dialog', { name: 'Clean fridge' }).waitFor();
    });
  }, 40_000);

  it('a Refresh that fails after a good load says so above the tasks still shown; Refresh looks busy while it works', async () => {
    allowConsoleErrors(/500/);
    const own = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('upcoming-refresh', own, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Refresher');
      const home = await createList(ada.client, 'Home');
      await createTask(ada.client, home.id, 'Water plants', { dueDate: localDateString(new Date()) });
      await own.goto(server!.baseUrl);
      await own.getByLabel('Email').fill(ada.email);
      await own.getByLabel('Password').fill(ada.password);
      await own.getByRole('button', { name: 'Sign in' }).click();
      await own.getByRole('link', { name: 'Upcoming' }).click();
      await own.getByRole('button', { name: 'Water plants', exact: true }).waitFor();
      let answer = () => {};
      await own.route('**/api/v1/tasks/due**', (route) => {
        answer = () =>
          void route.fulfill({
            status: 500,
            contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Internal', status: 500, code: 'internal_error', detail: 'Something went wrong on our side.' }),
          });
      });
      const panel = own.locator('.upcoming-panel');
      const refresh = own.getByRole('button', { name: /^Refresh/ });
      await refresh.click();
      await expect.poll(() => refresh.getAttribute('aria-disabled')).toBe('true');
      expect(await panel.getAttribute('aria-busy')).toBe('true');
      answer();
      await panel.getByRole('alert').filter({ hasText: 'Could not refresh' }).waitFor();
      expect(await refresh.getAttribute('aria-disabled')).toBe('false');
      await own.getByRole('button', { name: 'Water plants', exact: true }).waitFor();
      await own.unroute('**/api/v1/tasks/due**');
      await refresh.click();
      await panel.getByRole('alert').waitFor({ state: 'detached' });
    });
  }, 30_000);

  it('on a phone, a long list name ends in an ellipsis within the row', async () => {
    const own = await newE2ePage(browser!, { width: 390, height: 844 }, contexts);
    await withScreenshot('upcoming-phone-names', own, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Phone');
      const home = await createList(ada.client, 'A rather long list name that goes on and on');
      await createTask(ada.client, home.id, 'Water plants', { dueDate: localDateString(new Date()) });
      await own.goto(`${server!.baseUrl}/upcoming`);
      await own.getByLabel('Email').fill(ada.email);
      await own.getByLabel('Password').fill(ada.password);
      await own.getByRole('button', { name: 'Sign in' }).click();
      await own.getByRole('button', { name: 'Water plants', exact: true }).waitFor();
      const name = own.locator('.upcoming-list bdi').first();
      const shown = await name.evaluate((element) => {
        const row = element.closest('li')!.getBoundingClientRect();
        return {
          textOverflow: getComputedStyle(element).textOverflow,
          cut: element.scrollWidth > element.clientWidth,
          inside: element.getBoundingClientRect().right <= row.right,
        };
      });
      expect(shown).toEqual({ textOverflow: 'ellipsis', cut: true, inside: true });
      expect(await own.locator('.upcoming-list').first().getAttribute('title')).toBe('A rather long list name that goes on and on');
    });
  }, 30_000);
});
