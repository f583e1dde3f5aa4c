/**
 * Usage reported while a cancelled subscription's final invoice is being finalized: every event answered
 * `accepted` is on that invoice, and every other one is refused `subscription_ended`; none is accepted unbilled.
 * Both interleavings are driven step by step: an event checked just before the finalization and stored just after
 * (both dialects), and, on PostgreSQL, a finalization starting while an ingestion that passed its checks is still
 * writing (an outside connection holds that ingestion in its transaction).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingAdmin, createPlan, invoicesOf, ok, postEvents, subscribe, uniqueMeterCode, workspaceOf } from '../support/billing.js';
import { postgresUrl, testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(testDialects())('usage reported while the final invoice is finalized, on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  /**
   * A workspace whose subscription (10.00 a month, 1.00 a unit of each meter) was cancelled in April, on the server
   * clock: at 2026-05-01T00:30Z its final invoice is a draft in its grace hour, which ends at 01:00.
   */
  async function cancelledInGrace(meters: string[]) {
    server.clock.set(new Date('2026-04-01T00:00:00Z'));
    let admin = (await createBillingAdmin(server)).client;
    for (const code of meters) await ok(admin.post('/api/v1/billing/meters', { code, name: code, aggregation: 'sum' }), 201);
    const plan = await createPlan(admin, { amount: '10', charges: meters.map((meter) => ({ meter, model: 'standard', unitAmount: '1' })) });
    const { workspaceId } = await workspaceOf(admin);
    await subscribe(admin, workspaceId, { plan: plan.code });
    server.clock.set(new Date('2026-04-10T00:00:00Z'));
    expect((await postEvents(admin, [{ id: 'on-time', workspaceId, meter: meters[0], timestamp: '2026-04-10T00:00:00Z', value: '5' }])).accepted).toBe(1);
    await ok(admin.delete(`/api/v1/workspaces/${workspaceId}/subscription`));
    server.clock.set(new Date('2026-05-01T00:30:00Z'));
    admin = (await createBillingAdmin(server)).client; // a fresh session after weeks
    await close();
    expect((await invoicesOf(admin, workspaceId)).map((invoice) => invoice.status)).toEqual(['draft']);
    return { admin, workspaceId };
  }

  /** The close job as the cron runs it, at `now` on the server clock. */
  const close = (now = server.clock.now()) => server.app.billing.job.closeDuePeriods({ testClockId: null, now });
  const afterGrace = new Date('2026-05-01T01:30:00Z');

  it('an event checked before the final invoice is finalized, and stored after it, is refused, not accepted unbilled', async () => {
    const [first, second] = [uniqueMeterCode('calls'), uniqueMeterCode('seats')];
    const { admin, workspaceId } = await cancelledInGrace([first, second]);
    // The batch's first event is checked (the draft is still open); looking up the second event's meter, the
    // final invoice is finalized, before the batch's transaction begins.
    const meters = server.app.billing.meters;
    const findMeter = meters.findMeter;
    let finalized = 0;
    meters.findMeter = async (code, reader) => {
      if (code === second && finalized === 0) finalized = (await close(afterGrace)).invoicesFinalized;
      return findMeter(code, reader);
    };
    let answer: Awaited<ReturnType<typeof postEvents>>;
    try {
      answer = await postEvents(admin, [
        { id: 'checked-before', workspaceId, meter: first, timestamp: '2026-04-20T00:00:00Z', value: '7' },
        { id: 'checked-during', workspaceId, meter: second, timestamp: '2026-04-21T00:00:00Z', value: '3' },
      ]);
    } finally {
      meters.findMeter = findMeter;
    }
    expect(finalized).toBe(1);

    const [invoice] = await invoicesOf(admin, workspaceId);
    expect([invoice.status, invoice.total]).toEqual(['finalized', '15.00']);
    expect(answer).toMatchObject({
      accepted: 0,
      duplicates: 0,
      rejected: [
        { id: 'checked-before', code: 'subscription_ended' },
        { id: 'checked-during', code: 'subscription_ended' },
      ],
    });
    // Refused means not stored: a replay is refused again, not counted as a duplicate.
    const replay = await postEvents(admin, [{ id: 'checked-before', workspaceId, meter: first, timestamp: '2026-04-20T00:00:00Z', value: '7' }]);
    expect(replay).toMatchObject({ accepted: 0, duplicates: 0, rejected: [{ id: 'checked-before', code: 'subscription_ended' }] });
  });

  // PostgreSQL only: there an ingestion and a finalization run at the same time; SQLite has one writer.
  it.runIf(dialect === 'postgres')('a finalization that starts while an accepted batch is being stored waits for it, and bills it', async () => {
    const meter = uniqueMeterCode('calls');
    const { admin, workspaceId } = await cancelledInGrace([meter]);
    const call = (id: string, timestamp: string, value: string) => postEvents(admin, [{ id, workspaceId, meter, timestamp, value }]);
    expect((await call('in-grace', '2026-04-20T00:00:00Z', '7')).accepted).toBe(1);

    // An outside connection locks the workspace's rollups: the next batch passes its checks, takes the workspace's
    // ingestion lock, stores its event and waits there, its transaction open.
    const holder = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${server.config.databaseSchema}` });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from billing_rollups where workspace_id = $1 for update', [workspaceId]);
      const racing = call('racing', '2026-04-20T00:10:00Z', '100');
      await waitForLockWaiters(holder, 1);

      // The grace hour is over: the close job finalizes the draft now. Either it waits for that batch (behind it in
      // line) or it finishes first, as it did before: the batch is then accepted after the invoice was final.
      let settled = false;
      const closing = close(afterGrace).finally(() => (settled = true));
      await waitForLockWaiters(holder, 2, () => settled);
      await holder.query('rollback');
      const [answer, closed] = await Promise.all([racing, closing]);
      expect(closed).toMatchObject({ invoicesFinalized: 1, failed: 0 });

      const [invoice] = await invoicesOf(admin, workspaceId);
      expect(invoice.status).toBe('finalized');
      // Accepted, so billed: 10 + 5 + 7 + 100.
      expect([answer.accepted, invoice.total]).toEqual([1, '122.00']);
    } finally {
      await holder.end();
    }
  });

  it.runIf(dialect === 'postgres')('a batch checked while the final invoice is being finalized waits for it, then is refused', async () => {
    const meter = uniqueMeterCode('calls');
    const { admin, workspaceId } = await cancelledInGrace([meter]);
    // An outside connection holds the invoice counter: the finalization claims the draft, takes the workspace's
    // ingestion lock and waits there for its number, its transaction open.
    const holder = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${server.config.databaseSchema}` });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query("select 1 from billing_counters where name = 'invoice' for update");
      const closing = close(afterGrace);
      await waitForLockWaiters(holder, 1);
      // The draft is not final yet, so the batch passes its checks; then it queues behind the finalization.
      let settled = false;
      const racing = postEvents(admin, [{ id: 'racing', workspaceId, meter, timestamp: '2026-04-20T00:10:00Z', value: '100' }]).finally(() => (settled = true));
      await waitForLockWaiters(holder, 2, () => settled);
      await holder.query('rollback');
      const [answer, closed] = await Promise.all([racing, closing]);
      expect(closed).toMatchObject({ invoicesFinalized: 1, failed: 0 });

      const [invoice] = await invoicesOf(admin, workspaceId);
      expect([invoice.status, invoice.total]).toEqual(['finalized', '15.00']);
      expect(answer).toMatchObject({ accepted: 0, rejected: [{ id: 'racing', code: 'subscription_ended' }] });
    } finally {
      await holder.end();
    }
  });
});

/** Waits until `count` sessions queue behind the holder's lock (directly or behind one that does), or `done()`. */
async function waitForLockWaiters(holder: pg.Client, count: number, done: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (done()) return;
    await holder.query('select pg_stat_clear_snapshot()'); // pg_stat_activity is otherwise read once per transaction
    const { rows } = await holder.query(`
      select count(*)::int as n from pg_stat_activity a
      where pg_backend_pid() = any(pg_blocking_pids(a.pid))
         or exists (select 1 from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid)) and pg_backend_pid() = any(pg_blocking_pids(b.pid)))`);
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`expected ${count} sessions waiting for a lock`);
}
