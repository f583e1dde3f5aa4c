/**
 * Two people on one list, in two Chromium contexts against one real server: each sees the other's
 * changes live (no reload) in the list, an open task's comments and the activity panel; who else is
 * viewing; their own changes at once even on a slow network; and changes made offline syncing once the
 * connection is back. Needs `dist/web` (`npm test` builds it).
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
  requireChromium,
  signUp,
  sleep,
  startE2eServer,
  watchConsole,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

/** "Live": a change made on one screen shows on the other within this, without reloading. */
const live = { timeout: 2_000, intervals: [50] };

describe.skipIf(!hasChromium)('real-time collaboration in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let a: Page;
  let b: Page;
  let listId: string;
  const stamp = Date.now();
  const ada = { name: 'Ada Lovelace', email: `ada.${stamp}@example.com`, password: 'correct horse battery' };
  const bob = { name: 'Bob Builder', email: `bob.${stamp}@example.com`, password: 'correct horse battery' };

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    contextA = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    contextB = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    a = await contextA.newPage();
    b = await contextB.newPage();
    a.setDefaultTimeout(5_000);
    b.setDefaultTimeout(5_000);
    watchConsole(a);
    watchConsole(b);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const A = () => listPage(a);
  const B = () => listPage(b);
  const scenario = (name: string, run: () => Promise<void>) => withScreenshot(`realtime-${name}`, { a, b }, run);

  it('shares a list: it appears in B’s sidebar live, B opens it, and A sees B among the viewers', async () => {
    await scenario('share', async () => {
      await signUp(a, server!.baseUrl, ada);
      await createList(a, 'Groceries');
      await expect.poll(() => a.url()).toMatch(/\/lists\/[0-9a-f-]{36}$/);
      listId = a.url().split('/').at(-1)!;
      await addTask(a, 'Milk');
      await expect.poll(() => A().syncState()).toBe('All changes saved');

      await signUp(b, server!.baseUrl, bob);

      // No sharing UI yet: A invites through the API, B accepts through the API.
      const invitationId = await a.evaluate(
        async ({ listId, email }) => {
          const response = await fetch(`/api/v1/lists/${listId}/members`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
            body: JSON.stringify({ email, role: 'editor' }),
          });
          if (response.status !== 201) throw new Error(`invitation failed: ${response.status} ${await response.text()}`);
          return ((await response.json()) as { invitation: { id: string } }).invitation.id;
        },
        { listId, email: bob.email },
      );
      await b.evaluate(async (id) => {
        const response = await fetch(`/api/v1/invitations/${id}/accept`, { method: 'POST', headers: { 'idempotency-key': crypto.randomUUID() } });
        if (response.status !== 200) throw new Error(`acceptance failed: ${response.status} ${await response.text()}`);
      }, invitationId);

      // B's screen hears `list.added` and opens the list (B had none).
      await b.getByRole('heading', { level: 1, name: 'Groceries' }).waitFor({ timeout: live.timeout });
      await expect.poll(() => B().titles()).toEqual(['Milk']);

      // A sees B's initials in the header; A does not see themself.
      const viewersOfA = a.getByRole('list', { name: 'Also viewing this list' });
      await viewersOfA.getByTitle('Bob Builder').waitFor({ timeout: live.timeout });
      expect(await viewersOfA.getByTitle('Bob Builder').textContent()).toContain('BB');
      expect(await viewersOfA.getByTitle('Ada Lovelace').count()).toBe(0);
      await b.getByRole('list', { name: 'Also viewing this list' }).getByTitle('Ada Lovelace').waitFor({ timeout: live.timeout });
    });
  }, 30_000);

  it('B sees A’s new and completed tasks live, and A sees B’s rename live', async () => {
    await scenario('live', async () => {
      await addTask(a, 'Bread');
      await expect.poll(() => B().titles(), live).toEqual(['Milk', 'Bread']);
      await addTask(a, 'Eggs');
      await expect.poll(() => B().titles(), live).toEqual(['Milk', 'Bread', 'Eggs']);

      await A().checkbox('Bread').click();
      await expect.poll(() => B().checkbox('Bread').isChecked(), live).toBe(true);
      expect(await B().checkbox('Milk').isChecked()).toBe(false);

      // B renames a task in place: A's screen follows.
      const title = B().row('Milk').getByRole('textbox', { name: 'Task title' });
      await title.fill('Oat milk');
      await title.press('Enter');
      await expect.poll(() => A().titles(), live).toEqual(['Oat milk', 'Bread', 'Eggs']);

      // B renames the list: A's heading and sidebar follow, and A keeps their own (owner) actions.
      await b.getByRole('button', { name: 'Rename list' }).click();
      await b.getByRole('textbox', { name: 'List name', exact: true }).fill('Groceries for the week');
      await b.getByRole('textbox', { name: 'List name', exact: true }).press('Enter');
      await a.getByRole('heading', { level: 1, name: 'Groceries for the week' }).waitFor({ timeout: live.timeout });
      await a.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Groceries for the week' }).waitFor({ timeout: live.timeout });
      expect(await a.getByRole('button', { name: 'Delete list' }).count()).toBe(1);

      // Both end saved, with nothing shown twice.
      await expect.poll(() => A().syncState()).toBe('All changes saved');
      await expect.poll(() => B().syncState()).toBe('All changes saved');
      expect(await A().titles()).toEqual(['Oat milk', 'Bread', 'Eggs']);
      expect(await B().titles()).toEqual(['Oat milk', 'Bread', 'Eggs']);
    });
  }, 30_000);

  it('a title A merely focused follows B’s rename and is not written back; Escape cancels A’s edit', async () => {
    await scenario('focused-title', async () => {
      const serverTitles = () =>
        a.evaluate(
          async (id) => ((await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { title: string }[] }).items.map((task) => task.title),
          listId,
        );
      const aEggs = a.getByRole('textbox', { name: 'Task title' }).nth(2);
      await aEggs.focus();
      const bEggs = B().row('Eggs').getByRole('textbox', { name: 'Task title' });
      await bEggs.fill('Eggs (12)');
      await bEggs.press('Enter');
      await expect.poll(() => aEggs.inputValue(), live).toBe('Eggs (12)');
      await a.keyboard.press('Tab'); // A leaves the field without having typed
      await expect.poll(() => A().syncState()).toBe('All changes saved');
      await sleep(300);
      expect(await serverTitles()).toEqual(['Oat milk', 'Bread', 'Eggs (12)']);
      expect(await B().titles()).toEqual(['Oat milk', 'Bread', 'Eggs (12)']);

      // A types, then thinks better of it: Escape puts the title back and saves nothing.
      const aBread = A().row('Bread').getByRole('textbox', { name: 'Task title' });
      await aBread.click();
      await a.keyboard.press('End');
      await a.keyboard.type(' rolls');
      await a.keyboard.press('Escape');
      expect(await aBread.inputValue()).toBe('Bread');
      await sleep(300);
      expect(await serverTitles()).toEqual(['Oat milk', 'Bread', 'Eggs (12)']);
      expect(await B().titles()).toEqual(['Oat milk', 'Bread', 'Eggs (12)']);

      // The same for notes in the task's details: focused, they follow B's edit, and leaving them saves nothing.
      const oatMilk = await a.evaluate(
        async (id) =>
          ((await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { id: string; title: string }[] }).items.find(
            (task) => task.title === 'Oat milk',
          )!.id,
        listId,
      );
      await a.getByRole('button', { name: 'Details of “Oat milk”' }).click();
      const detailsA = a.getByRole('dialog', { name: 'Oat milk' });
      const notesA = detailsA.getByRole('textbox', { name: 'Notes' });
      await notesA.focus();
      await b.evaluate(async (taskId) => {
        const response = await fetch(`/api/v1/tasks/${taskId}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ notes: 'Barista edition' }),
        });
        if (response.status !== 200) throw new Error(`notes not saved: ${response.status}`);
      }, oatMilk);
      await expect.poll(() => notesA.inputValue(), live).toBe('Barista edition');
      await a.keyboard.press('Tab');
      await sleep(300);
      expect(await a.evaluate(async (taskId) => ((await (await fetch(`/api/v1/tasks/${taskId}`)).json()) as { notes: string }).notes, oatMilk)).toBe(
        'Barista edition',
      );
      await detailsA.getByRole('button', { name: 'Close' }).click();
      await detailsA.waitFor({ state: 'detached' });

      // As the next tests expect it.
      const bRenamed = B().row('Eggs (12)').getByRole('textbox', { name: 'Task title' });
      await bRenamed.fill('Eggs');
      await bRenamed.press('Enter');
      await expect.poll(() => A().titles(), live).toEqual(['Oat milk', 'Bread', 'Eggs']);
    });
  }, 30_000);

  it('B demoted to viewer loses the editing controls at once, and gets them back when promoted', async () => {
    await scenario('demoted', async () => {
      const setBobRole = (role: string) =>
        a.evaluate(
          async ({ listId, email, role }) => {
            const members = ((await (await fetch(`/api/v1/lists/${listId}/members`)).json()) as { items: { userId: string; email: string }[] }).items;
            const bobId = members.find((member) => member.email === email)!.userId;
            const response = await fetch(`/api/v1/lists/${listId}/members/${bobId}`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ role }),
            });
            if (response.status !== 200) throw new Error(`role not changed: ${response.status}`);
          },
          { listId, email: bob.email, role },
        );
      const addTaskField = b.getByRole('textbox', { name: 'Add a task' });
      expect(await addTaskField.count()).toBe(1);
      await setBobRole('viewer');
      await expect.poll(() => addTaskField.count(), live).toBe(0);
      expect(await B().checkbox('Bread').isDisabled()).toBe(true);
      await setBobRole('editor');
      await expect.poll(() => addTaskField.count(), live).toBe(1);
    });
  }, 30_000);

  it('shows A’s own change before the server answers, with no flicker or duplicate when it does', async () => {
    await scenario('optimistic', async () => {
      await a.route('**/api/v1/**', async (route) => {
        await sleep(1_500);
        await route.continue().catch(() => undefined);
      });
      try {
        await a.getByRole('textbox', { name: 'Add a task' }).fill('Butter');
        const pressed = Date.now();
        await a.getByRole('textbox', { name: 'Add a task' }).press('Enter');
        await A().checkbox('Butter').waitFor({ timeout: 300 });
        expect(Date.now() - pressed).toBeLessThan(300 + 100); // press() itself takes a few ms
        expect(await A().syncState()).toBe('Saving…');

        // A completes it while the creation is still on its way.
        await A().checkbox('Butter').click();
        expect(await A().checkbox('Butter').isChecked()).toBe(true);

        // Record every title A shows until it is saved: never twice, never unchecked again.
        const seen: string[][] = [];
        const unchecked: boolean[] = [];
        while ((await A().syncState()) !== 'All changes saved') {
          seen.push(await A().titles());
          unchecked.push(!(await A().checkbox('Butter').isChecked()));
          await sleep(25);
        }
        expect(seen.every((titles) => titles.filter((t) => t === 'Butter').length === 1)).toBe(true);
        expect(unchecked.some(Boolean)).toBe(false);
      } finally {
        await a.unroute('**/api/v1/**');
      }
      expect(await A().titles()).toEqual(['Oat milk', 'Bread', 'Eggs', 'Butter']);
      await expect.poll(() => B().titles(), live).toEqual(['Oat milk', 'Bread', 'Eggs', 'Butter']);
      await expect.poll(() => B().checkbox('Butter').isChecked(), live).toBe(true);
    });
  }, 30_000);

  it('keeps A’s change made offline, shows it pending, and syncs it when the connection is back', async () => {
    allowConsoleErrors(/ERR_INTERNET_DISCONNECTED/); // requests and reconnects tried while offline
    await scenario('offline', async () => {
      await contextA.setOffline(true);
      await expect.poll(() => A().syncState()).toBe('Offline — changes will sync');
      await addTask(a, 'Jam');
      await A().checkbox('Jam').waitFor({ timeout: 300 });
      expect(await A().row('Jam').getAttribute('data-pending')).toBe('true');
      // A list rename made offline waits in the queue too, shown as A left it.
      await a.getByRole('button', { name: 'Rename list' }).click();
      await a.getByRole('textbox', { name: 'List name', exact: true }).fill('Weekend groceries');
      await a.getByRole('textbox', { name: 'List name', exact: true }).press('Enter');
      await a.getByRole('heading', { level: 1, name: 'Weekend groceries' }).waitFor({ timeout: 300 });
      await sleep(2_000); // past the request's own retries: the change waits in the queue
      expect(await A().syncState()).toBe('Offline — changes will sync');
      await a.getByRole('heading', { level: 1, name: 'Weekend groceries' }).waitFor({ timeout: 300 });
      expect(await B().titles()).not.toContain('Jam');
      // Meanwhile B adds one: A missed it, and gets it when its connection resumes from its last version.
      await addTask(b, 'Honey');
      await expect.poll(() => B().syncState()).toBe('All changes saved');
      expect(await A().titles()).not.toContain('Honey');

      await contextA.setOffline(false);
      await expect.poll(() => B().titles(), { timeout: 5_000 }).toEqual(['Oat milk', 'Bread', 'Eggs', 'Butter', 'Honey', 'Jam']);
      await b.getByRole('heading', { level: 1, name: 'Weekend groceries' }).waitFor({ timeout: 5_000 });
      await expect.poll(() => A().syncState(), { timeout: 5_000 }).toBe('All changes saved');
      await expect.poll(() => A().titles(), { timeout: 5_000 }).toEqual(['Oat milk', 'Bread', 'Eggs', 'Butter', 'Honey', 'Jam']);
      // Sent once: the retry carried the same Idempotency-Key.
      const count = await a.evaluate(
        async (id) =>
          ((await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { title: string }[] }).items.filter((t) => t.title === 'Jam').length,
        listId,
      );
      expect(count).toBe(1);
    });
  }, 30_000);

  it('drops A’s offline edit of a task B deleted meanwhile, with a toast, and stays consistent', async () => {
    allowConsoleErrors(/ERR_INTERNET_DISCONNECTED/, /status of 422/); // offline; then the server refuses the edit of a deleted task
    await scenario('deleted-meanwhile', async () => {
      await contextA.setOffline(true);
      await expect.poll(() => A().syncState()).toBe('Offline — changes will sync');
      const title = A().row('Eggs').getByRole('textbox', { name: 'Task title' });
      await title.fill('Free-range eggs');
      await title.press('Enter');

      await b.getByRole('button', { name: 'Delete “Eggs”' }).click();
      await expect.poll(() => B().syncState()).toBe('All changes saved');

      await contextA.setOffline(false);
      await a.getByText('was deleted by someone else, so your change was not saved.').waitFor();
      await expect.poll(() => A().titles(), { timeout: 5_000 }).toEqual(['Oat milk', 'Bread', 'Butter', 'Honey', 'Jam']);
      await expect.poll(() => A().syncState(), { timeout: 5_000 }).toBe('All changes saved');
      expect(await B().titles()).toEqual(['Oat milk', 'Bread', 'Butter', 'Honey', 'Jam']);
    });
  }, 30_000);

  it('shows B the comment A writes in B’s open task details, and A’s change at the top of B’s open activity', async () => {
    await scenario('comments-activity', async () => {
      await b.getByRole('button', { name: 'Details of “Bread”' }).click();
      const detailsB = b.getByRole('dialog', { name: 'Bread' });
      await detailsB.getByText('No comments yet.').waitFor();
      await a.getByRole('button', { name: 'Details of “Bread”' }).click();
      const detailsA = a.getByRole('dialog', { name: 'Bread' });
      const box = detailsA.getByRole('textbox', { name: 'Write a comment' });
      await box.fill('Wholemeal, please');
      await box.press('Control+Enter');
      const commentIn = (details: typeof detailsA) => details.getByRole('listitem').filter({ hasText: 'Wholemeal, please' });
      await commentIn(detailsB).waitFor({ timeout: live.timeout });
      // Once on each screen: A's own comment arrives both as the answer and as a change.
      await commentIn(detailsA).waitFor();
      await expect.poll(() => box.inputValue()).toBe('');
      await sleep(300);
      expect(await commentIn(detailsB).count()).toBe(1);
      expect(await commentIn(detailsA).count()).toBe(1);
      for (const [page, details] of [
        [a, detailsA],
        [b, detailsB],
      ] as const) {
        await page.keyboard.press('Escape');
        await details.waitFor({ state: 'detached' });
      }

      await b.getByRole('button', { name: 'Activity' }).click();
      const activityB = b.getByRole('dialog', { name: 'Activity' });
      const sentences = () => activityB.locator('.activity-sentence').allTextContents();
      await expect.poll(sentences).toContain('Ada Lovelace commented on “Bread”');
      await A().checkbox('Honey').click();
      await expect.poll(async () => (await sentences())[0], live).toBe('Ada Lovelace completed “Honey”');
      expect((await sentences()).filter((sentence) => sentence === 'Ada Lovelace commented on “Bread”')).toHaveLength(1);
      await b.keyboard.press('Escape');
      await activityB.waitFor({ state: 'detached' });
    });
  }, 30_000);

  it('takes the list away from B live when A removes them, with a toast', async () => {
    await scenario('revoked', async () => {
      const bobId = await b.evaluate(async () => ((await (await fetch('/api/v1/me')).json()) as { user: { id: string } }).user.id);
      await a.evaluate(
        async ({ listId, bobId }) => {
          const response = await fetch(`/api/v1/lists/${listId}/members/${bobId}`, { method: 'DELETE', headers: { 'idempotency-key': crypto.randomUUID() } });
          if (response.status !== 204) throw new Error(`removal failed: ${response.status} ${await response.text()}`);
        },
        { listId, bobId },
      );
      await b.getByText('You no longer have access to “Weekend groceries”').waitFor({ timeout: live.timeout });
      await b.getByRole('heading', { name: 'Make your first list' }).waitFor();
      expect(await b.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: 'Weekend groceries' }).count()).toBe(0);
      // And B is gone from A's viewers.
      await a.getByRole('list', { name: 'Also viewing this list' }).waitFor({ state: 'detached', timeout: live.timeout });
    });
  }, 30_000);

  it('signing out in one tab signs the other tab out too, without a reload', async () => {
    await scenario('signed-out-elsewhere', async () => {
      const second = await contextB.newPage();
      second.setDefaultTimeout(5_000);
      await second.goto(server!.baseUrl);
      await second.getByRole('button', { name: 'Sign out' }).waitFor();
      await b.getByRole('button', { name: 'Sign out' }).click();
      await b.getByRole('heading', { name: 'Welcome back' }).waitFor();
      // The other tab's socket is closed with 1008; it asks, hears 401, and shows the sign-in screen.
      await second.getByRole('heading', { name: 'Welcome back' }).waitFor({ timeout: live.timeout });
      await second.close();
    });
  }, 30_000);
});
