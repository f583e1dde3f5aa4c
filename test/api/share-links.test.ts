import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createList, createUser } from '../support/client.js';
import { postgresUrl, testDialects } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { shareList, tokenOf } from '../support/sharing.js';

describe.each(testDialects())('share links on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  /** A owns a list shared with B as editor, and makes an editor link; then hands ownership to B. */
  async function handedOver() {
    const a = await createUser(server.url, 'A');
    const b = await createUser(server.url, 'B');
    const list = await createList(a.client, 'L');
    await shareList(a.client, list.id, b, 'editor');
    const link = await a.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'editor' });
    expect(link.status).toBe(201);
    expect((await a.client.patch(`/api/v1/lists/${list.id}/members/${b.user.id}`, { role: 'owner' })).status).toBe(200);
    return { a, b, list, token: tokenOf(link.body.url) };
  }

  it('a link made by someone since removed from the list lets nobody in, its maker included', async () => {
    const { a, b, list, token } = await handedOver();
    expect((await b.client.delete(`/api/v1/lists/${list.id}/members/${a.user.id}`)).status).toBe(204);
    const back = await a.client.post('/api/v1/share-links/join', { token });
    expect([back.status, back.body.code]).toEqual([410, 'gone']);
    expect((await a.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
    const stranger = await createUser(server.url);
    expect((await stranger.client.post('/api/v1/share-links/join', { token })).status).toBe(410);
    expect((await stranger.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it('a link made by someone since demoted below managing share links lets nobody in', async () => {
    const { a, b, list, token } = await handedOver();
    expect((await b.client.patch(`/api/v1/lists/${list.id}/members/${a.user.id}`, { role: 'viewer' })).body.role).toBe('viewer');
    const stranger = await createUser(server.url);
    const joined = await stranger.client.post('/api/v1/share-links/join', { token });
    expect([joined.status, joined.body.code]).toEqual([410, 'gone']);
    expect((await stranger.client.get(`/api/v1/lists/${list.id}`)).status).toBe(404);
  });

  it("handing ownership over ends the old owner's link (they stay an editor, who cannot manage links); the new owner makes their own", async () => {
    const { b, list, token } = await handedOver();
    const stranger = await createUser(server.url);
    expect((await stranger.client.post('/api/v1/share-links/join', { token })).status).toBe(410);
    // The new owner's share dialog does not show it as working.
    expect((await b.client.get(`/api/v1/lists/${list.id}/share-link`)).body).toEqual({ shareLink: null });
    const renewed = await b.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'editor' });
    const joined = await stranger.client.post('/api/v1/share-links/join', { token: tokenOf(renewed.body.url) });
    expect(joined.body.list).toMatchObject({ id: list.id, role: 'editor' });
  });

  // PostgreSQL only: there a join waits for the list's row lock, which a deletion holds; SQLite has one writer.
  it.runIf(dialect === 'postgres')('joining while the list is being deleted answers 404, not 500', async () => {
    const owner = await createUser(server.url, 'Owner');
    const joiner = await createUser(server.url, 'Joiner');
    const list = await createList(owner.client, 'Doomed');
    const link = await owner.client.post(`/api/v1/lists/${list.id}/share-link`, { role: 'viewer' });
    // A second connection holds the list's row lock, so the deletion and then the join queue behind it in that order:
    // the join has read the link before its lock, and finds the list gone once it gets it.
    const holder = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${server.config.databaseSchema}` });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from lists where id = $1 for update', [list.id]);
      const deleting = owner.client.delete(`/api/v1/lists/${list.id}`);
      await waitForLockWaiters(holder, 1);
      const joining = joiner.client.post('/api/v1/share-links/join', { token: tokenOf(link.body.url) });
      await waitForLockWaiters(holder, 2);
      await holder.query('commit');
      const [deleted, joined] = await Promise.all([deleting, joining]);
      expect(deleted.status).toBe(204);
      expect([joined.status, joined.body.code]).toEqual([404, 'not_found']);
    } finally {
      await holder.end();
    }
  });
});

/** Waits until `count` other sessions queue behind the holder's lock. */
async function waitForLockWaiters(holder: pg.Client, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await holder.query('select pg_stat_clear_snapshot()'); // pg_stat_activity is otherwise read once per transaction
    // Blocked by the holder, or by a session the holder blocks (the second in line waits for the first's tuple lock).
    const { rows } = await holder.query(`
      select count(*)::int as n from pg_stat_activity a
      where pg_backend_pid() = any(pg_blocking_pids(a.pid))
         or exists (select 1 from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid)) and pg_backend_pid() = any(pg_blocking_pids(b.pid)))`);
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`expected ${count} sessions waiting for a lock`);
}
