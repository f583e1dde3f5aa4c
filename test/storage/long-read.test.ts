/** `Db.readLong`: a read that scans a lot leaves the event loop free for everyone else, and sees every committed write. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/server/ids.js';
import { openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';

describe.each(testDialects())('long reads on %s', (dialect) => {
  it('keep the event loop turning while they scan', async () => {
    const { db, close } = await openTestDatabase(dialect);
    try {
      // Counting to a few million in a recursive query: a scan of that many rows, with no table to build.
      const count = sql<{ n: number }>`with recursive c(n) as (select 1 union all select n + 1 from c where n < 3000000) select count(*) as n from c`;
      let lastTick = performance.now();
      let longestGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - lastTick);
        lastTick = now;
      }, 5);
      const started = performance.now();
      const rows = await db.readLong(count.compile(db.kysely));
      const took = performance.now() - started;
      clearInterval(ticker);
      longestGap = Math.max(longestGap, performance.now() - lastTick); // a loop held to the end never ticked at all
      expect(Number(rows[0]!.n)).toBe(3_000_000);
      expect(took).toBeGreaterThan(150); // or the test proves nothing: make the count bigger
      expect(longestGap).toBeLessThan(took / 2);
    } finally {
      await close();
    }
  });

  it('see what was committed just before', async () => {
    const { db, close } = await openTestDatabase(dialect);
    try {
      const id = newId();
      await db.transaction((tx) =>
        tx
          .insertInto('users')
          .values({ id, email: `${id}@example.com`, name: 'Just made', password_hash: 'x', created_at: new Date().toISOString() })
          .execute(),
      );
      const rows = await db.readLong(db.kysely.selectFrom('users').select('name').where('id', '=', id).compile());
      expect(rows).toEqual([{ name: 'Just made' }]);
    } finally {
      await close();
    }
  });

  it('answer a failing statement with its error, go on serving, and refuse reads once the database is closed', async () => {
    const { db, close } = await openTestDatabase(dialect);
    let closed = false;
    try {
      await expect(db.readLong(sql`select * from no_such_table`.compile(db.kysely))).rejects.toThrow(/no_such_table/);
      expect(await db.readLong(sql<{ one: number }>`select 1 as one`.compile(db.kysely))).toEqual([{ one: 1 }]);
      await close();
      closed = true;
      await expect(db.readLong(sql`select 1 as one`.compile(db.kysely))).rejects.toThrow();
    } finally {
      if (!closed) await close();
    }
  });
});
