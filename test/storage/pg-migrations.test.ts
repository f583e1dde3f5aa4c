/** Migrating on PostgreSQL: nodes that start together against a fresh schema. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { postgresUrl, testDialects } from '../support/dialects.js';

const onPostgres = testDialects().includes('postgres');

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!onPostgres)('migrations on PostgreSQL', () => {
  it('two nodes migrating a fresh schema at the same moment both succeed, and each migration is applied once', async () => {
    const all = Object.keys(migrations).sort();
    for (let round = 0; round < 5; round++) {
      const schema = `t_race_${randomBytes(5).toString('hex')}`; // not created: the nodes create it
      const nodes = [0, 1].map(() => openDatabase({ databaseUrl: postgresUrl, databaseSchema: schema, dataDir: '' }));
      try {
        // One warm connection each, as a node has by then.
        await Promise.all(nodes.map((db) => db.kysely.selectNoFrom((eb) => eb.lit(1).as('x')).execute()));
        const results = await Promise.allSettled(nodes.map((db) => migrateToLatest(db, schema)));
        expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual(['ok', 'ok']);
        const applied = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
        expect(applied.sort()).toEqual(all);
        const recorded = await admin((client) => client.query<{ name: string }>(`select name from ${schema}.kysely_migration order by name`));
        expect(recorded.rows.map((row) => row.name)).toEqual(all);
        // And both nodes see a migrated schema.
        for (const db of nodes) expect(await db.kysely.selectFrom('tasks').select('id').execute()).toEqual([]);
      } finally {
        await Promise.all(nodes.map((db) => db.close()));
        await admin((client) => client.query(`drop schema if exists ${schema} cascade`));
      }
    }
  });
});
