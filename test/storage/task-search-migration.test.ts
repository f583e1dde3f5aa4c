/** Migration 0006 fills in `tasks.search_text` for the tasks already there, on both databases. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo, openDatabase, type Db } from '../../src/server/db/database.js';
import { newId } from '../../src/server/ids.js';
import { createPostgresSchema, postgresUrl, testDialects } from '../support/dialects.js';

async function openEmptyDatabase(dialect: 'sqlite' | 'postgres'): Promise<{ db: Db; schema: string | null; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const { schema, drop } = await createPostgresSchema();
    const db = openDatabase({ databaseUrl: postgresUrl, databaseSchema: schema, dataDir: '' });
    return { db, schema, close: async () => (await db.close(), await drop()) };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-migration-'));
  const db = openDatabase({ databaseUrl: null, databaseSchema: null, dataDir });
  return { db, schema: null, close: async () => (await db.close(), fs.rmSync(dataDir, { recursive: true, force: true })) };
}

describe.each(testDialects())('task search migration on %s', (dialect) => {
  it('makes tasks written before it findable by title, notes and blocks', async () => {
    const { db, schema, close } = await openEmptyDatabase(dialect);
    try {
      await migrateUpTo(db, schema, '0005-upload-release');
      const at = '2026-03-01T09:00:00.000Z';
      const [userId, workspaceId, listId] = [newId(), newId(), newId()];
      const k = db.kysely as any; // the tables as they were before 0006
      await k.insertInto('users').values({ id: userId, email: 'old@example.com', name: 'Old', password_hash: 'x', created_at: at }).execute();
      await k.insertInto('workspaces').values({ id: workspaceId, name: 'Old', kind: 'personal', created_by: userId, created_at: at }).execute();
      await k
        .insertInto('lists')
        .values({ id: listId, workspace_id: workspaceId, name: 'Old', position: 'a0', version: 1, archived_at: null, created_by: userId, created_at: at, updated_at: at })
        .execute();
      const task = (title: string, notes: string, blocks: unknown[], position: string) => ({
        id: newId(),
        workspace_id: workspaceId,
        list_id: listId,
        title,
        notes,
        completed_at: null,
        completed_by: null,
        due_date: null,
        due_time_zone: null,
        priority: 4,
        position,
        assignee_id: null,
        blocks: JSON.stringify(blocks),
        created_by: userId,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        deleted_by: null,
      });
      const rows = [
        task('Réserver le Café', 'près de la GARE', [], 'a0'),
        task('Plan', '', [{ type: 'link', url: 'https://example.com', title: 'Pancake Recipes' }], 'a1'),
      ];
      await k.insertInto('tasks').values(rows).execute();

      expect(await migrateToLatest(db, schema)).toContain('0006-task-search');
      const texts = await db.kysely.selectFrom('tasks').select(['id', 'search_text']).orderBy('position').execute();
      expect(texts.map((row) => row.search_text)).toEqual(['reserver le cafe pres de la gare', 'plan pancake recipes (https://example.com)']);
    } finally {
      await close();
    }
  });
});
