/**
 * End to end, in Chromium against a real server: small things a person notices — a checked box that
 * keeps its tick under the pointer, focus rings, counts, the phone layout, the phone drawer from the
 * keyboard, a link to a list that is not there, and the share dialog's pending invitations.
 * Needs `dist/web` (`npm test` builds it).
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
import { createList as createListByApi, createUser } from '../support/client.js';

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

  /** The owner invites someone by email from the open list's share dialog (opened if need be); the dialog stays open. */
  async function invite(owner: Page, listName: string, inviteeEmail: string) {
    const dialog = owner.getByRole('dialog', { name: `Share “${listName}”` });
    if (!(await dialog.isVisible())) await owner.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByLabel('Email address to invite').fill(inviteeEmail);
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog.getByRole('list', { name: 'Pending invitations' }).getByText(inviteeEmail).waitFor();
    return dialog;
  }

  /** The invitee accepts the invitation from the sidebar; the list opens. */
  async function accept(inviteePage: Page, listName: string) {
    await inviteePage.reload();
    await inviteePage.getByRole('button', { name: `Accept the invitation to “${listName}”` }).click();
    await inviteePage.getByRole('heading', { level: 1, name: listName }).waitFor();
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

  it('the current list in the sidebar shows the focus ring when reached with Tab', async () => {
    const page = await desktop();
    await scenario('focus-current-list', page, async () => {
      await signUp(page, server!.baseUrl, person('Focus Tester'));
      await createList(page, 'Groceries');
      const current = page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Groceries' });
      expect(await current.getAttribute('aria-current')).toBe('page');
      // Tab from the top of the page until the current list has the focus.
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      for (let presses = 0; presses < 30 && !(await current.evaluate((link) => link === document.activeElement)); presses++) await page.keyboard.press('Tab');
      expect(await current.evaluate((link) => link === document.activeElement && link.matches(':focus-visible'))).toBe(true);
      // The ring is the app's focus shadow (3px of the accent), not the current item's faint card shadow.
      expect(await current.evaluate((link) => getComputedStyle(link).boxShadow)).toContain('rgba(91, 91, 214, 0.45) 0px 0px 0px 3px');
    });
  }, 30_000);

  it('"Assigned to me" counts open tasks in words that agree with the number', async () => {
    const page = await desktop();
    const me = person('Assignee Tester');
    await scenario('assigned-count', page, async () => {
      await signUp(page, server!.baseUrl, me);
      await createList(page, 'Groceries');
      await addTask(page, 'Milk');
      await page.getByRole('button', { name: 'Details of “Milk”' }).click();
      const details = page.getByRole('dialog', { name: 'Milk' });
      await details.getByLabel('Assignee').selectOption({ label: `${me.name} (you) · ${me.email}` });
      await listPage(page)
        .row('Milk')
        .getByRole('img', { name: `Assigned to you (${me.name})` })
        .waitFor();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });

      await page.getByRole('link', { name: 'Assigned to me' }).click();
      await page.getByRole('heading', { level: 1, name: 'Assigned to me' }).waitFor();
      const count = page.locator('.assigned-panel .list-progress');
      await expect.poll(() => count.textContent()).toBe('1 open task');
      await listPage(page).checkbox('Milk').click();
      await expect.poll(() => listPage(page).checkbox('Milk').isChecked()).toBe(true);
      await expect.poll(() => count.textContent()).toBe('0 open tasks');
    });
  }, 30_000);

  it('on a phone, the list header gives the name the full width and puts the actions below it', async () => {
    const page = await phone();
    await scenario('phone-header', page, async () => {
      await signUp(page, server!.baseUrl, person('Phone Tester'));
      await page.getByRole('textbox', { name: 'Name of your first list' }).fill('Groceries');
      await page.getByRole('textbox', { name: 'Name of your first list' }).press('Enter');
      const title = page.getByRole('heading', { level: 1, name: 'Groceries' });
      await title.waitFor();
      await addTask(page, 'Milk');
      await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');

      // "Groceries" on one line, the heading across most of the screen.
      const lineHeight = await title.evaluate((h1) => parseFloat(getComputedStyle(h1).lineHeight));
      const titleBox = (await title.boundingBox())!;
      expect(titleBox.height).toBeLessThan(lineHeight * 1.5);
      const headingBox = (await page.locator('.list-heading').boundingBox())!;
      expect(headingBox.width).toBeGreaterThan(390 * 0.8);
      // The progress and the save state read on one line each, not word by word.
      for (const part of [page.locator('.list-progress > span').first(), page.locator('.sync-state')]) {
        const box = (await part.boundingBox())!;
        expect(box.height).toBeLessThan(14 * 1.5 * 1.5);
      }
      // The actions are still there, below the name, inside the screen.
      const share = (await page.getByRole('button', { name: 'Share', exact: true }).boundingBox())!;
      expect(share.y).toBeGreaterThanOrEqual(titleBox.y + titleBox.height);
      const deleteButton = (await page.getByRole('button', { name: 'Delete list' }).boundingBox())!;
      expect(deleteButton.x + deleteButton.width).toBeLessThanOrEqual(390);
    });
  }, 30_000);

  it('on a phone, the share dialog shows members’ full names, the role control below them', async () => {
    const owner = await phone();
    const member = await desktop();
    const bea = person('Beatrice Bakersfield');
    await scenario('phone-share', { owner, member }, async () => {
      await signUp(member, server!.baseUrl, bea);
      await signUp(owner, server!.baseUrl, person('Phone Owner'));
      await owner.getByRole('textbox', { name: 'Name of your first list' }).fill('Groceries');
      await owner.getByRole('textbox', { name: 'Name of your first list' }).press('Enter');
      await owner.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      const dialog = await invite(owner, 'Groceries', bea.email);
      await accept(member, 'Groceries');

      // The owner's dialog shows Bea once her membership is known (reopened, in case it is not live).
      await owner.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await owner.getByRole('button', { name: 'Share', exact: true }).click();
      const people = dialog.getByRole('list', { name: 'People with access' });
      const row = people.getByRole('listitem').filter({ hasText: bea.email });
      await row.getByRole('combobox', { name: `Role of ${bea.name}` }).waitFor();

      // Her name is whole, on one line, not cut to a letter; her email has most of the row (a long one may end in …).
      const rowBox = (await row.boundingBox())!;
      const name = row.getByText(bea.name, { exact: true });
      expect(await name.evaluate((node) => node.scrollWidth <= node.clientWidth)).toBe(true);
      const nameBox = (await name.boundingBox())!;
      expect(nameBox.height).toBeLessThan(14.5 * 1.3 * 1.5);
      expect(nameBox.width).toBeGreaterThan(bea.name.length * 6);
      const emailBox = (await row.getByText(bea.email, { exact: true }).boundingBox())!;
      expect(emailBox.width).toBeGreaterThan(rowBox.width * 0.6);
      // The role and the remove button stay inside the dialog.
      const dialogBox = (await dialog.boundingBox())!;
      for (const control of [row.getByRole('combobox', { name: `Role of ${bea.name}` }), row.getByRole('button', { name: `Remove ${bea.name}` })]) {
        const box = (await control.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(dialogBox.x + dialogBox.width);
      }
    });
  }, 40_000);

  it('on a phone, the lists drawer opened from the keyboard takes the focus, keeps it, and Escape closes it', async () => {
    const page = await phone();
    await scenario('phone-drawer', page, async () => {
      await signUp(page, server!.baseUrl, person('Drawer Tester'));
      await page.getByRole('textbox', { name: 'Name of your first list' }).fill('Groceries');
      await page.getByRole('textbox', { name: 'Name of your first list' }).press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      const showLists = page.getByRole('button', { name: 'Show lists' });
      const focusInSidebar = () => page.evaluate(() => document.querySelector('#sidebar')!.contains(document.activeElement));

      await showLists.focus();
      await page.keyboard.press('Enter');
      expect(await showLists.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(focusInSidebar).toBe(true);
      // On the open list (not the search box, which would bring up a phone's keyboard).
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Groceries');
      // Tab goes round the drawer (and out to the browser, as from a dialog): the page behind it never takes the focus.
      const outsideDrawer = () =>
        page.evaluate(() =>
          document.activeElement === document.body || document.querySelector('#sidebar')!.contains(document.activeElement)
            ? null
            : document.activeElement?.outerHTML.slice(0, 120),
        );
      for (let presses = 0; presses < 15; presses++) {
        await page.keyboard.press('Tab');
        expect(await outsideDrawer()).toBeNull();
      }
      await page.keyboard.press('Shift+Tab');
      expect(await outsideDrawer()).toBeNull();
      await page.getByRole('button', { name: 'Sign out' }).focus();
      // Escape closes it and gives the focus back to "Show lists".
      await page.keyboard.press('Escape');
      await expect.poll(() => showLists.getAttribute('aria-expanded')).toBe('false');
      await expect.poll(() => showLists.evaluate((button) => button === document.activeElement)).toBe(true);

      // From the search box too, once it is empty: its first Escape clears it, the next closes the drawer.
      await page.keyboard.press('Enter');
      await expect.poll(focusInSidebar).toBe(true);
      const search = page.getByRole('searchbox', { name: 'Search tasks' });
      await search.focus();
      await page.keyboard.type('mil');
      await page.keyboard.press('Escape');
      await expect.poll(() => search.inputValue()).toBe('');
      expect(await showLists.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
      await expect.poll(() => showLists.getAttribute('aria-expanded')).toBe('false');
      await expect.poll(() => showLists.evaluate((button) => button === document.activeElement)).toBe(true);
    });
  }, 30_000);

  it('a link to a list that is not there says so, then opens the first list; deleting one’s own list does not', async () => {
    const page = await desktop();
    const notThere = 'This list doesn’t exist, or you no longer have access to it.';
    await scenario('unknown-list', page, async () => {
      await signUp(page, server!.baseUrl, person('Link Tester'));
      await createList(page, 'Groceries');
      const groceries = new URL(page.url()).pathname;

      for (const address of ['/lists/0b6f1c9e-3d7a-4c1b-9e2f-5a4d8c7b6e10', '/lists/garbage']) {
        await page.goto(`${server!.baseUrl}${address}`);
        await page.getByText(notThere).waitFor();
        await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
        expect(new URL(page.url()).pathname).toBe(groceries);
      }

      // An address that names a list that is there opens it, without the message.
      await page.goto(`${server!.baseUrl}${groceries}`);
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await listPage(page).syncState();
      expect(await page.getByText(notThere).count()).toBe(0);

      // Deleting the open list says it was deleted, not that it is not there.
      await createList(page, 'Old plans');
      await page.getByRole('button', { name: 'Delete list' }).click();
      await page.getByRole('dialog', { name: 'Delete “Old plans”?' }).getByRole('button', { name: 'Delete list' }).click();
      await page.getByText('Deleted list “Old plans”').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      expect(await page.getByText(notThere).count()).toBe(0);
    });
  }, 30_000);

  it('the share dialog’s pending invitations follow the invitees’ answers', async () => {
    const owner = await desktop();
    const bea = await desktop();
    const cy = await desktop();
    const beaPerson = person('Bea Accepts');
    const cyPerson = person('Cy Declines');
    await scenario('pending-invitations', { owner, bea, cy }, async () => {
      await signUp(bea, server!.baseUrl, beaPerson);
      await signUp(cy, server!.baseUrl, cyPerson);
      await signUp(owner, server!.baseUrl, person('Inviting Owner'));
      await createList(owner, 'Groceries');
      await invite(owner, 'Groceries', cyPerson.email);
      const dialog = await invite(owner, 'Groceries', beaPerson.email);
      const pending = dialog.getByRole('list', { name: 'Pending invitations' });

      // Bea accepts while the owner's dialog is open: her invitation leaves "Pending", she is in "People with access".
      await accept(bea, 'Groceries');
      await dialog.getByRole('list', { name: 'People with access' }).getByText(beaPerson.email).waitFor();
      await expect.poll(() => pending.getByText(beaPerson.email).count()).toBe(0);

      // Cy declines: the row leaves the owner's open dialog too, with nobody added.
      await cy.getByRole('button', { name: 'Decline the invitation to “Groceries”' }).click();
      await expect.poll(() => cy.getByRole('button', { name: 'Decline the invitation to “Groceries”' }).count()).toBe(0);
      await expect.poll(() => dialog.getByText(cyPerson.email).count()).toBe(0);
    });
  }, 40_000);

  it('opening the app, signed out or in, logs no error in the console (no 401 for asking who is signed in)', async () => {
    const page = await desktop();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await scenario('signed-out-console', page, async () => {
      await page.goto(server!.baseUrl);
      await page.getByRole('button', { name: 'Create an account' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(errors).toEqual([]);

      // Nor does a signed-in visit, reloaded.
      await signUp(page, server!.baseUrl, person('Quiet Console'));
      await createList(page, 'Groceries');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(errors).toEqual([]);
    });
  }, 30_000);

  it("a part that cannot be loaded (billing's code, after a deploy) says so in its place; the rest of the app goes on", async () => {
    const page = await desktop();
    allowConsoleErrors(/ERR_FAILED/, /dynamically imported module|Importing a module script failed|BillingScreen/);
    await scenario('load-failure', page, async () => {
      await signUp(page, server!.baseUrl, person('Chunk Loser'));
      await createList(page, 'Groceries');
      await page.route('**/assets/BillingScreen-*.js', (route) => route.abort());
      await page.getByRole('link', { name: 'Billing' }).click();
      await page.getByRole('alert').filter({ hasText: 'Billing could not be loaded' }).waitFor();
      await page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Groceries' }).click();
      await page.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor();
    });
  }, 30_000);

  it('a list still being created takes tasks at once, shows them waiting, and creates them once the server has it', async () => {
    const page = await desktop();
    await scenario('task-in-new-list', page, async () => {
      await signUp(page, server!.baseUrl, person('Quick Typer'));
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/v1/lists', async (route) => {
        if (route.request().method() === 'POST') await held; // the server's answer comes late
        await route.continue();
      });
      // The first list opens at once, before the server has answered.
      const firstList = page.getByRole('textbox', { name: 'Name of your first list' });
      await firstList.fill('Slow');
      await firstList.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Slow' }).waitFor();
      const add = page.getByRole('textbox', { name: 'Add a task' });
      await add.press('E');
      await add.press('Enter');
      expect(await add.inputValue()).toBe('');
      expect(await listPage(page).titles()).toEqual(['E']); // shown, waiting for the list
      expect(await page.locator('.list-progress > span').first().textContent()).toBe('1 task · 0 done'); // and counted
      release();
      await page.waitForURL(/\/lists\/[0-9a-f-]{36}$/);
      await addTask(page, 'Early');
      await expect.poll(() => listPage(page).titles()).toEqual(['E', 'Early']);
      await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
    });
  }, 30_000);

  it('the save state reads at a contrast of at least 4.5:1', async () => {
    const page = await desktop();
    await scenario('sync-contrast', page, async () => {
      await signUp(page, server!.baseUrl, person('Contrast Tester'));
      await createList(page, 'Groceries');
      await expect.poll(() => listPage(page).syncState()).toBe('All changes saved');
      const ratio = await page.locator('.sync-state').evaluate((element) => {
        const rgb = (color: string) => color.match(/[\d.]+/g)!.map(Number);
        const luminance = ([r, g, b]: number[]) =>
          [r!, g!, b!]
            .map((channel) => {
              const c = channel / 255;
              return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            })
            .reduce((sum, c, index) => sum + c * [0.2126, 0.7152, 0.0722][index]!, 0);
        // The first opaque background behind the text.
        let behind: Element | null = element;
        while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
        const text = luminance(rgb(getComputedStyle(element).color));
        const background = luminance(rgb(behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)'));
        return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
      });
      expect(ratio).toBeGreaterThanOrEqual(4.5);
    });
  }, 30_000);

  it('on a phone, the menu button shows that an invitation or a notification waits in the closed drawer', async () => {
    const page = await phone();
    await scenario('phone-news', page, async () => {
      const ada = await createUser(server!.baseUrl, 'Ada Sharer');
      const bea = await createUser(server!.baseUrl, 'Bea Phone');
      const trip = await createListByApi(ada.client, 'Trip');
      await page.goto(server!.baseUrl);
      await page.getByLabel('Email').fill(bea.email);
      await page.getByLabel('Password').fill(bea.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const menu = page.getByRole('button', { name: /^Show lists/ });
      await menu.waitFor();
      expect(await menu.getAttribute('aria-label')).toBe('Show lists');
      expect(await page.locator('.topbar .menu-news-dot').count()).toBe(0);
      await ada.client.post(`/api/v1/lists/${trip.id}/members`, { email: bea.email, role: 'editor' });
      // Seen at the next refresh of the notifications: coming back to the window is one.
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await expect.poll(() => menu.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/^Show lists \(.*1 invitation\)$/);
      expect(await page.locator('.topbar .menu-news-dot').isVisible()).toBe(true);
    });
  }, 30_000);
});
