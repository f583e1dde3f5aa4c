/**
 * Transactions as the services use them (`inTransaction`), on both databases: on SQLite, concurrent units
 * share a group commit; these tests pin what that must not change. Plus prepared queries.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/database.js';
import { preparedQuery } from '../../src/server/db/prepared-query.js';
import { inTransaction } from '../../src/server/db/unit-of-work.js';
import { newId } from '../../src/server/ids.js';
import { openTestDatabase } from '../support/database.js';
import { postgresUrl, testDialects } from '../support/dialects.js';

const at = '2026-03-01T09:00:00.000Z';

const insertUser = (db: Db['kysely'], email: string) =>
  db.insertInto('users').values({ id: newId(), email, name: email, password_hash: 'x', created_at: at }).execute();
/** `insertUser` as the last statement of its transaction (`RunOptions.endsTransaction`). */
const insertUserLast = preparedQuery((kysely, args: { id: string; email: string; at: string }) =>
  kysely.insertInto('users').values({ id: args.id, email: args.email, name: args.email, password_hash: 'x', created_at: args.at }),
);
const emails = async (db: Db) => (await db.kysely.selectFrom('users').select('email').orderBy('email').execute()).map((row) => row.email);

describe.each(testDialects())('transactions on %s', (dialect) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await openTestDatabase(dialect)));
  afterAll(() => close());

  it('commits concurrent units independently: one that fails leaves no trace and takes no other down', async () => {
    const effects: string[] = [];
    const unit = (email: string, fail: boolean) =>
      inTransaction(db, async ({ tx, afterCommit }) => {
        await insertUser(tx, email);
        afterCommit(() => void effects.push(email));
        if (fail) throw new Error(`${email} refused`);
        return email;
      });
    const results = await Promise.allSettled(['a@t.io', 'b@t.io', 'c@t.io', 'd@t.io', 'e@t.io'].map((email, i) => unit(email, i === 2)));

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('c@t.io refused'));
    expect(await emails(db)).toEqual(['a@t.io', 'b@t.io', 'd@t.io', 'e@t.io']);
    expect(effects.sort()).toEqual(['a@t.io', 'b@t.io', 'd@t.io', 'e@t.io']);
  });

  it('a unit that violates a constraint is rolled back alone and its error reaches its caller', async () => {
    const [duplicate, fresh] = await Promise.allSettled([
      inTransaction(db, async ({ tx }) => {
        await insertUser(tx, 'f@t.io');
        await insertUser(tx, 'a@t.io'); // already taken: unique violation
      }),
      inTransaction(db, ({ tx }) => insertUser(tx, 'g@t.io')),
    ]);
    expect(duplicate.status).toBe('rejected');
    expect(fresh.status).toBe('fulfilled');
    expect(await emails(db)).toEqual(['a@t.io', 'b@t.io', 'd@t.io', 'e@t.io', 'g@t.io']);
  });

  it('runs a prepared query with the results of the same query built afresh', async () => {
    const byEmail = preparedQuery((kysely, args: { email: string }) => kysely.selectFrom('users').select(['email', 'name']).where('email', '=', args.email));
    expect(await byEmail.executeTakeFirst(db.kysely, { email: 'b@t.io' })).toEqual(
      await db.kysely.selectFrom('users').select(['email', 'name']).where('email', '=', 'b@t.io').executeTakeFirst(),
    );
    expect(await byEmail.execute(db.kysely, { email: 'nobody@t.io' })).toEqual([]);
    await inTransaction(db, async ({ tx }) => {
      await insertUser(tx, 'i@t.io');
      expect(await byEmail.executeTakeFirst(tx, { email: 'i@t.io' })).toEqual({ email: 'i@t.io', name: 'i@t.io' });
    });
  });

  it('commits a transaction whose last statement says it ends it, effects after; rolls it all back when that statement fails', async () => {
    const effects: string[] = [];
    const unit = (first: string, last: string) =>
      inTransaction(db, async ({ tx, afterCommit }) => {
        await insertUser(tx, first);
        await insertUserLast.run(tx, { id: newId(), email: last, at }, { endsTransaction: true });
        afterCommit(() => void effects.push(last));
        return last;
      });

    expect(await unit('j@t.io', 'k@t.io')).toBe('k@t.io');
    await expect(unit('l@t.io', 'a@t.io')).rejects.toThrow(/unique|UNIQUE/); // the last insert is a duplicate
    // A transaction with nothing in it still begins and ends cleanly.
    expect(await inTransaction(db, async () => 'empty')).toBe('empty');

    expect(await emails(db)).toEqual(expect.arrayContaining(['j@t.io', 'k@t.io']));
    expect(await emails(db)).not.toContain('l@t.io');
    expect(effects).toEqual(['k@t.io']);
    // The connections went back to the pool in a usable state.
    expect(
      await Promise.all(Array.from({ length: 12 }, () => inTransaction(db, ({ tx }) => tx.selectFrom('users').select('email').limit(1).execute()))),
    ).toHaveLength(12);
  });

  it('refuses to prepare a query whose argument is not a bound parameter', async () => {
    // A literal is written into the SQL text: it cannot change per call.
    const withLiteral = preparedQuery((kysely, args: { name: string }) => kysely.selectFrom('users').select(sql.lit(args.name).as('label')));
    await expect(withLiteral.execute(db.kysely, { name: 'x' })).rejects.toThrow(/immediate value|not a bound parameter/);
  });

  it('refuses to prepare a query that spreads its arguments, which would bind none of them', async () => {
    const spread = preparedQuery((kysely, row: { email: string; name: string }) =>
      kysely
        .selectFrom('users')
        .select('email')
        .where('email', '=', { ...row }.email),
    );
    await expect(spread.execute(db.kysely, { email: 'a@t.io', name: 'a' })).rejects.toThrow(/cannot be spread/);
  });
});

describe.runIf(testDialects().includes('postgres'))('PostgreSQL connections', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await openTestDatabase('postgres')));
  afterAll(() => close());

  it('keep their prepared statements answering after a migration adds a column under them, in a transaction and outside one', async () => {
    const userByEmail = preparedQuery((kysely, args: { email: string }) => kysely.selectFrom('users').selectAll().where('email', '=', args.email));
    await insertUser(db.kysely, 'plan@t.io');
    const inTx = () => inTransaction(db, ({ tx }) => userByEmail.executeTakeFirst(tx, { email: 'plan@t.io' }));
    // Prepared on the connection(s) the pool hands out.
    expect(await userByEmail.executeTakeFirst(db.kysely, { email: 'plan@t.io' })).toMatchObject({ email: 'plan@t.io' });
    expect(await inTx()).toMatchObject({ email: 'plan@t.io' });

    await sql`alter table users add column nickname text`.execute(db.kysely);
    expect(await inTx()).toMatchObject({ email: 'plan@t.io', nickname: null });
    await sql`alter table users add column motto text`.execute(db.kysely);
    expect(await userByEmail.executeTakeFirst(db.kysely, { email: 'plan@t.io' })).toMatchObject({ email: 'plan@t.io', nickname: null, motto: null });
  });

  it('fail only the transaction whose connection dies, writing none of it, and go on with fresh connections', async () => {
    const doomed = inTransaction(db, async ({ tx }) => {
      await insertUser(tx, 'doomed-1@t.io');
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(db.kysely); // from another connection
      await insertUserLast.run(tx, { id: newId(), email: 'doomed-2@t.io', at }, { endsTransaction: true });
    });
    await expect(doomed).rejects.toThrow();
    const alive = () => inTransaction(db, ({ tx }) => insertUserLast.run(tx, { id: newId(), email: `alive-${newId()}@t.io`, at }, { endsTransaction: true }));
    await Promise.all(Array.from({ length: 12 }, alive));
    const after = await emails(db);
    expect(after.filter((email) => email.startsWith('doomed'))).toEqual([]);
    expect(after.filter((email) => email.startsWith('alive'))).toHaveLength(12);
  });

  it('survive the server ending their idle connections, as a restart does, and answer on fresh ones', async () => {
    // Hold several connections at once (a transaction each) to learn their server processes.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const pids: number[] = [];
    const holders = Array.from({ length: 4 }, () =>
      inTransaction(db, async ({ tx }) => {
        pids.push((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid);
        await held;
      }),
    );
    await expect.poll(() => pids.length).toBe(4);
    release();
    await Promise.all(holders);

    // Idle in the pool now: end them from outside it.
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the pool hears of it

    await Promise.all(Array.from({ length: 6 }, (_, i) => insertUser(db.kysely, `after-restart-${i}@t.io`)));
    expect((await emails(db)).filter((email) => email.startsWith('after-restart'))).toHaveLength(6);
  });

  it('refuse a statement after the one that ends its transaction, instead of running it outside', async () => {
    const effects: string[] = [];
    const misuse = inTransaction(db, async ({ tx, afterCommit }) => {
      await insertUserLast.run(tx, { id: newId(), email: 'last@t.io', at }, { endsTransaction: true });
      afterCommit(() => void effects.push('published'));
      await insertUser(tx, 'after@t.io');
    });
    // The COMMIT had already gone out with the last statement: the caller hears of the misuse, loudly.
    await expect(misuse).rejects.toThrow(/after the one that ends its transaction|committed with its last statement/);
    expect(await emails(db)).toContain('last@t.io');
    expect(await emails(db)).not.toContain('after@t.io');
    expect(effects).toEqual([]);
  });
});

describe('SQLite group commit', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await openTestDatabase('sqlite')));
  afterAll(() => close());

  it('fails every unit of a batch whose shared COMMIT fails, and writes none of them', async () => {
    const results = await Promise.allSettled([
      inTransaction(db, ({ tx }) => insertUser(tx, 'one@t.io')),
      inTransaction(db, async ({ tx }) => {
        // A foreign-key violation checked only at COMMIT: the shared commit itself fails.
        await sql`pragma defer_foreign_keys = on`.execute(tx);
        await tx.insertInto('sessions').values({ token_hash: 'h', user_id: 'no-such-user', created_at: at, expires_at: at }).execute();
      }),
      inTransaction(db, ({ tx }) => insertUser(tx, 'two@t.io')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await emails(db)).toEqual([]);
    // The connection is usable again afterwards.
    await inTransaction(db, ({ tx }) => insertUser(tx, 'three@t.io'));
    expect(await emails(db)).toEqual(['three@t.io']);
  });

  it('syncs the WAL to disk in every COMMIT, so an acknowledged write survives a power cut, not only a crash of the process', async () => {
    // 2 = FULL; NORMAL (1) syncs only at checkpoints, and its last commits can roll back after an OS crash.
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely);
    expect(rows[0]!.synchronous).toBe(2);
  });

  it('keeps a plain read waiting while a batch is open, so it never sees a write before it is acknowledged', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const writing = inTransaction(db, async ({ tx }) => {
      await insertUser(tx, 'four@t.io');
      await gate;
    }).then(() => order.push('acknowledged'));
    await new Promise((resolve) => setImmediate(resolve));
    const reading = emails(db).then((seen) => order.push(seen.includes('four@t.io') ? 'read: present' : 'read: absent'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await Promise.all([writing, reading]);
    expect(order).toEqual(['acknowledged', 'read: present']);
  });
});

describe('SQLite checkpoints', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await openTestDatabase('sqlite')));
  afterAll(() => close());

  const walFrames = async () => (await sql<{ log: number }>`pragma wal_checkpoint(passive)`.execute(db.kysely)).rows[0]!.log;

  it('copies the WAL back in the background, so after a pause in writing it starts again from the beginning', async () => {
    for (let i = 0; i < 200; i++) await inTransaction(db, ({ tx }) => insertUser(tx, `wal${i}@t.io`));
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // the checkpointer runs once a second
    await inTransaction(db, ({ tx }) => insertUser(tx, 'after-pause@t.io'));
    // Only the last write is in the WAL; without the background checkpoints it would hold all 201.
    expect(await walFrames()).toBeLessThan(20);
  });
});

describe('SQLite group commit on a database that cannot be written', () => {
  it('answers every unit with the error instead of waiting forever', async () => {
    const { db, close } = await openTestDatabase('sqlite');
    try {
      await sql`pragma query_only = on`.execute(db.kysely); // BEGIN IMMEDIATE now fails, as on a read-only file
      const results = await Promise.allSettled([1, 2, 3].map((i) => inTransaction(db, ({ tx }) => insertUser(tx, `ro${i}@t.io`))));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      await sql`pragma query_only = off`.execute(db.kysely);
      await close();
    }
  });
});
