/** A node of this version started against a database a newer Listo has migrated (a rollback, a rolling deploy). */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/server/db/database.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';

describe.each(testDialects())('a database migrated by a newer version (%s)', (dialect) => {
  it('refuses to migrate or serve it, saying which migration it does not know', async () => {
    const { db, schema, close } = await openTestDatabase(dialect);
    try {
      const table = schema ? `${schema}.kysely_migration` : 'kysely_migration';
      await sql`insert into ${sql.table(table)} (name, timestamp) values ('0008-from-a-newer-version', '2026-11-25T00:00:00.000Z')`.execute(db.kysely);
      const refused = migrateToLatest(db, schema);
      await expect(refused).rejects.toThrow(/^This database was migrated by a newer Listo \(0008-from-a-newer-version\); run that version or newer\./);
      const latest = Object.keys(migrations).sort().at(-1)!;
      await expect(refused).rejects.toThrow(`knows the migrations up to ${latest}`);
      // Nothing was changed: a second start says the same.
      await expect(migrateToLatest(db, schema)).rejects.toThrow(/newer Listo \(0008-from-a-newer-version\)/);
    } finally {
      await close();
    }
  });

  it('migrates as before when it knows every migration the database has', async () => {
    const { db, schema, close } = await openTestDatabase(dialect);
    try {
      expect(await migrateToLatest(db, schema)).toEqual([]);
    } finally {
      await close();
    }
  });
});
