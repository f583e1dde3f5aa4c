/**
 * Filling `tasks.search_text` for the tasks there are, a batch at a time: migration 0006 (the column's first fill) and
 * every later migration that changes how text is folded for search.
 *
 * Like those migrations, and unlike the others, this imports application code (`core/search.ts`) on purpose: the text
 * must be folded exactly as the running code folds queries.
 */
import type { Kysely } from 'kysely';
import { presentBlock, type StoredBlock } from '../../../core/content-types/index.js';
import { taskSearchText } from '../../../core/search.js';

/**
 * Writes each task's folded text, in batches of 500 by id. With `onlyChanged`, a task whose stored text is already
 * what the folding gives is not written (a database that ran 0006 with the current folding needs no second pass).
 */
export async function fillSearchText(db: Kysely<any>, options: { onlyChanged?: boolean } = {}): Promise<void> {
  let afterId = '';
  for (;;) {
    const columns = ['id', 'title', 'notes', 'blocks', ...(options.onlyChanged ? ['search_text'] : [])];
    const rows = (await db.selectFrom('tasks').select(columns).where('id', '>', afterId).orderBy('id').limit(500).execute()) as {
      id: string;
      title: string;
      notes: string;
      blocks: string;
      search_text?: string;
    }[];
    if (rows.length === 0) return;
    for (const row of rows) {
      const blocks = (JSON.parse(row.blocks) as StoredBlock[]).map(presentBlock);
      const searchText = taskSearchText({ title: row.title, notes: row.notes, blocks });
      if (options.onlyChanged && row.search_text === searchText) continue;
      await db.updateTable('tasks').set({ search_text: searchText }).where('id', '=', row.id).execute();
    }
    afterId = rows[rows.length - 1]!.id;
  }
}
