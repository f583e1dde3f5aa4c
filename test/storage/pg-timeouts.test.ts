/**
 * PostgreSQL: nothing waits forever on a stalled database. A statement blocked by a lock fails after the lock timeout,
 * a long one after the statement timeout, a query that finds every pooled connection busy (or a database that accepts
 * connections and never answers) after the connect timeout; migrations run without those timeouts and leave them set.
 */
import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { migrateToLatest, openDatabase, type Db } from '../../src/server/db/database.js';
import { createPostgresSchema, postgresUrl, testDialects } from '../support/dialects.js';

const onPostgres = testDialects().includes('postgres');

/** Kysely's migration lock (`PostgresAdapter.acquireMigrationLock`): another node's migration holds it. */
const kyselyMigrationLock = '3853314791062309107';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openWith(env: Record<string, string>, { migrate = true } = {}): Promise<{ db: Db; schema: string }> {
  const { schema, drop } = await createPostgresSchema();
  cleanups.push(drop);
  const db = openDatabase(loadConfig({ DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema, ...env }));
  cleanups.push(() => db.close());
  if (migrate) await migrateToLatest(db, schema);
  return { db, schema };
}

async function outsideClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** How a promise settles, and after how long; a hang shows as 'no answer' instead of a test timeout. */
async function settle(
  work: Promise<unknown>,
  waitMs = 8_000,
): Promise<{ outcome: 'answered' | 'failed' | 'no answer'; error?: { code?: string; message: string }; ms: number }> {
  const started = Date.now();
  const outcome = await Promise.race([
    work.then(
      () => ({ outcome: 'answered' as const }),
      (error: { code?: string; message: string }) => ({ outcome: 'failed' as const, error }),
    ),
    new Promise<{ outcome: 'no answer' }>((resolve) => setTimeout(() => resolve({ outcome: 'no answer' }), waitMs)),
  ]);
  return { ...outcome, ms: Date.now() - started };
}

describe.skipIf(!onPostgres)('PostgreSQL timeouts', () => {
  it('fails a statement blocked by a lock held from another connection after the lock timeout (55P03)', async () => {
    const { db, schema } = await openWith({ LISTO_DB_LOCK_TIMEOUT_MS: '300' });
    const locker = await outsideClient();
    await locker.query('begin');
    await locker.query(`lock table ${schema}.lists in access exclusive mode`);
    cleanups.push(() => locker.query('rollback'));

    const result = await settle(db.kysely.selectFrom('lists').select('id').execute());
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('55P03');
    expect(result.ms).toBeLessThan(3_000);
    // Other tables are still served.
    expect(await db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('cancels a statement running longer than the statement timeout (57014)', async () => {
    const { db } = await openWith({ LISTO_DB_STATEMENT_TIMEOUT_MS: '300' });
    const result = await settle(sql`select pg_sleep(10)`.execute(db.kysely));
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('57014');
    expect(result.ms).toBeLessThan(3_000);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db.kysely)).rows).toEqual([{ one: 1 }]);
  });

  it('fails a query that finds every pooled connection busy after the connect timeout', async () => {
    const { db } = await openWith({ LISTO_DB_POOL_SIZE: '2', LISTO_DB_CONNECT_TIMEOUT_MS: '300' });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Both connections taken, as by requests blocked on a lock.
    const holders = [0, 1].map(() => db.kysely.connection().execute(() => released));
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      const result = await settle(db.kysely.selectFrom('users').select('id').execute());
      expect(result.outcome).toBe('failed');
      expect(result.error?.message).toMatch(/timeout exceeded when trying to connect/);
      expect(result.ms).toBeLessThan(2_000);
    } finally {
      release();
      await Promise.all(holders);
    }
    expect(await db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('fails to connect to a database that accepts the connection and never answers, instead of hanging', async () => {
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((socket) => (sockets.add(socket), socket.on('error', () => {})));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hole.close(resolve));
    });
    const { port } = hole.address() as net.AddressInfo;
    const db = openDatabase(loadConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`, LISTO_DB_CONNECT_TIMEOUT_MS: '300' }));
    cleanups.push(() => db.close());

    const query = await settle(db.kysely.selectFrom('users').select('id').execute());
    expect(query.outcome).toBe('failed');
    expect(query.ms).toBeLessThan(3_000);
    // What `listo serve` and `listo migrate` run first.
    const migration = await settle(migrateToLatest(db, null));
    expect(migration.outcome).toBe('failed');
    expect(migration.ms).toBeLessThan(3_000);
  });

  it('fails a query sent to a server that then goes silent (a partition), and the pool connects afresh', async () => {
    let silent = false;
    const pairs = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const server = net.connect(new URL(postgresUrl).port ? Number(new URL(postgresUrl).port) : 5432, new URL(postgresUrl).hostname);
      pairs.add(client).add(server);
      client.on('data', (data) => silent || server.write(data));
      server.on('data', (data) => silent || client.write(data));
      const end = () => (client.destroy(), server.destroy());
      for (const socket of [client, server]) socket.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of pairs) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    });
    const { schema, drop } = await createPostgresSchema();
    cleanups.push(drop);
    const url = new URL(postgresUrl);
    url.port = String((proxy.address() as net.AddressInfo).port);
    const db = openDatabase(
      loadConfig({ DATABASE_URL: url.toString(), DATABASE_SCHEMA: schema, LISTO_DB_POOL_SIZE: '1', LISTO_DB_STATEMENT_TIMEOUT_MS: '500' }),
    );
    cleanups.push(() => db.close());
    await migrateToLatest(db, schema);

    silent = true;
    const result = await settle(db.kysely.selectFrom('users').select('id').execute());
    expect(result.outcome).toBe('failed');
    expect(result.ms).toBeLessThan(3_000);
    silent = false;
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pool drops the destroyed connection
    expect(await db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('migrates with the timeouts set: waits for another migration longer than them, and leaves them in force', async () => {
    const env = { LISTO_DB_POOL_SIZE: '1', LISTO_DB_STATEMENT_TIMEOUT_MS: '200', LISTO_DB_LOCK_TIMEOUT_MS: '100' };
    const { db, schema } = await openWith(env, { migrate: false });
    const otherNode = await outsideClient();
    await otherNode.query(`select pg_advisory_lock(${kyselyMigrationLock})`);
    const unlocked = new Promise((resolve) => setTimeout(resolve, 800)).then(() => otherNode.query(`select pg_advisory_unlock(${kyselyMigrationLock})`));

    const result = await settle(migrateToLatest(db, schema), 15_000);
    await unlocked;
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('answered');
    expect(result.ms).toBeGreaterThanOrEqual(500);
    expect(await db.kysely.selectFrom('tasks').select('id').execute()).toEqual([]);

    // The pool's one connection, which ran the migration, has the configured timeouts again.
    const settings = await sql<{
      statement: string;
      lock: string;
    }>`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock`.execute(db.kysely);
    expect(settings.rows).toEqual([{ statement: '200ms', lock: '100ms' }]);
  });
});
