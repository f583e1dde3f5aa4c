/** Small dialect helpers for migrations. Frozen like the migrations: no application imports. */
import { PostgresAdapter, sql, type Kysely, type ColumnDefinitionBuilder } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Fractional-index positions must sort byte-wise: SQLite's default BINARY collation does,
 * PostgreSQL needs `COLLATE "C"` (a locale collation would misorder `Z` and `a`).
 */
export function bytewise(db: Kysely<any>) {
  return (col: ColumnDefinitionBuilder) => (isPostgres(db) ? col.notNull().modifyEnd(sql`collate "C"`) : col.notNull());
}
