/** A database of its own for one storage test: a temporary SQLite file, or a fresh PostgreSQL schema; removed by `close`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../src/server/db/database.js';
import { newId } from '../../src/server/ids.js';
import { createPostgresSchema, postgresUrl, type TestDialect } from './dialects.js';

export interface TestDatabase {
  db: Db;
  /** The PostgreSQL schema (null on SQLite), for migrating by hand. */
  schema: string | null;
  close(): Promise<void>;
}

/** Migrated to the latest version unless `migrate: false` (a migration's own test applies them itself). */
export async function openTestDatabase(dialect: TestDialect, { migrate = true }: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === 'postgres') {
    const { schema, drop } = await createPostgresSchema();
    const db = openDatabase({ databaseUrl: postgresUrl, databaseSchema: schema, dataDir: '' });
    if (migrate) await migrateToLatest(db, schema);
    return { db, schema, close: async () => (await db.close(), await drop()) };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-storage-'));
  const db = openDatabase({ databaseUrl: null, databaseSchema: null, dataDir });
  if (migrate) await migrateToLatest(db, null);
  return { db, schema: null, close: async () => (await db.close(), fs.rmSync(dataDir, { recursive: true, force: true })) };
}

/**
 * A user, their personal workspace and a list in it, inserted straight into the tables (columns these tables have
 * had since the first migration, so a migration's test may use it before migrating further).
 */
export async function insertPersonalList(kysely: Kysely<any>, { name, at }: { name: string; at: string }) {
  const [userId, workspaceId, listId] = [newId(), newId(), newId()];
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${userId.slice(-8)}@example.com`;
  await kysely.insertInto('users').values({ id: userId, email, name, password_hash: 'x', created_at: at }).execute();
  await kysely.insertInto('workspaces').values({ id: workspaceId, name, kind: 'personal', created_by: userId, created_at: at }).execute();
  await kysely
    .insertInto('lists')
    .values({ id: listId, workspace_id: workspaceId, name, position: 'a0', version: 1, archived_at: null, created_by: userId, created_at: at, updated_at: at })
    .execute();
  return { userId, workspaceId, listId };
}
