/**
 * Billing at the edge of what an event may carry (18 integer and 12 fraction digits): quantities, invoice
 * amounts, the live estimate and the simulator stay exact to the last digit, however many events add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceView, usageView } from '../../src/core/schemas/billing.js';
import {
  advance,
  type BillingAdmin,
  closingInvoices,
  line,
  ok,
  postEvents,
  startBillingServer,
  subscribedOnTestClock,
  uniqueMeterCode,
} from '../support/billing.js';
import { testDialects } from '../support/dialects.js';
import type { TestServer } from '../support/server.js';

describe.each(testDialects())('billing amounts near 1e18 on %s', (dialect) => {
  let server: TestServer;
  let admin: BillingAdmin;
  beforeAll(async () => {
    ({ server, admin } = await startBillingServer(dialect, { farClock: true }));
  });
  afterAll(() => server.close());

  it('bills a thousand events of 999,999,999,999,999,999.37 units at 1.01 to the cent, on the invoice, the estimate and in the simulator', async () => {
    const meter = uniqueMeterCode('bytes');
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Bytes', aggregation: 'sum' }), 201);
    const { workspaceId, clock, plan } = await subscribedOnTestClock(admin.client, '2026-03-01T09:00:00.000Z', [
      { meter, model: 'standard', unitAmount: '1.01' },
    ]);
    const events = Array.from({ length: 1000 }, (_, index) => ({
      id: `big-${index}`,
      workspaceId,
      meter,
      timestamp: `2026-03-01T09:0${index % 5}:00.000Z`,
      value: '999999999999999999.37',
    }));
    expect((await postEvents(admin.client, events)).accepted).toBe(1000);
    // One more event at the edge of a partial hour, read from the raw events rather than the rollups.
    await advance(admin.client, clock.id, '2026-03-31T23:30:00.000Z');
    expect((await postEvents(admin.client, [{ id: 'last', workspaceId, meter, timestamp: '2026-03-31T23:29:00.000Z', value: '0.000001' }])).accepted).toBe(1);

    // 1,000 × 999,999,999,999,999,999.37 + 0.000001 = 999,999,999,999,999,999,370.000001, × 1.01:
    const quantity = '999999999999999999370.000001';
    const amount = '1009999999999999999363.70'; // 1,009,999,999,999,999,999,363.70000101, rounded to the cent
    const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
    expect(usage.quantities[meter]).toBe(quantity);
    expect(line(usage, meter)).toMatchObject({ quantity, amount });
    expect(usage.total).toBe(amount);

    await advance(admin.client, clock.id, '2026-04-01T01:30:00.000Z');
    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march).toMatchObject({ status: 'finalized', subtotal: amount, total: amount });
    expect(line(march, meter)).toMatchObject({ quantity, unitAmount: '1.01', amount });

    const simulated = await ok(
      admin.client.post('/api/v1/billing/simulate', {
        from: '2026-03-01T09:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        plans: [plan.code],
        workspaceIds: [workspaceId],
      }),
    );
    expect(simulated.workspaces[0]).toMatchObject({ current: { amount }, byPlan: { [plan.code]: amount } });
    expect(simulated.plans[0].revenue).toBe(amount);

    // The API's documentation says so (its OpenAPI pattern for a line's amount took at most 12 integer
    // digits), and the web app, which reads invoices and estimates with the same schemas, takes them.
    const openApi = await (await fetch(`${server.url}/api/openapi.json`)).json();
    const lineSchema = openApi.paths['/api/v1/invoices/{invoiceId}'].get.responses['200'].content['application/json'].schema.properties.lines.items;
    expect(line(march, meter).amount).toMatch(new RegExp(lineSchema.properties.amount.pattern));
    expect(invoiceView.safeParse(march).error).toBeUndefined();
    expect(usageView.safeParse(usage).error).toBeUndefined();
  });

  it('credits an invoice past 1e12 in full with one credit note, and no more', async () => {
    const meter = uniqueMeterCode('bytes');
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Bytes', aggregation: 'sum' }), 201);
    const { workspaceId, clock } = await subscribedOnTestClock(admin.client, '2026-03-01T09:00:00.000Z', [{ meter, model: 'standard', unitAmount: '2.5' }]);
    await postEvents(admin.client, [{ id: 'big', workspaceId, meter, timestamp: '2026-03-01T09:00:00.000Z', value: '999999999999999999.37' }]);
    await advance(admin.client, clock.id, '2026-04-01T01:30:00.000Z');
    const [march] = await closingInvoices(admin.client, workspaceId);
    expect(march).toMatchObject({ status: 'finalized', total: '2499999999999999998.43' }); // 2,499,999,999,999,999,998.425, half up

    // A note of 12 integer digits or more was refused as an invalid body (400), whatever the invoice left.
    const note = await ok(admin.client.post(`/api/v1/invoices/${march.id}/credit-notes`, { amount: '2499999999999999998.43', reason: 'Metering fault' }), 201);
    expect(note).toMatchObject({ amount: '2499999999999999998.43', tax: '0.00', total: '2499999999999999998.43' });
    const more = await admin.client.post(`/api/v1/invoices/${march.id}/credit-notes`, { amount: '0.01', reason: 'One cent more' });
    expect(more.status).toBe(422);
    expect((await admin.client.post(`/api/v1/invoices/${march.id}/credit-notes`, { amount: '1'.repeat(65), reason: 'Too long' })).status).toBe(400);
  });

  it('refuses a JSON number it cannot hold exactly (beyond 2^53, or more than 15 significant digits) and takes the same value as a string', async () => {
    const meter = uniqueMeterCode('bytes');
    await ok(admin.client.post('/api/v1/billing/meters', { code: meter, name: 'Bytes', aggregation: 'sum' }), 201);
    const { workspaceId } = await subscribedOnTestClock(admin.client, '2026-03-01T09:00:00.000Z', [{ meter, model: 'standard', unitAmount: '1' }]);
    const event = (id: string, value: unknown) => ({ id, workspaceId, meter, timestamp: '2026-03-01T09:00:00Z', value });
    // JSON.parse reads 123456789012345678 as 123456789012345680: billing it would charge 2 units nobody sent.
    const result = await postEvents(admin.client, [
      // eslint-disable-next-line no-loss-of-precision -- the point: a JSON number a double cannot hold
      event('unsafe-integer', 123456789012345678),
      event('seventeen-digits', 1234567.123456789),
      event('safe-integer', 9007199254740991),
      event('fifteen-digits', 1234567.12345678),
      event('as-string', '123456789012345678'),
    ]);
    expect(result.rejected.map((rejection) => [rejection.id, rejection.code])).toEqual([
      ['unsafe-integer', 'invalid_value'],
      ['seventeen-digits', 'invalid_value'],
    ]);
    expect((result.rejected[0] as { message?: string }).message).toMatch(/as strings/);
    const usage = await ok(admin.client.get(`/api/v1/workspaces/${workspaceId}/usage`));
    expect(usage.quantities[meter]).toBe('132463988268321236.123457'); // 123456789012345678 + 9007199254740991 + 1234567.12345678, 6 decimals shown
  });
});
