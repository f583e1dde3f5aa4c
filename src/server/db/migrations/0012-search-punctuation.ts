import type { Kysely } from 'kysely';
import { fillSearchText } from './search-text-fill.js';

/**
 * `tasks.search_text` folded again (`core/search.ts`): typographic apostrophes and quotes (’ ‘ ʼ ′ ´, “ ” „ ″) as the
 * ASCII ones, and invisible format characters (soft hyphens, zero-width spaces and joiners, the word joiner, byte order
 * marks, direction marks) dropped. Text stored before was folded the old way, and a query folded the new way would miss
 * it ("mum's" for "Mum’s", "versicherung" for a title pasted with a soft hyphen). Only tasks whose text changes are
 * written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await fillSearchText(db, { onlyChanged: true });
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
