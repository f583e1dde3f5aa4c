/**
 * Billing in the web app, in Chromium against one real server whose billing administrators include the
 * test's user: create a plan, subscribe the workspace, create tasks, read the billing page (plan, usage
 * chart, estimated total), then run the pricing simulator and read its revenue chart.
 * `support.ts`'s server takes no config overrides, so this file builds the app the same way, to name its administrators.
 * Needs `dist/web` (`npm test` builds it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { hasChromium, launchChromium, requireChromium, signUp, watchConsole, withScreenshot } from './support.js';

requireChromium();

/** The page's own `fetch`, with its session cookie; throws on a non-2xx answer. */
async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, url, body }) => {
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    },
    { method, url, body },
  );
  if (result.status >= 300) throw new Error(`${method} ${url}: ${result.status} ${JSON.stringify(result.json)}`);
  return result.json as T;
}

describe.skipIf(!hasChromium)('billing pages in Chromium', () => {
  let app: FastifyInstance | undefined;
  let baseUrl = '';
  let dataDir = '';
  let browser: Browser | undefined;
  let page: Page;
  const stamp = Date.now();
  const admin = { name: 'Olive Operator', email: `olive.${stamp}@example.com`, password: 'correct horse battery' };
  const parisAdmin = { name: 'Paul Paris', email: `paul.${stamp}@example.com`, password: 'correct horse battery' };
  const planCode = `e2e-plan-${stamp.toString(36)}`;

  beforeAll(async () => {
    const webRoot = path.resolve('dist/web');
    if (!fs.existsSync(path.join(webRoot, 'index.html'))) throw new Error('dist/web is missing: run `npx vite build` first.');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-e2e-billing-'));
    app = await buildApp(loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { webRoot, adminEmails: new Set<string>() }));
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(5_000);
    watchConsole(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the plan, usage chart and estimate, then simulates revenue for the plan', async () => {
    await withScreenshot('billing', page, async () => {
      await signUp(page, baseUrl, admin);
      // An administrator's address cannot sign up (anyone could claim it): named once the account exists, as an operator does.
      app!.listo.config.adminEmails.add(admin.email.toLowerCase());

      // Set-up through the API, from the page: a plan, the workspace's subscription, three tasks.
      await call(page, 'POST', '/api/v1/billing/plans', {
        code: planCode,
        name: 'E2E Team',
        interval: 'month',
        currency: 'EUR',
        amount: '10.00',
        payInAdvance: false,
        charges: [{ meter: 'tasks_created', model: 'standard', unitAmount: '0.25' }],
      });
      const me = await call<{ user: { isAdmin: boolean }; workspaces: { id: string; kind: string; role: string }[] }>(page, 'GET', '/api/v1/me');
      expect(me.user.isAdmin).toBe(true);
      const workspace = me.workspaces.find((w) => w.kind === 'personal')!;
      await call(page, 'PUT', `/api/v1/workspaces/${workspace.id}/subscription`, { plan: planCode });
      const list = await call<{ id: string }>(page, 'POST', '/api/v1/lists', { name: 'Launch' });
      for (const title of ['Write the brief', 'Book the room', 'Send invites']) await call(page, 'POST', `/api/v1/lists/${list.id}/tasks`, { title });
      const usage = await call<{ total: string; currency: string; quantities: Record<string, string> }>(
        page,
        'GET',
        `/api/v1/workspaces/${workspace.id}/usage`,
      );
      expect(usage.quantities.tasks_created).toBe('3');

      // The billing page, from the sidebar.
      await page.reload();
      await page.getByRole('link', { name: 'Billing' }).click();
      await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/billing');
      await expect.poll(() => page.locator('.billing-plan-name').textContent()).toContain('E2E Team');
      const usageChart = page.getByRole('img', { name: /^Usage this period by meter:/ });
      await usageChart.waitFor();
      expect(await usageChart.getAttribute('aria-label')).toContain('Tasks created 3');
      expect(await page.getByRole('table', { name: 'Usage this period by meter' }).getByRole('cell', { name: '3', exact: true }).count()).toBe(1);
      await expect.poll(() => page.getByTestId('billing-total').textContent()).toBe(`${usage.total} ${usage.currency}`);
      await page.getByText('No invoices yet').waitFor();

      // The simulator, for the plan.
      await page.getByRole('link', { name: 'Pricing simulator' }).click();
      await page.getByRole('heading', { level: 1, name: 'Pricing simulator' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/billing/simulator');
      await page.getByRole('checkbox', { name: new RegExp(planCode) }).check();
      await page.getByRole('button', { name: 'Run simulation' }).click();
      const revenueChart = page.getByRole('img', { name: /^Simulated revenue per plan:/ });
      await revenueChart.waitFor();
      expect(await revenueChart.getAttribute('aria-label')).toMatch(new RegExp(`${planCode} \\d+\\.\\d{2} EUR`));
      const bar = revenueChart.locator(`g[data-label="${planCode}"] rect`);
      expect(Number(await bar.getAttribute('width'))).toBeGreaterThan(0);
      // The workspace pays the same as today under its own plan.
      await page
        .getByRole('row', { name: new RegExp(`^${planCode}`) })
        .getByText('0 pay more, 0 pay less, 1 pays the same than today')
        .waitFor();

      // Back goes to the billing page; the address keeps the view on reload.
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
      await page.goto(`${baseUrl}/billing/plans`);
      await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
      await page.getByRole('cell', { name: 'E2E Team' }).waitFor();
    });
  });

  it('dates invoices in the billing time zone: March in Paris reads March 1 to 31, as the lines and the printable invoice do', async () => {
    // A page of its own, signed up as another operator: this scenario does not depend on the first.
    const parisPage = await browser!.newContext({ viewport: { width: 1280, height: 900 } }).then((context) => context.newPage());
    parisPage.setDefaultTimeout(5_000);
    watchConsole(parisPage);
    // The page opens on the personal workspace, which has no subscription: asked as a list, that is no error either.
    await withScreenshot('billing-paris', parisPage, async () => {
      await signUp(parisPage, baseUrl, parisAdmin);
      app!.listo.config.adminEmails.add(parisAdmin.email.toLowerCase());
      const plan = `${planCode}-paris`;
      await call(parisPage, 'POST', '/api/v1/billing/plans', {
        code: plan,
        name: 'Paris flat',
        interval: 'month',
        currency: 'EUR',
        amount: '31.00',
        payInAdvance: false,
        charges: [],
      });
      // March in Paris: 00:00 on March 1 (UTC+1) to 00:00 on April 1 (UTC+2), i.e. Feb 28 23:00 to March 31 22:00 in UTC.
      const clock = await call<{ id: string }>(parisPage, 'POST', '/api/v1/billing/test-clocks', { frozenTime: '2026-02-28T23:00:00.000Z' });
      const workspace = await call<{ id: string }>(parisPage, 'POST', '/api/v1/workspaces', { name: 'Paris office' });
      await call(parisPage, 'PUT', `/api/v1/workspaces/${workspace.id}/subscription`, { plan, testClockId: clock.id, timezone: 'Europe/Paris' });
      await call(parisPage, 'POST', `/api/v1/billing/test-clocks/${clock.id}/advance`, { frozenTime: '2026-03-31T23:30:00.000Z' }); // 01:30 on April 1 in Paris
      const invoices = await call<{ items: { number: string | null; kind: string; status: string; periodStart: string; timezone: string }[] }>(
        parisPage,
        'GET',
        `/api/v1/workspaces/${workspace.id}/invoices`,
      );
      const march = invoices.items.find((invoice) => invoice.kind === 'closing')!;
      expect(march).toMatchObject({ status: 'finalized', periodStart: '2026-02-28T23:00:00.000Z', timezone: 'Europe/Paris' });

      await parisPage.goto(`${baseUrl}/billing`);
      await parisPage.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
      await parisPage.locator('#billing-workspace').selectOption({ label: 'Paris office' });
      // The invoice list: the days March bills in Paris, not the UTC dates of its instants (Feb 28 to March 30).
      const row = parisPage.getByRole('table', { name: 'Invoices' }).getByRole('row', { name: new RegExp(`^${march.number}`) });
      await expect.poll(() => row.getByRole('cell').nth(1).textContent()).toBe('Mar 1, 2026 – Mar 31, 2026');

      // The invoice itself: the same days, the zone named, issued on April 1 in Paris (still March 31 in UTC).
      await row.getByRole('button', { name: `Details of ${march.number}` }).click();
      const detail = parisPage.getByRole('article', { name: march.number! });
      await expect
        .poll(() => detail.locator('.billing-note').first().textContent())
        .toBe('Mar 1, 2026 – Mar 31, 2026 (Europe/Paris) · Closing invoice · finalized Apr 1, 2026');
      // The same days as its fee line and the printable invoice.
      expect(await detail.getByRole('table', { name: `Lines of ${march.number}` }).textContent()).toContain('2026-03-01 to 2026-03-31');
      const printable = (await detail.getByRole('link', { name: /Printable invoice/ }).getAttribute('href'))!;
      const html = await parisPage.evaluate(async (url) => (await fetch(url)).text(), printable);
      expect(html).toContain('Period: 2026-03-01 to 2026-03-31 (Europe/Paris)');
    });
  });
});
