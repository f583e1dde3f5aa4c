/**
 * Team workspaces through the web app, in Chromium contexts against one real server: an admin invites someone from
 * the workspace's people dialog; they see the invitation in their sidebar without reloading, accept it, and the
 * workspace joins their switcher while the admin's dialog shows them as a member; and the invitation link
 * (`/workspace-invite#…`): someone without an account signs up from it and joins, someone signed in is asked first.
 * Needs `dist/web` (`npm test` builds it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowConsoleErrors,
  createList,
  hasChromium,
  launchChromium,
  newE2ePage,
  requireChromium,
  signUp,
  startE2eServer,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

/** "Live": shown on the other screen within this, without reloading (the inbox's own refresh is every 30 s). */
const live = { timeout: 3_000, intervals: [50] };

describe.skipIf(!hasChromium)('team workspace invitations in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let admin: Page;
  const stamp = Date.now();
  const password = 'correct horse battery';
  const ada = { name: 'Ada Admin', email: `ada.${stamp}@example.com`, password };
  const bea = { name: 'Bea Colleague', email: `bea.${stamp}@example.com`, password };
  const cy = { name: 'Cy Newcomer', email: `cy.${stamp}@example.com`, password };
  const dee = { name: 'Dee Doubter', email: `dee.${stamp}@example.com`, password };

  const newPage = () => newE2ePage(browser!, { width: 1280, height: 860 }, contexts);
  const scenario = (name: string, pages: Record<string, Page>, run: () => Promise<void>) => withScreenshot(`workspaces-${name}`, pages, run);
  const switcher = (page: Page) => page.getByRole('combobox', { name: 'Workspace', exact: true });
  const chosenWorkspace = (page: Page) => switcher(page).evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
  const peopleDialog = (page: Page) => page.getByRole('dialog', { name: 'People in Acme' });
  const members = async () =>
    ((await (await admin.request.get(`${server!.baseUrl}/api/v1/workspaces/${workspaceId}/members`)).json()) as { items: { email: string }[] }).items.map(
      (member) => member.email,
    );
  let workspaceId = '';

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    admin = await newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    contexts = [];
  });

  /** The admin opens the people dialog and invites `email` as `role`; answers the link shown to copy. */
  async function invite(email: string, role: 'admin' | 'member' | 'guest'): Promise<string> {
    const dialog = peopleDialog(admin);
    if (!(await dialog.isVisible())) {
      await admin.getByRole('button', { name: 'People in Acme' }).click();
      await dialog.waitFor();
    }
    await dialog.getByLabel('Email of the person to invite').fill(email);
    await dialog.getByLabel('Workspace role', { exact: true }).selectOption(role);
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: `Invited ${email}` })
      .waitFor();
    const link = await dialog.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(/\/workspace-invite#[A-Za-z0-9_-]{20,}$/);
    await dialog.getByRole('list', { name: 'Pending invitations' }).getByText(email).waitFor();
    return link;
  }

  async function closeDialog() {
    await admin.keyboard.press('Escape');
    await peopleDialog(admin).waitFor({ state: 'detached' });
  }

  it('an admin invites B from the people dialog; B sees it live, accepts, and has the workspace; the admin sees B join', async () => {
    const b = await newPage();
    await scenario('invite', { admin, b }, async () => {
      await signUp(b, server!.baseUrl, bea);

      // Ada makes the team workspace "Acme" with a list in it.
      await signUp(admin, server!.baseUrl, ada);
      await admin.getByRole('button', { name: 'New team workspace' }).click();
      await admin.getByLabel('Workspace name').fill('Acme');
      await admin.getByRole('button', { name: 'Create workspace' }).click();
      await expect.poll(() => chosenWorkspace(admin)).toBe('Acme · Admin');
      await createList(admin, 'Roadmap');
      const me = (await (await admin.request.get(`${server!.baseUrl}/api/v1/me`)).json()) as { workspaces: { id: string; name: string }[] };
      workspaceId = me.workspaces.find((workspace) => workspace.name === 'Acme')!.id;

      // The people dialog invites (the email field has the focus); the person joins only when they accept.
      await admin.getByRole('button', { name: 'People in Acme' }).click();
      const dialog = peopleDialog(admin);
      await dialog.waitFor();
      await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');
      await dialog.getByText('They join the workspace when they accept the invitation.').waitFor();
      await invite(bea.email, 'member');
      expect(await dialog.getByRole('list', { name: 'Members of Acme' }).getByText(bea.email).count()).toBe(0);
      expect(await members()).not.toContain(bea.email);

      // B's sidebar shows it without a reload: accepting joins the workspace, chosen in the switcher, with the focus on it.
      const accept = b.getByRole('button', { name: 'Accept the invitation to the workspace “Acme”' });
      await expect.poll(() => accept.count(), live).toBe(1);
      await b.getByRole('heading', { name: 'Invitations (1)' }).waitFor();
      await b.locator('.invitation-card').filter({ hasText: 'Team “Acme”' }).getByText(`from ${ada.name} · as member`).waitFor();
      expect(await switcher(b).locator('option').allTextContents()).not.toContain('Acme · Member');
      // The bell says so too, and can answer it.
      const bellButton = b.getByRole('button', { name: 'Notifications, 1 unread' });
      await expect.poll(() => bellButton.count(), live).toBe(1);
      await bellButton.click();
      const bell = b.getByRole('dialog', { name: 'Notifications' });
      await bell.getByText(`${ada.name} invited you to the team workspace “Acme” as member`).waitFor();
      await bell.getByRole('button', { name: 'Decline the invitation to the workspace “Acme”' }).waitFor();
      await b.keyboard.press('Escape');
      await bell.waitFor({ state: 'detached' });
      await accept.click();
      await expect.poll(() => chosenWorkspace(b)).toBe('Acme · Member');
      await b.getByRole('heading', { level: 1, name: 'Roadmap' }).waitFor();
      await expect.poll(() => b.evaluate(() => (document.activeElement as HTMLElement | null)?.matches('select.workspace-select') ?? false)).toBe(true);
      await b.getByText('You joined the workspace “Acme”').waitFor();
      expect(await b.getByRole('heading', { name: /^Invitations/ }).count()).toBe(0);

      // Ada's open dialog shows B as a member (live: B's joining is a member change of the open list), no longer pending.
      await dialog.getByRole('list', { name: 'Members of Acme' }).getByText(bea.email).waitFor();
      await dialog.getByRole('list', { name: 'Pending invitations' }).waitFor({ state: 'detached' });
      expect(await members()).toContain(bea.email);

      // Inviting someone already in the workspace says so, in the form.
      await dialog.getByLabel('Email of the person to invite').fill(bea.email);
      await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
      await dialog.getByRole('alert').filter({ hasText: 'already in the workspace' }).waitFor();
      // Said once, not again as the field's reason.
      expect(await dialog.getByRole('alert').textContent()).toBe('This person is already in the workspace; change their role instead.');
      expect(await dialog.getByLabel('Email of the person to invite').getAttribute('aria-invalid')).toBe('true');
      allowConsoleErrors(/status of 409/);
      await closeDialog();
    });
  }, 60_000);

  it('a workspace invitation link: a newcomer signs up from it and joins; someone signed in is asked first; a used or broken link says why', async () => {
    const c = await newPage();
    const d = await newPage();
    await scenario('link', { admin, c, d }, async () => {
      // Cy has no account: the link brings Cy in after sign-up, without asking again.
      const link = await invite(cy.email, 'guest');
      await c.goto(link);
      await c.getByText('You were invited to a team workspace. Sign in, or create an account, to join it.').waitFor();
      expect(new URL(c.url()).hash).toBe(''); // the secret left the address bar at once
      await c.getByRole('button', { name: 'Create an account' }).click();
      await c.getByLabel('Name').fill(cy.name);
      await c.getByLabel('Email').fill(cy.email);
      await c.getByLabel('Password').fill(cy.password);
      await c.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => chosenWorkspace(c)).toBe('Acme · Guest');
      await c.getByText('You joined the workspace “Acme”').waitFor();
      expect(await c.getByRole('dialog', { name: 'Join this team workspace?' }).count()).toBe(0);
      expect(await members()).toContain(cy.email);

      // Dee, signed in, opens a link: asked first; "Not now" joins nothing.
      await signUp(d, server!.baseUrl, dee);
      const deeLink = await invite(dee.email, 'member');
      await closeDialog();
      await d.goto(deeLink);
      const ask = d.getByRole('dialog', { name: 'Join this team workspace?' });
      await ask.getByText('Its members will see your name and email address.').waitFor();
      await ask.getByRole('button', { name: 'Not now' }).click();
      await ask.waitFor({ state: 'detached' });
      expect(await members()).not.toContain(dee.email);

      // Opened again, "Join workspace" joins.
      await d.goto(deeLink);
      await d.getByRole('dialog', { name: 'Join this team workspace?' }).getByRole('button', { name: 'Join workspace' }).click();
      await expect.poll(() => chosenWorkspace(d)).toBe('Acme · Member');
      await d.getByRole('heading', { level: 1, name: 'Roadmap' }).waitFor();
      expect(await members()).toContain(dee.email);

      // A used link (410) and one that never was (404) say why.
      allowConsoleErrors(/status of 410/, /status of 404/);
      await d.goto(deeLink);
      await d.getByRole('dialog', { name: 'Join this team workspace?' }).getByRole('button', { name: 'Join workspace' }).click();
      await d.getByText('This workspace invitation can no longer be used. This invitation was already accepted').waitFor();
      await d.goto(`${server!.baseUrl}/workspace-invite#not-a-real-invitation-token`);
      await d.getByRole('dialog', { name: 'Join this team workspace?' }).getByRole('button', { name: 'Join workspace' }).click();
      await d.getByText('This workspace invitation link is not valid: check that it was copied whole, or ask for a new one.').waitFor();

      // The admin withdraws an invitation: it leaves the dialog, and the focus goes back to the email field.
      const eve = `eve.${stamp}@example.com`;
      await invite(eve, 'member');
      const dialog = peopleDialog(admin);
      await dialog.getByRole('button', { name: `Withdraw the invitation of ${eve}` }).click();
      await dialog.getByRole('list', { name: 'Pending invitations' }).waitFor({ state: 'detached' });
      await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');
      await closeDialog();
    });
  }, 60_000);
});
