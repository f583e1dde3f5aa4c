/** Factories for billing tests: an operator (admin by email), plans, test clocks, subscriptions, events. */
import { expect } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { createUser, type ApiClient } from './client.js';
import type { TestDialect } from './dialects.js';
import { startTestServer, type TestServer } from './server.js';

/** A signed-up user whose email is in the server's admin list. */
export async function createBillingAdmin(server: TestServer, name = 'Billing Admin') {
  const admin = await createUser(server.url, name);
  server.config.adminEmails.add(admin.email.toLowerCase());
  return admin;
}

export type BillingAdmin = Awaited<ReturnType<typeof createBillingAdmin>>;

/**
 * A test server and a billing administrator on it. `farClock`: the server's own clock at 2020-01-01, far from every
 * test clock, so setup activity never lands in a billed period.
 */
export async function startBillingServer(dialect: TestDialect, { farClock = false } = {}): Promise<{ server: TestServer; admin: BillingAdmin }> {
  const server = await startTestServer(dialect, {}, farClock ? { clock: new ManualClock(new Date('2020-01-01T00:00:00Z')) } : {});
  return { server, admin: await createBillingAdmin(server) };
}

export async function ok<T = any>(promise: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const response = await promise;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

let planCounter = 0;
let meterCounter = 0;

/** A meter code no other test uses. */
export const uniqueMeterCode = (prefix = 'calls') => `${prefix}_${Date.now().toString(36)}_${++meterCounter}`;

/** Creates a plan; `code` defaults to a fresh unique one. */
export async function createPlan(admin: ApiClient, fields: Record<string, unknown> = {}) {
  const body = {
    code: `plan-${Date.now().toString(36)}-${++planCounter}`,
    name: 'Team',
    interval: 'month',
    currency: 'USD',
    amount: '0',
    payInAdvance: false,
    charges: [],
    ...fields,
  };
  return ok(admin.post('/api/v1/billing/plans', body), 201) as Promise<{ code: string; name: string }>;
}

export async function createTestClock(admin: ApiClient, frozenTime: string) {
  return ok(admin.post('/api/v1/billing/test-clocks', { frozenTime }), 201) as Promise<{ id: string; frozenTime: string }>;
}

export async function advance(admin: ApiClient, clockId: string, frozenTime: string) {
  return ok(admin.post(`/api/v1/billing/test-clocks/${clockId}/advance`, { frozenTime }));
}

/** A new team workspace of the client's, with a list in it. */
export async function workspaceOf(client: ApiClient): Promise<{ workspaceId: string; listId: string }> {
  const workspace = await ok(client.post('/api/v1/workspaces', { name: 'Billed team' }), 201);
  const list = await ok(client.post('/api/v1/lists', { name: 'Billing', workspaceId: workspace.id }), 201);
  return { workspaceId: workspace.id as string, listId: list.id as string };
}

export async function subscribe(client: ApiClient, workspaceId: string, body: Record<string, unknown>, status = 201) {
  return ok(client.request('PUT', `/api/v1/workspaces/${workspaceId}/subscription`, body), status);
}

export async function invoicesOf(client: ApiClient, workspaceId: string): Promise<any[]> {
  const page = await ok(client.get(`/api/v1/workspaces/${workspaceId}/invoices?limit=100`));
  return page.items;
}

/** Finalized closing invoices, oldest first. */
export async function closingInvoices(client: ApiClient, workspaceId: string): Promise<any[]> {
  return (await invoicesOf(client, workspaceId)).filter((invoice) => invoice.kind === 'closing').reverse();
}

export interface LineView {
  id: string;
  kind: string;
  description: string;
  meter?: string;
  quantity: string;
  unitAmount?: string;
  amount: string;
}

export function line(invoice: { lines: LineView[] }, predicate: string | ((l: LineView) => boolean)): LineView {
  const found = invoice.lines.find(typeof predicate === 'string' ? (l) => l.meter === predicate && l.kind === 'usage' : predicate);
  expect(found, `line ${String(predicate)} in ${JSON.stringify(invoice.lines)}`).toBeDefined();
  return found!;
}

export async function postEvents(client: ApiClient, events: Array<Record<string, unknown>>) {
  return ok(client.post('/api/v1/billing/events', { events })) as Promise<{
    accepted: number;
    duplicates: number;
    rejected: Array<{ id: string; code: string }>;
  }>;
}

/** The admin's own workspace on a new test clock at `frozenTime`, subscribed to a new plan charging `charges`. */
export async function subscribedOnTestClock(admin: ApiClient, frozenTime = '2026-03-01T09:00:00.000Z', charges: unknown[] = []) {
  const plan = await createPlan(admin, { charges });
  const clock = await createTestClock(admin, frozenTime);
  const { workspaceId } = await workspaceOf(admin);
  await subscribe(admin, workspaceId, { plan: plan.code, testClockId: clock.id });
  return { workspaceId, clock, plan };
}
