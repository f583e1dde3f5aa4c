/**
 * Filling `tasks.search_text` for the tasks there are, a batch at a time: migration 0006 (the column's first fill) and
 * every later migration that changes how text is folded for search.
 *
 * Like those migrations, and unlike the others, this imports application code (`core/search.ts`) on purpose: the text
 * must be folded exactly as the running code folds queries.
 */
import { sql, type Kysely } from 'kysely';
import { presentBlock, type StoredBlock } from '../../../core/content-types/index.js';
import { taskSearchText } from '../../../core/search.js';

/** A batch holds at most this many tasks, and at most about this much stored text (notes and blocks). */
const batchTasks = 500;
const batchBytes = 8 * 1024 * 1024;

/**
 * Writes each task's folded text, in batches by id. With `onlyChanged`, a task whose stored text is already what the
 * folding gives is not written (a database that ran 0006 with the current folding needs no second pass).
 *
 * A batch is bounded by size as well as count: a task may hold about 2 MB of notes and blocks, and 500 such tasks at
 * once (with their folded copies) would take gigabytes, at the start of a server that migrates before it listens. On
 * SQLite each batch's writes are one transaction (migrations there run outside one, and each write would otherwise
 * sync the disk on its own); on PostgreSQL all pending migrations are one transaction already, so the rows it
 * rewrites stay locked until they are done: run `listo migrate` before starting nodes of a new version.
 */
export async function fillSearchText(db: Kysely<any>, options: { onlyChanged?: boolean } = {}): Promise<void> {
  let afterId = '';
  for (;;) {
    const sizes = (await db
      .selectFrom('tasks')
      .select(['id', sql<number>`length(notes) + length(blocks)`.as('size')])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchTasks)
      .execute()) as { id: string; size: number | string }[];
    if (sizes.length === 0) return;
    const ids: string[] = [];
    let bytes = 0;
    for (const { id, size } of sizes) {
      if (ids.length > 0 && bytes + Number(size) > batchBytes) break;
      ids.push(id);
      bytes += Number(size);
    }
    const columns = ['id', 'title', 'notes', 'blocks', ...(options.onlyChanged ? ['search_text'] : [])];
    const rows = (await db.selectFrom('tasks').select(columns).where('id', 'in', ids).execute()) as {
      id: string;
      title: string;
      notes: string;
      blocks: string;
      search_text?: string;
    }[];
    const writes: { id: string; searchText: string }[] = [];
    for (const row of rows) {
      const blocks = (JSON.parse(row.blocks) as StoredBlock[]).map(presentBlock);
      const searchText = taskSearchText({ title: row.title, notes: row.notes, blocks });
      if (!(options.onlyChanged && row.search_text === searchText)) writes.push({ id: row.id, searchText });
    }
    const write = async (tx: Kysely<any>) => {
      for (const { id, searchText } of writes) await tx.updateTable('tasks').set({ search_text: searchText }).where('id', '=', id).execute();
    };
    if (writes.length > 0) await (db.isTransaction ? write(db) : db.transaction().execute(write));
    afterId = ids[ids.length - 1]!;
  }
}
