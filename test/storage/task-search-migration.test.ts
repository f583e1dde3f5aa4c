/** Migrations 0006, 0007 and 0012 fill in `tasks.search_text` for the tasks already there, on both databases. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo, type Db } from '../../src/server/db/database.js';
import { matchesSearch, searchTerms } from '../../src/core/search.js';
import { newId } from '../../src/server/ids.js';
import { insertPersonalList, openTestDatabase } from '../support/database.js';
import { testDialects } from '../support/dialects.js';

/** A user, their personal workspace and a list, inserted as the tables were before 0006; and a row of a task on it. */
async function insertOldList(db: Db) {
  const at = '2026-03-01T09:00:00.000Z';
  const k = db.kysely as any;
  const { userId, workspaceId, listId } = await insertPersonalList(k, { name: 'Old', at });
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
  return { k, task };
}

describe.each(testDialects())('task search migration on %s', (dialect) => {
  it('makes tasks written before it findable by title, notes and blocks', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    try {
      await migrateUpTo(db, schema, '0005-upload-release');
      const { k, task } = await insertOldList(db); // the tables as they were before 0006
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

  it('0007 folds the text 0006 stored again: Łódź is found by "lodz", किताब no longer by कातिब, ẞ by "ss"', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    try {
      await migrateUpTo(db, schema, '0006-task-search');
      const { k, task } = await insertOldList(db);
      // Each with the text 0006's folding stored for it.
      const rows = [
        { ...task('STRAẞE 5', '', [], 'a0'), search_text: 'straße 5' },
        { ...task('Trip to Łódź', 'and Øresund', [], 'a1'), search_text: 'trip to łodz and øresund' },
        { ...task('किताब', 'バス停 ไม้', [], 'a2'), search_text: 'कतब ハス停 ไม' },
        { ...task('Ёлка', 'йод', [], 'a3'), search_text: 'елка иод' },
        { ...task('Réserver le Café', '', [], 'a4'), search_text: 'reserver le cafe' },
      ];
      await k.insertInto('tasks').values(rows).execute();
      const finds = async (query: string) => {
        const texts = await db.kysely.selectFrom('tasks').select(['title', 'search_text']).orderBy('position').execute();
        return texts.filter((row) => matchesSearch(row.search_text, searchTerms(query))).map((row) => row.title);
      };
      expect(await finds('lodz')).toEqual([]);
      expect(await finds('कतब')).toEqual(['किताब']);

      expect(await migrateUpTo(db, schema, '0007-search-folding')).toEqual(['0007-search-folding']);
      const texts = await db.kysely.selectFrom('tasks').select('search_text').orderBy('position').execute();
      expect(texts.map((row) => row.search_text)).toEqual(['strasse 5', 'trip to lodz and oresund', 'किताब バス停 ไม้', 'елка йод', 'reserver le cafe']);
      expect(await finds('strasse')).toEqual(['STRAẞE 5']);
      expect(await finds('lodz oresund')).toEqual(['Trip to Łódź']);
      expect(await finds('कातिब')).toEqual([]);
      expect(await finds('ハス')).toEqual([]);
      expect(await finds('ёлка')).toEqual(['Ёлка']);
      expect(await finds('иод')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('0012 folds the text stored before it again: Mum’s is found by "mum\'s", a word with a soft hyphen by the word', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    try {
      await migrateUpTo(db, schema, '0011-upload-released-from');
      const { k, task } = await insertOldList(db);
      // Each with the text the folding before 0012 stored for it.
      const rows = [
        { ...task('Call Mum’s doctor', '', [], 'a0'), search_text: 'call mum’s doctor' },
        {
          ...task('Ver\u00adsicherung kündigen', 'per \u201eEinschreiben\u201c', [], 'a1'),
          search_text: 'ver\u00adsicherung kundigen per \u201eeinschreiben\u201c',
        },
        { ...task("Don't forget the keys", 'zero\u200bwidth\ufeff', [], 'a2'), search_text: "don't forget the keys zero\u200bwidth" },
        { ...task('Buy milk and eggs', '', [], 'a3'), search_text: 'buy milk and eggs' },
      ];
      await k.insertInto('tasks').values(rows).execute();
      const finds = async (query: string) => {
        const texts = await db.kysely.selectFrom('tasks').select(['title', 'search_text']).orderBy('position').execute();
        return texts.filter((row) => matchesSearch(row.search_text, searchTerms(query))).map((row) => row.title);
      };
      expect(await finds("mum's")).toEqual([]);
      expect(await finds('versicherung')).toEqual([]);

      expect(await migrateUpTo(db, schema, '0012-search-punctuation')).toContain('0012-search-punctuation');
      const texts = await db.kysely.selectFrom('tasks').select('search_text').orderBy('position').execute();
      expect(texts.map((row) => row.search_text)).toEqual([
        "call mum's doctor",
        'versicherung kundigen per "einschreiben"',
        "don't forget the keys zerowidth",
        'buy milk and eggs',
      ]);
      expect(await finds("mum's")).toEqual(['Call Mum’s doctor']);
      expect(await finds('don’t')).toEqual(["Don't forget the keys"]);
      expect(await finds('versicherung "einschreiben"')).toEqual(['Ver\u00adsicherung kündigen']);
      expect(await finds('zerowidth')).toEqual(["Don't forget the keys"]);
    } finally {
      await close();
    }
  });

  it('0007 refolds tasks of megabytes of notes in batches bounded by size, every one of them', async () => {
    const { db, schema, close } = await openTestDatabase(dialect, { migrate: false });
    try {
      await migrateUpTo(db, schema, '0006-task-search');
      const { k, task } = await insertOldList(db);
      const notes = `Łódź ${'x'.repeat(1_000_000)}`; // 20 MB in all: three batches of at most 8 MB
      const rows = Array.from({ length: 20 }, (_, i) => ({ ...task(`Heavy ${i}`, notes, [], `a${String(i).padStart(2, '0')}`), search_text: 'stale' }));
      for (const row of rows) await k.insertInto('tasks').values(row).execute();
      expect(await migrateUpTo(db, schema, '0007-search-folding')).toEqual(['0007-search-folding']);
      const texts = await db.kysely
        .selectFrom('tasks')
        .select(['title', sql<string>`substr(search_text, 1, 20)`.as('start')])
        .orderBy('position')
        .execute();
      expect(texts.map((row) => row.start)).toEqual(rows.map((_, i) => `heavy ${i} lodz ${'x'.repeat(20)}`.slice(0, 20)));
    } finally {
      await close();
    }
  });
});
