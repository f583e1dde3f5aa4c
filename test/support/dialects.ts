/**
 * Which databases the storage and API suites run on: SQLite always; PostgreSQL when CI=true or
 * TEST_DATABASE_URL is set (then it is mandatory: a connection failure fails the suite), otherwise
 * skipped with a printed notice.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const postgresRequired = process.env.CI === 'true' || Boolean(process.env.TEST_DATABASE_URL);

let noticePrinted = false;
export function testDialects(): TestDialect[] {
  if (postgresRequired) return ['sqlite', 'postgres'];
  if (!noticePrinted) {
    noticePrinted = true;
    console.warn('[listo tests] PostgreSQL suites skipped: set CI=true or TEST_DATABASE_URL to run them.');
  }
  return ['sqlite'];
}

/** A fresh PostgreSQL schema for one test server, dropped by the returned function. */
export async function createPostgresSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
