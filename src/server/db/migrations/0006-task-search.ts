import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';
import { fillSearchText } from './search-text-fill.js';

/**
 * `tasks.search_text`: a task's title, notes and block summaries folded for search (`core/search.ts`), written with
 * the task from now on and filled in here for the tasks there are, a batch at a time.
 *
 * On SQLite, an index holding it beside each live task's list and id: a search then reads the index alone, a few
 * bytes a task, not every task's whole row, and fetches only the rows it returns (50,000 tasks: 0.6 ms instead of
 * 30 ms for a common word; bench/search.bench.ts). PostgreSQL cannot index it so: a B-tree entry must stay under
 * about 2.7 kB, and notes are longer.
 *
 * Unlike other migrations this one imports application code (`core/search.ts`), on purpose: the text it fills in must
 * be folded exactly as the running code folds queries. A later change of the folding comes with a migration that
 * fills the column again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tasks')
    .addColumn('search_text', 'text', (column) => column.notNull().defaultTo(''))
    .execute();
  await fillSearchText(db);
  if (!isPostgres(db)) await sql`create index tasks_search on tasks (list_id, id, search_text) where deleted_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
