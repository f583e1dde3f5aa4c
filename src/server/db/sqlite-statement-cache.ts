/**
 * Kysely prepares every query afresh; on SQLite preparing costs about as much as running a small query.
 * The SQL text of our queries repeats (values are bound), so reuse prepared statements, bounded.
 */
import type { Database as SqliteFile, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function withStatementCache(file: SqliteFile, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh its place so the least recently used statement is the one evicted.
        cache.delete(sql);
      } else {
        statement = file.prepare(sql);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
