/**
 * End to end, in real Chromium against a real server: a list of tasks from the keyboard. The list is one Tab stop;
 * arrows (and j/k) go from task to task and through a task's controls; Space completes, Enter opens, Alt+↑/↓
 * reorders, and the focus stays put through completing, moving, and changes made elsewhere.
 * Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

describe.skipIf(!hasChromium)('keyboard in a task list, in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const taskTitles = ['Milk', 'Bread', 'Eggs', 'Butter', 'Jam', 'Tea', 'Rice', 'Oats'];

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    page = await newE2ePage(browser, { width: 1200, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const list = () => listPage(page);
  const tasks = () => page.getByRole('list', { name: 'Tasks of Groceries' });
  /** The focused element's accessible name as the tests address it (aria-label, or a title field's value). */
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const label = element.getAttribute('aria-label');
      return label === 'Task title' ? `title:${(element as HTMLInputElement).value}` : label;
    });
  const inList = () => page.evaluate(() => document.querySelector('ul.tasks')?.contains(document.activeElement) ?? false);
  const saved = () => expect.poll(() => list().syncState()).toBe('All changes saved');
  const taskId = (title: string) =>
    page.evaluate(async (wanted) => {
      const listId = location.pathname.split('/').pop();
      const page = (await (await fetch(`/api/v1/lists/${listId}/tasks`)).json()) as { items: { id: string; title: string }[] };
      return page.items.find((task) => task.title === wanted)!.id;
    }, title);
  /** A change made outside this page (as a collaborator's would be), which reaches it over the socket. */
  const changeElsewhere = (method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const response = await fetch(`/api/v1${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
      },
      { method, path, body },
    );

  it('is one Tab stop: Tab enters on the first task, the next Tab leaves, Shift+Tab comes back where one was', async () => {
    await withScreenshot('keyboard-tab-stop', page, async () => {
      await signUp(page, server!.baseUrl, { name: 'Kay Board', email: `kay.${Date.now()}@example.com`, password: 'correct horse battery' });
      await createList(page, 'Groceries');
      await expect.poll(focused).toBe('Add a task'); // the new list's field takes the focus: type straight away
      for (const title of taskTitles) await page.keyboard.type(`${title}\n`);
      await expect.poll(() => list().titles()).toEqual(taskTitles);
      await saved();

      // From "Add a task", count the Tab presses until the focus has gone into the list and out again.
      const addTask = page.getByRole('textbox', { name: 'Add a task' });
      await addTask.focus();
      let presses = 0;
      let entered = false;
      let firstStop: string | null = null;
      while (presses < 200) {
        await page.keyboard.press('Tab');
        presses++;
        const inside = await inList();
        if (inside && !entered) firstStop = await focused();
        if (inside) entered = true;
        else if (entered) break;
      }
      console.info(`[e2e] Tab presses to go through a list of ${taskTitles.length} tasks, from "Add a task" to past it: ${presses}`);
      expect(firstStop).toBe('Complete “Milk”');
      expect(presses).toBe(2);
      expect(await page.evaluate(() => document.activeElement?.closest('.tasks'))).toBeNull();

      // Shift+Tab goes back in on the task one was on, not at the top.
      await list().checkbox('Milk').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Eggs”');
      await page.keyboard.press('Tab');
      expect(await inList()).toBe(false);
      await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe('Complete “Eggs”');
      await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe('Add a task');

      // Every control still has its name for a screen reader, each exactly once per task.
      for (const title of ['Milk', 'Oats']) {
        const row = list().row(title);
        for (const [role, name] of [
          ['button', `Move “${title}”`],
          ['checkbox', `Complete “${title}”`],
          ['textbox', 'Task title'],
          ['combobox', `Priority for “${title}”`],
          ['button', `Details of “${title}”`],
          ['button', `Delete “${title}”`],
        ] as const) {
          expect(await row.getByRole(role, { name, exact: true }).count()).toBe(1);
        }
        expect(await row.getByLabel(`Due date for “${title}”`).count()).toBe(1);
      }
    });
  }, 40_000);

  it('arrows and j/k go from task to task, ←/→ through a task’s controls', async () => {
    await withScreenshot('keyboard-arrows', page, async () => {
      await list().checkbox('Milk').focus();
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Bread”');
      await page.keyboard.press('j');
      expect(await focused()).toBe('Complete “Eggs”');
      await page.keyboard.press('k');
      await page.keyboard.press('ArrowUp');
      expect(await focused()).toBe('Complete “Milk”');
      await page.keyboard.press('ArrowUp'); // the first task: stays
      expect(await focused()).toBe('Complete “Milk”');
      await page.keyboard.press('End');
      expect(await focused()).toBe('Complete “Oats”');
      await page.keyboard.press('Home');
      expect(await focused()).toBe('Complete “Milk”');
      expect(await page.evaluate(() => window.scrollY)).toBe(0); // the arrows did not scroll the page as well

      // → goes on to the title (the caret at its end, so → again goes on), the due date, the priority…
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('title:Milk');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('Due date for “Milk”');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('Priority for “Milk”');
      // …whose ↑/↓ are its own: they change the priority, not the task.
      await page.keyboard.press('ArrowUp');
      expect(await focused()).toBe('Priority for “Milk”');
      expect(await page.getByRole('combobox', { name: 'Priority for “Milk”' }).inputValue()).toBe('3');
      await page.keyboard.press('ArrowDown');
      expect(await page.getByRole('combobox', { name: 'Priority for “Milk”' }).inputValue()).toBe('4');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('Details of “Milk”');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('Delete “Milk”');
      await page.keyboard.press('ArrowRight'); // the last control: stays
      expect(await focused()).toBe('Delete “Milk”');
      // ↓ keeps the column: the next task's delete button.
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Delete “Bread”');

      // In the title, ←/→ move the caret; only at the start does ← go on to the checkbox.
      await list().row('Bread').getByRole('textbox', { name: 'Task title' }).focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toBe('title:Bread');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).selectionStart)).toBe(3);
      // j and k are typed into a title; ↓ goes to the next task's title.
      await page.keyboard.type('jk');
      expect(await focused()).toBe('title:Brejkad');
      await page.keyboard.press('Escape'); // drops the edit, and lands on the task's checkbox
      expect(await focused()).toBe('Complete “Bread”');
      expect(await list().titles()).toEqual(taskTitles);
      await list().row('Bread').getByRole('textbox', { name: 'Task title' }).focus();
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('title:Eggs');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toBe('Complete “Eggs”');
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toBe('Move “Eggs”');

      // "/" from the list still goes to the search box.
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('Complete “Eggs”');
      await page.keyboard.press('/');
      expect(await focused()).toBe('Search tasks');
      await page.keyboard.press('Escape');
    });
  }, 30_000);

  it('Space completes, Enter opens the details, F2 edits the title, Alt+↑/↓ and the handle reorder', async () => {
    await withScreenshot('keyboard-actions', page, async () => {
      await list().checkbox('Bread').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => list().checkbox('Bread').isChecked()).toBe(true);
      expect(await focused()).toBe('Complete “Bread”');
      await page.keyboard.press('Space');
      await expect.poll(() => list().checkbox('Bread').isChecked()).toBe(false);

      // Enter opens the task's details; closing them brings the focus back to the task.
      await page.keyboard.press('Enter');
      const details = page.getByRole('dialog', { name: 'Bread' });
      await details.waitFor();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      await expect.poll(focused).toBe('Complete “Bread”');

      // F2 edits the title, Enter saves it, and the focus stays in the title.
      await page.keyboard.press('F2');
      await page.keyboard.type(' rolls');
      await page.keyboard.press('Enter');
      expect(await focused()).toBe('title:Bread rolls');
      await expect.poll(() => list().titles()).toEqual(['Milk', 'Bread rolls', ...taskTitles.slice(2)]);
      await page.keyboard.press('Escape');
      expect(await focused()).toBe('Complete “Bread rolls”');

      // Alt+↓ twice moves the task down two places; it keeps the focus (and the arrows then go from its new place).
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(() => list().titles()).toEqual(['Milk', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Tea', 'Rice', 'Oats']);
      expect(await focused()).toBe('Complete “Bread rolls”');
      await page.getByText('Moved “Bread rolls” to position 4 of 8.').waitFor();
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(() => list().titles()).toEqual(['Milk', 'Eggs', 'Bread rolls', 'Butter', 'Jam', 'Tea', 'Rice', 'Oats']);
      expect(await focused()).toBe('Complete “Bread rolls”');
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Butter”');

      // On the handle (← from the checkbox), the arrows alone move the task, as its hint says.
      await page.keyboard.press('ArrowLeft');
      expect(await focused()).toBe('Move “Butter”');
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => list().titles()).toEqual(['Milk', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Tea', 'Rice', 'Oats']);
      expect(await focused()).toBe('Move “Butter”');
      await saved();
    });
  }, 30_000);

  it('keeps the focus on its task, or the one taking its place, through changes made elsewhere and hidden completed tasks', async () => {
    await withScreenshot('keyboard-focus-kept', page, async () => {
      // Baseline: Milk, Eggs, Butter, Bread rolls, Jam, Tea, Rice, Oats.
      await list().checkbox('Jam').focus();
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Tea”');

      // Renamed elsewhere: the row is drawn anew, the focus stays on it.
      const tea = await taskId('Tea');
      await changeElsewhere('PATCH', `/tasks/${tea}`, { title: 'Green tea' });
      await expect.poll(() => list().titles()).toContain('Green tea');
      expect(await focused()).toBe('Complete “Green tea”');

      // Moved elsewhere to the top: the focus goes with it.
      await changeElsewhere('POST', `/tasks/${tea}/move`, { beforeId: await taskId('Milk') });
      await expect.poll(() => list().titles()).toEqual(['Green tea', 'Milk', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Rice', 'Oats']);
      await expect.poll(focused).toBe('Complete “Green tea”');
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Milk”');

      // Another task moved elsewhere, past the focused one: the focus does not move.
      await changeElsewhere('POST', `/tasks/${await taskId('Oats')}/move`, { beforeId: await taskId('Green tea') });
      await expect.poll(() => list().titles()).toEqual(['Oats', 'Green tea', 'Milk', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Rice']);
      expect(await focused()).toBe('Complete “Milk”');

      // Deleted elsewhere: the task that takes its place gets the focus.
      await changeElsewhere('DELETE', `/tasks/${await taskId('Milk')}`);
      await expect.poll(() => list().titles()).toEqual(['Oats', 'Green tea', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Rice']);
      await expect.poll(focused).toBe('Complete “Eggs”');

      // Completed tasks hidden: completing one with Space takes it out, and the next task has the focus.
      await list().checkbox('Oats').focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Hide completed tasks' }).click();
      await expect.poll(() => list().titles()).toEqual(['Green tea', 'Eggs', 'Butter', 'Bread rolls', 'Jam', 'Rice']);
      await list().checkbox('Butter').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => list().titles()).toEqual(['Green tea', 'Eggs', 'Bread rolls', 'Jam', 'Rice']);
      await expect.poll(focused).toBe('Complete “Bread rolls”');
      // The last one: the focus goes to the one before.
      await list().checkbox('Rice').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => list().titles()).toEqual(['Green tea', 'Eggs', 'Bread rolls', 'Jam']);
      await expect.poll(focused).toBe('Complete “Jam”');
      // Moving past hidden tasks from the keyboard still works, and arrows skip them.
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(() => list().titles()).toEqual(['Green tea', 'Eggs', 'Jam', 'Bread rolls']);
      expect(await focused()).toBe('Complete “Jam”');
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Bread rolls”');
      // Still one Tab stop.
      expect(
        await tasks().evaluate(
          (ul) => Array.from(ul.querySelectorAll('button, input, select')).filter((control) => (control as HTMLElement).tabIndex >= 0).length,
        ),
      ).toBe(1);
      await saved();
    });
  }, 40_000);

  it('"Assigned to me" is one Tab stop per list too, with the same arrows', async () => {
    await withScreenshot('keyboard-assigned', page, async () => {
      const me = await page.evaluate(async () => ((await (await fetch('/api/v1/me')).json()) as { user: { id: string } }).user.id);
      const listId = await page.evaluate(() => location.pathname.split('/').pop()!);
      for (const title of ['Mine one', 'Mine two', 'Mine three']) {
        const created = await page.evaluate(
          async ({ listId, title }) =>
            (
              (await (
                await fetch(`/api/v1/lists/${listId}/tasks`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ title }),
                })
              ).json()) as { id: string }
            ).id,
          { listId, title },
        );
        await changeElsewhere('PATCH', `/tasks/${created}`, { assigneeId: me });
      }
      await page.getByRole('link', { name: 'Assigned to me' }).click();
      await page.getByRole('heading', { level: 1, name: 'Assigned to me' }).waitFor();
      const group = page.locator('.assigned-panel ul.tasks').first();
      await group.getByRole('checkbox', { name: 'Complete “Mine three”' }).waitFor();
      expect(
        await group.evaluate((ul) => Array.from(ul.querySelectorAll('button, input')).filter((control) => (control as HTMLElement).tabIndex >= 0).length),
      ).toBe(1);

      await group.getByRole('checkbox', { name: 'Complete “Mine one”' }).focus();
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe('Complete “Mine two”');
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mine two');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mine three');
      await page.keyboard.press('Tab');
      expect(await group.evaluate((ul) => ul.contains(document.activeElement))).toBe(false);
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mine three');
    });
  }, 30_000);

  it('a new list takes typing at once: what is typed before the server has created it stays in "Add a task", and its tasks are created', async () => {
    const typer = await newE2ePage(browser!, { width: 1200, height: 800 });
    await withScreenshot('keyboard-new-list-typing', typer, async () => {
      await signUp(typer, server!.baseUrl, { name: 'Quick Keys', email: `quick.keys.${Date.now()}@example.com`, password: 'correct horse battery' });
      // The server's answer to the new list comes only when released, so the typing below lands while the list is a local copy.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await typer.route('**/api/v1/lists', async (route) => {
        if (route.request().method() === 'POST') await held;
        await route.continue();
      });
      const newList = typer.getByRole('textbox', { name: 'New list name' });
      await newList.fill('Errands');
      await newList.press('Enter');
      // No wait for the list, its field or the focus: a person types straight on.
      await typer.keyboard.type('Milk\nBre');
      const add = typer.getByRole('textbox', { name: 'Add a task' });
      await typer.getByRole('heading', { level: 1, name: 'Errands' }).waitFor();
      expect(typer.url()).toMatch(/\/lists\/local%3A/);
      expect(await add.inputValue()).toBe('Bre');
      expect(await listPage(typer).titles()).toEqual(['Milk']); // shown, waiting for the list
      release();
      await typer.keyboard.type('ad\n');
      await typer.waitForURL(/\/lists\/[0-9a-f-]{36}$/);
      await expect.poll(() => listPage(typer).titles()).toEqual(['Milk', 'Bread']);
      await expect.poll(() => listPage(typer).syncState()).toBe('All changes saved');
      expect(await add.inputValue()).toBe('');
      expect(await typer.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Add a task');
      // Created on the server, in the list's server id, in order; and no other list came of the keys.
      const stored = await typer.evaluate(async () => {
        const listId = location.pathname.split('/').pop();
        const lists = (await (await fetch('/api/v1/lists')).json()) as { items: { name: string }[] };
        const tasks = (await (await fetch(`/api/v1/lists/${listId}/tasks`)).json()) as { items: { title: string }[] };
        return { lists: lists.items.map((list) => list.name), tasks: tasks.items.map((task) => task.title) };
      });
      expect(stored).toEqual({ lists: ['Errands'], tasks: ['Milk', 'Bread'] });
    });
  }, 30_000);

  it('tasks added to a new list before the server has created it survive opening another list, and are created in order', async () => {
    const away = await newE2ePage(browser!, { width: 1200, height: 800 });
    await withScreenshot('keyboard-new-list-away', away, async () => {
      await signUp(away, server!.baseUrl, { name: 'Away Keys', email: `away.keys.${Date.now()}@example.com`, password: 'correct horse battery' });
      await createList(away, 'Home');
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await away.route('**/api/v1/lists', async (route) => {
        if (route.request().method() === 'POST') await held;
        await route.continue();
      });
      const newList = away.getByRole('textbox', { name: 'New list name' });
      await newList.fill('Errands');
      await newList.press('Enter');
      await away.keyboard.type('Milk\n');
      await away.getByRole('heading', { level: 1, name: 'Errands' }).waitFor();
      expect(await listPage(away).titles()).toEqual(['Milk']); // waiting for the list
      // Another list, then back to the new one (its screen made anew), still before the server has answered.
      const home = away.locator('a.nav-link', { hasText: 'Home' });
      await home.click();
      await away.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      await away.goBack();
      await away.getByRole('heading', { level: 1, name: 'Errands' }).waitFor();
      expect(away.url()).toMatch(/\/lists\/local%3A/);
      expect(await listPage(away).titles()).toEqual(['Milk']);
      await away.getByRole('textbox', { name: 'Add a task' }).fill('Bread');
      await away.getByRole('textbox', { name: 'Add a task' }).press('Enter');
      expect(await listPage(away).titles()).toEqual(['Milk', 'Bread']);
      // Away again when the server answers: no screen of the list is there to send them.
      await home.click();
      await away.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      release();
      const errands = away.locator('a.nav-link', { hasText: 'Errands' });
      await expect.poll(() => errands.getAttribute('href')).toMatch(/^\/lists\/[0-9a-f-]{36}$/);
      await errands.click();
      await away.waitForURL(/\/lists\/[0-9a-f-]{36}$/);
      await expect.poll(() => listPage(away).titles()).toEqual(['Milk', 'Bread']);
      await expect.poll(() => listPage(away).syncState()).toBe('All changes saved');
      const stored = await away.evaluate(async () => {
        const listId = location.pathname.split('/').pop();
        const lists = (await (await fetch('/api/v1/lists')).json()) as { items: { name: string }[] };
        const tasks = (await (await fetch(`/api/v1/lists/${listId}/tasks`)).json()) as { items: { title: string }[] };
        return { lists: lists.items.map((list) => list.name), tasks: tasks.items.map((task) => task.title) };
      });
      expect(stored).toEqual({ lists: ['Home', 'Errands'], tasks: ['Milk', 'Bread'] });
    });
  }, 30_000);

  it('on a phone, where a task shows an unset due date and priority only while it has the focus, Tab still finds the list', async () => {
    const phone = await newE2ePage(browser!, { width: 390, height: 800 });
    await withScreenshot('keyboard-phone', phone, async () => {
      await signUp(phone, server!.baseUrl, { name: 'Phone Keys', email: `phone.keys.${Date.now()}@example.com`, password: 'correct horse battery' });
      await phone.getByRole('textbox', { name: 'Name of your first list' }).fill('Errands');
      await phone.getByRole('textbox', { name: 'Name of your first list' }).press('Enter');
      await phone.getByRole('heading', { level: 1, name: 'Errands' }).waitFor();
      for (const title of ['Post', 'Bank'])
        await phone
          .getByRole('textbox', { name: 'Add a task' })
          .fill(title)
          .then(() => phone.getByRole('textbox', { name: 'Add a task' }).press('Enter'));
      await expect.poll(() => listPage(phone).titles()).toEqual(['Post', 'Bank']);
      const name = () => phone.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

      // The last control used was the priority, which goes away with the focus: coming back lands on the task.
      await listPage(phone).checkbox('Bank').focus();
      for (let presses = 0; presses < 3; presses++) await phone.keyboard.press('ArrowRight');
      expect(await name()).toBe('Priority for “Bank”');
      await phone.keyboard.press('Tab');
      expect(await phone.evaluate(() => document.querySelector('ul.tasks')?.contains(document.activeElement))).toBe(false);
      await phone.waitForFunction(() => getComputedStyle(document.querySelectorAll('.task-meta')[1]!).display === 'none');
      // The list moves its Tab stop on the next frame after the focus left (no person presses Shift+Tab sooner).
      await phone.waitForFunction(() => Boolean(document.querySelector('ul.tasks [tabindex="0"]')?.getClientRects().length));
      await phone.keyboard.press('Shift+Tab');
      expect(await name()).toBe('Complete “Bank”');
    });
  }, 30_000);
});
