/** Opens the database the configuration names: embedded SQLite by default, PostgreSQL with DATABASE_URL. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { migrations } from './migrations/index.js';
import { preparedStatementName } from './prepared-query.js';
import type { Database } from './schema.js';
import { startCheckpointer, writerAutoCheckpointPages } from './sqlite-checkpointer.js';
import { createGroupCommit } from './sqlite-group-commit.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Runs `work` in a transaction; use `inTransaction` (unit-of-work.ts), which adds after-commit effects. */
  transaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// PostgreSQL returns COUNT/SUM as strings (int8/numeric): keep them exact, convert where used.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed under it (a migration
 * added a column to a table it selects `*` from): "cached plan must not change result type".
 */
const isStalePlan = (error: unknown) => (error as { code?: string } | null)?.code === '0A000';

/**
 * A PostgreSQL connection that runs the hot-path queries (`preparedQuery`) as named prepared statements:
 * parsed and planned once per connection instead of on every call, which took a lone task update's
 * server time from 3.4 to 2.5 ms (median, see ARCHITECTURE.md). After a stale plan every connection
 * prepares its statements afresh, under new names; a statement outside a transaction is retried at
 * once, a transaction is retried whole by `Db.transaction`.
 */
class PreparingClient extends pg.Client {
  private static generation = 0;

  // pg's `query` has many overloads; only Kysely's form, `query(text, values)`, is rewritten.
  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown[] | undefined, unknown];
    const name = typeof text === 'string' && callback === undefined ? preparedStatementName(text) : undefined;
    if (!name) return (super.query as (...a: unknown[]) => unknown)(...args);
    const generation = PreparingClient.generation;
    // Reads the generation when called: a retry uses the new names.
    const run = () => super.query({ name: `${name}_${PreparingClient.generation}`, text: text as string, values });
    return run().catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      if (PreparingClient.generation === generation) PreparingClient.generation++;
      if (this.getTransactionStatus() === 'I') return run(); // nothing was aborted: just prepare it again
      throw error;
    });
  }
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databaseSchema'>): Db {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('DATABASE_SCHEMA must be a plain identifier');
    const pool = new pg.Pool({
      Client: PreparingClient,
      connectionString: config.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const transaction = <T>(work: (tx: Kysely<Database>) => Promise<T>) => kysely.transaction().execute(work);
    return {
      kysely,
      dialect: 'postgres',
      // A transaction that met a stale prepared statement did nothing: run it again, freshly prepared.
      transaction: (work) => transaction(work).catch((error: unknown) => (isStalePlan(error) ? transaction(work) : Promise.reject(error))),
      close: () => kysely.destroy(),
    };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const filename = path.join(config.dataDir, 'listo.db');
  const file = new SQLite(filename);
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('synchronous = NORMAL');
  file.pragma('busy_timeout = 5000');
  // Every unit of a group commit is a savepoint, and SQLite copies each page a savepoint first touches
  // to a sub-journal, which spills to a temporary file on disk by default: in memory, a task create
  // spends about a third less time in SQLite (bench/http.bench.ts).
  file.pragma('temp_store = memory');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  const groupCommit = createGroupCommit(kysely);
  file.pragma(`wal_autocheckpoint = ${writerAutoCheckpointPages}`);
  const checkpointer = startCheckpointer(filename);
  return {
    kysely,
    dialect: 'sqlite',
    transaction: (work) => groupCommit.transaction(work),
    close: async () => {
      await checkpointer.close();
      await kysely.destroy();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; safe to run on every start and from several nodes at once. */
export async function migrateToLatest(db: Db, schema?: string | null): Promise<string[]> {
  if (db.dialect === 'postgres' && schema) {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db.kysely);
  }
  const migrator = new Migrator({ db: db.kysely, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
