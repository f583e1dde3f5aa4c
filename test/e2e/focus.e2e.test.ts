/**
 * Where the keyboard focus goes when the control that had it goes away or cannot keep it, in Chromium against a real
 * server: never to the page's <body> (a screen reader and the next Tab start again from the top). Inviting to a team
 * workspace (the Invite button, busy, used to be disabled under the focus), closing the Repeat control's Custom… form,
 * choosing a place in the phone drawer and going Back, and Upcoming's "Try again" once it worked. Needs `dist/web`
 * (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateString } from '../../src/web/lib/due-dates.js';
import { createList, createTask, createUser } from '../support/client.js';
import { createTeamWorkspace } from '../support/sharing.js';
import { allowConsoleErrors, hasChromium, launchChromium, newE2ePage, requireChromium, startE2eServer, withScreenshot, type E2eServer } from './support.js';

requireChromium();

/** What has the focus: its tag, id and accessible label or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return 'body';
    return `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''} ${active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 40) ?? ''}`;
  });

describe.skipIf(!hasChromium)('the focus in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  async function signIn(page: Page, person: { email: string; password: string }) {
    await page.goto(server!.baseUrl);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('link', { name: 'Upcoming' })
      .or(page.getByRole('button', { name: 'Show lists' }))
      .first()
      .waitFor();
  }

  it('Invite keeps the focus in the dialog: the email field after a refusal, the link’s Copy button after it worked', async () => {
    allowConsoleErrors(/400/);
    const page = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('focus-invite', page, async () => {
      const admin = await createUser(server!.baseUrl, 'Ada Admin');
      await createTeamWorkspace(admin.client, 'Acme');
      await signIn(page, admin);
      await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption({ label: 'Acme · Admin' });
      await page.getByRole('button', { name: 'People in Acme' }).click();
      const dialog = page.getByRole('dialog', { name: 'People in Acme' });
      const email = dialog.getByLabel('Email of the person to invite');
      await email.fill('not an address');
      await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
      await dialog.getByRole('alert').waitFor();
      await expect.poll(() => focused(page)).toMatch(/^input#/);
      await email.fill(`bea.${Date.now()}@example.com`);
      await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
      await dialog.getByRole('status').filter({ hasText: 'Invited' }).waitFor();
      await expect.poll(() => focused(page)).toBe('button Copy');
    });
  }, 30_000);

  it('closing the Custom… repeat form gives the focus to the Repeat menu', async () => {
    const page = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('focus-repeat', page, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Planner');
      const home = await createList(ada.client, 'Home');
      await createTask(ada.client, home.id, 'Water plants', { dueDate: localDateString(new Date()) });
      await signIn(page, ada);
      await page.getByRole('link', { name: 'Home' }).click();
      await page.getByRole('button', { name: 'Details of “Water plants”' }).click();
      const details = page.getByRole('dialog', { name: 'Water plants' });
      const repeat = details.getByLabel('Repeat', { exact: true });
      await repeat.selectOption('custom');
      await details.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => focused(page)).toMatch(/^select#/);
      await repeat.selectOption('custom');
      await details.getByRole('button', { name: 'Save repeat' }).click();
      await details.getByText('Repeats every week', { exact: false }).waitFor();
      expect(await focused(page)).toMatch(/^select#/);
      expect(await repeat.evaluate((select) => select === document.activeElement)).toBe(true);
    });
  }, 30_000);

  it('on a phone, a place chosen in the drawer, and Back, give the focus to the panel’s heading', async () => {
    const page = await newE2ePage(browser!, { width: 390, height: 844 }, contexts);
    await withScreenshot('focus-phone', page, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Phone');
      await createList(ada.client, 'Home');
      await signIn(page, ada);
      await page.getByRole('button', { name: 'Show lists' }).click();
      await page.getByRole('link', { name: 'Upcoming' }).click();
      await page.getByRole('heading', { level: 1, name: 'Upcoming' }).waitFor();
      await expect.poll(() => focused(page)).toBe('h1#upcoming-title Upcoming');
      await page.getByRole('button', { name: 'Show lists' }).click();
      await page.getByRole('link', { name: 'Assigned to me' }).click();
      await expect.poll(() => focused(page)).toBe('h1#assigned-title Assigned to me');
      await page.getByRole('button', { name: 'Show lists' }).click();
      await page.getByRole('link', { name: 'Home' }).click();
      await expect.poll(() => focused(page)).toBe('h1#list-title Home');
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Assigned to me' }).waitFor();
      await expect.poll(() => focused(page)).toBe('h1#assigned-title Assigned to me');
    });
  }, 30_000);

  it('Upcoming’s Try again, once it worked, leaves the focus on the heading', async () => {
    allowConsoleErrors(/500/);
    const page = await newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
    await withScreenshot('focus-try-again', page, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Retry');
      await createList(ada.client, 'Home');
      await signIn(page, ada);
      const failing = '**/api/v1/tasks/due**';
      await page.route(failing, (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Internal', status: 500, code: 'internal_error', detail: 'Something went wrong on our side.' }),
        }),
      );
      await page.getByRole('link', { name: 'Upcoming' }).click();
      const tryAgain = page.getByRole('button', { name: 'Try again' });
      await tryAgain.waitFor();
      await page.unroute(failing);
      await tryAgain.click();
      await tryAgain.waitFor({ state: 'detached' });
      await expect.poll(() => focused(page)).toBe('h1#upcoming-title Upcoming');
    });
  }, 30_000);
});
