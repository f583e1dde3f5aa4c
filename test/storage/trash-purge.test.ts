/** The trash purge (hourly maintenance) works in batches, so a big trash does not hold the event loop in one transaction. */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/database.js';
import type { Database } from '../../src/server/db/schema.js';
import { expiredTasksBatch, purgeDeletedTasks } from '../../src/server/features/tasks/task.repository.js';
import { newId } from '../../src/server/ids.js';
import { insertPersonalList, openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';
import { CompiledQuery, type Insertable } from 'kysely';

const at = '2026-01-01T09:00:00.000Z';
const cutoff = '2026-06-01T00:00:00.000Z';
const expiredAt = '2026-02-01T00:00:00.000Z';
const recentlyAt = '2026-06-15T00:00:00.000Z';

async function insertInChunks<T extends 'tasks' | 'notifications'>(db: Db, table: T, rows: Insertable<Database[T]>[]) {
  for (let i = 0; i < rows.length; i += 400)
    await db.kysely
      .insertInto(table)
      .values(rows.slice(i, i + 400))
      .execute();
}

function taskRow(workspaceId: string, listId: string, userId: string, i: number, deletedAt: string | null = null) {
  return {
    id: newId(),
    workspace_id: workspaceId,
    list_id: listId,
    title: `t${i}`,
    notes: '',
    completed_at: null,
    completed_by: null,
    due_date: null,
    due_time_zone: null,
    priority: 4,
    position: `a${i}`,
    assignee_id: null,
    blocks: '[]',
    search_text: `t${i}`,
    created_by: userId,
    created_at: at,
    updated_at: at,
    deleted_at: deletedAt,
    deleted_by: deletedAt ? userId : null,
  };
}

describe.each(testDialects())('trash purge on %s', (dialect) => {
  it('purges every expired task with its notifications over several batches, and nothing else', async () => {
    const { db, close } = await openTestDatabase(dialect);
    try {
      const { userId, workspaceId, listId } = await insertPersonalList(db.kysely, { name: 'P', at });
      const task = (deletedAt: string | null, i: number) => taskRow(workspaceId, listId, userId, i, deletedAt);
      // Kept tasks interleaved by id (UUIDv7: creation order) with the expired ones, so batches walk past them.
      const expired: ReturnType<typeof task>[] = [];
      const kept: ReturnType<typeof task>[] = [];
      for (let i = 0; i < 2_502; i++) {
        if (i === 1_200 || i === 2_100) kept.push(task(recentlyAt, i), task(null, i + 10_000));
        else expired.push(task(expiredAt, i));
      }
      await insertInChunks(db, 'tasks', [...expired, ...kept]);
      const notification = (taskId: string) => ({
        id: newId(),
        workspace_id: workspaceId,
        user_id: userId,
        type: 'assigned' as const,
        actor_id: userId,
        list_id: listId,
        task_id: taskId,
        comment_id: null,
        invitation_id: null,
        data: '{}',
        created_at: at,
        read_at: null,
      });
      await insertInChunks(db, 'notifications', [...expired.map((t) => notification(t.id)), ...kept.map((t) => notification(t.id))]);

      let transactions = 0;
      const counting: Db = { ...db, transaction: (work) => (transactions++, db.transaction(work)) };
      const purged = await purgeDeletedTasks(counting, cutoff, 1_000);
      expect(transactions).toBeGreaterThanOrEqual(3); // 1,000 + 1,000 + 500
      expect(purged).toBe(2_500);

      const left = await db.kysely.selectFrom('tasks').select('id').orderBy('id').execute();
      expect(left.map((row) => row.id)).toEqual(kept.map((t) => t.id).sort());
      const notifications = await db.kysely.selectFrom('notifications').select('task_id').orderBy('task_id').execute();
      expect(notifications.map((row) => row.task_id)).toEqual(kept.map((t) => t.id).sort());

      // Nothing left to purge.
      expect(await purgeDeletedTasks(db, cutoff)).toBe(0);
    } finally {
      await close();
    }
  });
  it('finds a batch through the trash index, not by reading every live task', async () => {
    const { db, close } = await openTestDatabase(dialect);
    try {
      const { userId, workspaceId, listId } = await insertPersonalList(db.kysely, { name: 'P', at });
      // 10 in the trash among 3,000
      const rows = Array.from({ length: 3_000 }, (_, i) => taskRow(workspaceId, listId, userId, i, i % 300 === 0 ? expiredAt : null));
      await insertInChunks(db, 'tasks', rows);
      await db.kysely.executeQuery(CompiledQuery.raw('analyze'));
      const batch = expiredTasksBatch(db.kysely, cutoff, 1_000).compile();
      const explain = dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
      const plan = await db.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explain + batch.sql, [...batch.parameters]));
      const text = plan.rows.map((row) => Object.values(row).join(' ')).join('\n');
      expect(text).toContain('tasks_deleted_at');
      expect(text).not.toMatch(/SCAN tasks\b(?! USING)|Seq Scan on tasks/);
      expect(await purgeDeletedTasks(db, cutoff)).toBe(10);
    } finally {
      await close();
    }
  });
});
