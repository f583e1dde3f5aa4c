/** "Upcoming" (`GET /api/v1/tasks/due`) reads the caller's open dated tasks through `tasks_open_due` (migration 0015). */
import { CompiledQuery, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/schema.js';
import { dueTasksPageQuery, listDueTasks } from '../../src/server/features/tasks/task.repository.js';
import { newId } from '../../src/server/ids.js';
import { insertPersonalList, openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';

const at = '2026-01-01T09:00:00.000Z';

/** A person with a list of `count` tasks, one in three dated (a tenth of those done); their ids. */
async function personWithTasks(db: Kysely<Database>, name: string, count: number) {
  const person = await insertPersonalList(db, { name, at });
  await db
    .insertInto('list_members')
    .values({ list_id: person.listId, user_id: person.userId, workspace_id: person.workspaceId, role: 'owner', created_at: at })
    .execute();
  const rows = Array.from({ length: count }, (_, i) => {
    const dated = i % 3 === 0;
    return {
      id: newId(),
      workspace_id: person.workspaceId,
      list_id: person.listId,
      title: `${name} ${i}`,
      notes: '',
      completed_at: dated && i % 10 === 0 ? at : null,
      completed_by: dated && i % 10 === 0 ? person.userId : null,
      due_date: dated ? `2026-12-${String(1 + (i % 28)).padStart(2, '0')}` : null,
      due_time_zone: null,
      priority: 1 + (i % 4),
      position: `a${String(i).padStart(6, '0')}`,
      assignee_id: null,
      blocks: '[]',
      search_text: `${name} ${i}`,
      created_by: person.userId,
      created_at: at,
      updated_at: at,
      deleted_at: null,
      deleted_by: null,
    };
  });
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('tasks')
      .values(rows.slice(i, i + 400))
      .execute();
  return person;
}

describe.each(testDialects())('due tasks on %s', (dialect) => {
  it('are found through the open-due index, not by reading every task or every archived list', async () => {
    const { db, close } = await openTestDatabase(dialect);
    try {
      // Many people share the database; the caller has a few hundred tasks among tens of thousands.
      for (let p = 0; p < 20; p++) await personWithTasks(db.kysely, `Other ${p}`, 1_000);
      const me = await personWithTasks(db.kysely, 'Me', 300);
      // And many archived lists, none of them the caller's: leaving archived lists out must not read them all.
      const archiver = await insertPersonalList(db.kysely, { name: 'Archiver', at });
      const archived = Array.from({ length: 5_000 }, (_, i) => ({
        id: newId(),
        workspace_id: archiver.workspaceId,
        name: `Old ${i}`,
        position: `a${String(i).padStart(5, '0')}`,
        version: 1,
        archived_at: at,
        created_by: archiver.userId,
        created_at: at,
        updated_at: at,
      }));
      for (let i = 0; i < archived.length; i += 500)
        await db.kysely
          .insertInto('lists')
          .values(archived.slice(i, i + 500))
          .execute();
      await db.kysely.executeQuery(CompiledQuery.raw('analyze'));
      const filter = { userId: me.userId, through: '2026-12-07', assignedToUser: false, after: null, limit: 100 };
      const query = dueTasksPageQuery(db.kysely, filter).compile();
      const explain = dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
      const plan = await db.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explain + query.sql, [...query.parameters]));
      const text = plan.rows.map((row) => Object.values(row).join(' ')).join('\n');
      expect(text).toContain('tasks_open_due');
      expect(text).not.toMatch(/SCAN tasks\b(?! USING)|Seq Scan on tasks/);
      expect(text).not.toMatch(/SCAN lists\b(?! USING)|Seq Scan on lists/);
      // And the answer is the caller's: open, dated by the 7th, soonest first.
      const { rows } = await listDueTasks(db.kysely, filter);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.list_id === me.listId && row.completed_at === null && row.due_date! <= '2026-12-07')).toBe(true);
      const keys = rows.map((row) => `${row.due_date}|${row.priority}|${row.id}`);
      expect(keys).toEqual([...keys].sort());
    } finally {
      await close();
    }
  });
});
