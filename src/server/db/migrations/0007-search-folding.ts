import type { Kysely } from 'kysely';
import { fillSearchText } from './search-text-fill.js';

/**
 * `tasks.search_text` folded again (`core/search.ts`): ẞ as "ss"; Ł, Ø, Æ, Œ, Đ, Ð, Þ, Ħ, Ŧ as the Latin letters
 * people type for them; only the accents of Latin, Greek and Cyrillic (and Hebrew and Arabic vowel points) dropped,
 * so Indic vowel signs, Japanese dakuten and Thai tone marks stay; й, ї, ў kept apart from и, і, у, ё read as е.
 * Text stored by 0006 was folded the old way, and a query folded the new way would miss it ("lodz" for "Łódź").
 * Only tasks whose text changes are written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await fillSearchText(db, { onlyChanged: true });
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
