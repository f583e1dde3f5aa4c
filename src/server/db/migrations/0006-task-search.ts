import type { Kysely } from 'kysely';
import { presentBlock, type StoredBlock } from '../../../core/content-types/index.js';
import { taskSearchText } from '../../../core/search.js';

/**
 * `tasks.search_text`: a task's title, notes and block summaries folded for search (`core/search.ts`), written with
 * the task from now on and filled in here for the tasks there are, a batch at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('search_text', 'text', (column) => column.notNull().defaultTo('')).execute();
  let afterId = '';
  for (;;) {
    const rows: { id: string; title: string; notes: string; blocks: string }[] = await db
      .selectFrom('tasks')
      .select(['id', 'title', 'notes', 'blocks'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      const blocks = (JSON.parse(row.blocks) as StoredBlock[]).map(presentBlock);
      await db.updateTable('tasks').set({ search_text: taskSearchText({ title: row.title, notes: row.notes, blocks }) }).where('id', '=', row.id).execute();
    }
    afterId = rows[rows.length - 1]!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
