/** Opens the database the configuration names: embedded SQLite by default, PostgreSQL with DATABASE_URL. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { databaseDefaults, type Config } from '../config.js';
import { migrations } from './migrations/index.js';
import { preparedStatement } from './prepared-query.js';
import type { Database } from './schema.js';
import { startCheckpointer, writerAutoCheckpointPages } from './sqlite-checkpointer.js';
import { createSqliteReader } from './sqlite-reader.js';
import { createGroupCommit } from './sqlite-group-commit.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Runs `work` in a transaction; use `inTransaction` (unit-of-work.ts), which adds after-commit effects. */
  transaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * A read that may scan a lot (a search of someone's tasks): on SQLite it runs on a reader thread
   * (`sqlite-reader.ts`), so the event loop goes on serving everyone else; on PostgreSQL like any query.
   */
  readLong<Row>(query: CompiledQuery<Row>): Promise<Row[]>;
  close(): Promise<void>;
}

// PostgreSQL returns COUNT/SUM as strings (int8/numeric): keep them exact, convert where used.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed under it (a migration
 * added a column to a table it selects `*` from): "cached plan must not change result type".
 */
const isStalePlan = (error: unknown) => (error as { code?: string } | null)?.code === '0A000';

const noRows = (command: string) => ({ command, rowCount: null, oid: 0, fields: [], rows: [] }) as pg.QueryResult;

/**
 * A PostgreSQL connection that saves round trips on the hot write path (see ARCHITECTURE.md):
 *
 * - The hot-path queries (`preparedQuery`) run as named prepared statements: parsed and planned once per
 *   connection instead of on every call, which took a lone task update's server time from 3.4 to 2.5 ms.
 *   After a stale plan every connection prepares its statements afresh, under new names; a statement
 *   outside a transaction is retried at once, a transaction is retried whole by `Db.transaction`.
 * - In pipeline mode (`pipeline: true`), a transaction's BEGIN is held back and sent together with its
 *   first statement, and the statement that ends a transaction (`RunOptions.endsTransaction`) is sent
 *   together with its COMMIT: a task update is two round trips instead of four.
 *
 * Only Kysely's form of `query`, `query(text, values)`, is rewritten; Kysely sends `begin`, `commit`
 * and `rollback` in that form too.
 */
/**
 * `migrateUpTo` lifts a connection's timeouts with `unboundedSession` and restores them with `boundedSession`; the
 * client lifts and restores its own `query_timeout` (the backstop for a server gone silent) with them.
 */
const unboundedSession = "select set_config('statement_timeout', '0', false), set_config('lock_timeout', '0', false)";
const boundedSession = 'reset statement_timeout';

class PreparingClient extends pg.Client {
  private static generation = 0;
  /**
   * `deferred`: Kysely has begun a transaction, and its BEGIN waits for the first statement.
   * `ending`: the transaction's last statement has gone out with its COMMIT (`pendingCommit`).
   */
  private transaction: 'none' | 'deferred' | 'open' | 'ending' = 'none';
  private pendingCommit: Promise<pg.QueryResult> | null = null;

  // pg's `query` has many overloads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown[] | undefined, unknown];
    if (typeof text !== 'string' || callback !== undefined) return (super.query as (...a: unknown[]) => unknown)(...args);
    if (text === unboundedSession || text === boundedSession) this.boundQueries(text === boundedSession);
    if (text === 'begin') return this.begin();
    if (text === 'commit' || text === 'rollback') return this.finishTransaction(text);
    if (this.transaction === 'ending') return Promise.reject(new Error('A statement ran after the one that ends its transaction'));

    const begun = this.transaction === 'deferred' ? this.sendDeferredBegin() : null;
    const statement = preparedStatement(text);
    const result = statement ? this.runPrepared(statement.name, text, values) : super.query(text, values);
    if (statement?.endsTransaction && this.transaction === 'open') {
      this.transaction = 'ending';
      this.pendingCommit = super.query('commit');
      this.pendingCommit.catch(() => {}); // its outcome is read by `finishTransaction`
    }
    // Both went out at once; the statement's result is the answer, unless BEGIN itself failed.
    return begun ? Promise.all([begun, result]).then(([, rows]) => rows) : result;
  }

  private queryTimeout: number | false | undefined;

  /** pg reads `query_timeout` from the connection's parameters for each query it sends. */
  private boundQueries(bounded: boolean) {
    const parameters = (this as unknown as { connectionParameters: { query_timeout: number | false | undefined } }).connectionParameters;
    this.queryTimeout ??= parameters.query_timeout; // the configured one, read before the first change
    parameters.query_timeout = bounded ? this.queryTimeout : false;
  }

  private begin(): Promise<pg.QueryResult> {
    if (this.transaction !== 'none') return super.query('begin'); // nested: PostgreSQL warns, as it would have
    this.transaction = 'deferred';
    return Promise.resolve(noRows('BEGIN'));
  }

  private sendDeferredBegin(): Promise<pg.QueryResult> {
    this.transaction = 'open';
    return super.query('begin');
  }

  private async finishTransaction(kind: 'commit' | 'rollback'): Promise<pg.QueryResult> {
    const { transaction, pendingCommit } = this;
    this.transaction = 'none';
    this.pendingCommit = null;
    if (transaction === 'deferred') return noRows(kind.toUpperCase()); // it never reached the server
    if (transaction !== 'ending' || !pendingCommit) return super.query(kind);
    // The COMMIT went out with the last statement; PostgreSQL answers it with ROLLBACK if that failed.
    const result = await pendingCommit;
    if (kind === 'commit' && result.command !== 'COMMIT') throw new Error('The transaction was rolled back: one of its statements failed');
    if (kind === 'rollback' && result.command === 'COMMIT') {
      throw new Error('The transaction committed with its last statement, and then its work failed');
    }
    return result;
  }

  private runPrepared(name: string, text: string, values: unknown[] | undefined): Promise<pg.QueryResult> {
    const generation = PreparingClient.generation;
    // Reads the generation when called: a retry uses the new names.
    const run = () => super.query({ name: `${name}_${PreparingClient.generation}`, text, values });
    return run().catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      if (PreparingClient.generation === generation) PreparingClient.generation++;
      // Nothing was aborted: just prepare it again.
      if (this.transaction === 'none' && this.getTransactionStatus() === 'I') return run();
      throw error;
    });
  }
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection died (server restart, network, termination); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
}

/** What `openDatabase` reads of the configuration; the PostgreSQL pool settings default to `databaseDefaults`. */
export type DatabaseConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'databaseSchema'> &
  Partial<Pick<Config, 'databasePoolSize' | 'databaseConnectTimeoutMs' | 'databaseStatementTimeoutMs' | 'databaseLockTimeoutMs'>>;

export function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Db {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('DATABASE_SCHEMA must be a plain identifier');
    // Nothing waits forever on a stalled database: opening a connection, or getting one from a pool all of whose
    // connections are busy, fails after `connectionTimeoutMillis` ("timeout exceeded when trying to connect");
    // PostgreSQL cancels a statement after `statement_timeout` (57014) and one waiting for a lock after `lock_timeout`
    // (55P03): both are session defaults sent with the connection's startup, which migrations lift (`migrateUpTo`).
    // Keepalive probes find an idle connection whose peer has vanished without a word (a partition); a query sent
    // to it fails when no answer came by a while after the statement timeout (`query_timeout`: pg then destroys
    // the connection, in pipeline mode, and the pool replaces it).
    const statementTimeout = config.databaseStatementTimeoutMs ?? databaseDefaults.statementTimeoutMs;
    const pool = new pg.Pool({
      Client: PreparingClient,
      pipeline: true,
      connectionString: config.databaseUrl,
      max: config.databasePoolSize ?? databaseDefaults.poolSize,
      connectionTimeoutMillis: config.databaseConnectTimeoutMs ?? databaseDefaults.connectTimeoutMs,
      statement_timeout: statementTimeout,
      query_timeout: statementTimeout + Math.min(statementTimeout, 5_000),
      lock_timeout: config.databaseLockTimeoutMs ?? databaseDefaults.lockTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A connection that dies must not take the process down with an unhandled 'error' event. A busy one
    // fails its queries, which answer their callers; the pool drops it, idle or busy, and connects afresh.
    const onConnectionError = options.onConnectionError ?? (() => {});
    pool.on('connect', (client) => client.on('error', onConnectionError));
    pool.on('error', () => {}); // an idle connection's error, already reported by the listener above
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const transaction = <T>(work: (tx: Kysely<Database>) => Promise<T>) => kysely.transaction().execute(work);
    return {
      kysely,
      dialect: 'postgres',
      // A transaction that met a stale prepared statement did nothing: run it again, freshly prepared.
      transaction: (work) => transaction(work).catch((error: unknown) => (isStalePlan(error) ? transaction(work) : Promise.reject(error))),
      readLong: async (query) => (await kysely.executeQuery(query)).rows,
      close: () => kysely.destroy(),
    };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const filename = path.join(config.dataDir, 'listo.db');
  const file = new SQLite(filename);
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  // FULL: the WAL is synced before a commit returns, so an acknowledged write survives a power cut or
  // an OS crash, not only a crash of the process (NORMAL's promise). With group commit one sync covers
  // a whole batch of writers.
  file.pragma('synchronous = FULL');
  file.pragma('busy_timeout = 5000');
  // Every unit of a group commit is a savepoint, and SQLite copies each page a savepoint first touches
  // to a sub-journal, which spills to a temporary file on disk by default: in memory, a task create
  // spends about a third less time in SQLite (bench/http.bench.ts).
  file.pragma('temp_store = memory');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  const groupCommit = createGroupCommit(kysely);
  file.pragma(`wal_autocheckpoint = ${writerAutoCheckpointPages}`);
  const checkpointer = startCheckpointer(filename);
  const reader = createSqliteReader(filename);
  return {
    kysely,
    dialect: 'sqlite',
    transaction: (work) => groupCommit.transaction(work),
    readLong: (query) => reader.read(query.sql, query.parameters),
    close: async () => {
      await reader.close();
      await checkpointer.close();
      await kysely.destroy();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; safe to run on every start and from several nodes at once. */
export const migrateToLatest = (db: Db, schema?: string | null): Promise<string[]> => migrateUpTo(db, schema, 'latest');

/** Applies pending migrations up to and including `target` (a migration's name); tests of a migration's backfill stop before it. */
export async function migrateUpTo(db: Db, schema: string | null | undefined, target: string): Promise<string[]> {
  if (db.dialect !== 'postgres') return runMigrator(db.kysely, 'sqlite', null, target);
  // One connection for the whole run, without the app's statement and lock timeouts: a migration may rewrite a big
  // table or wait for the locks of a busy one, and a node waits for another node's migration as long as that takes.
  // Kysely applies the pending migrations in one transaction on this connection.
  return db.kysely.connection().execute(async (connection) => {
    // Nodes starting together take turns, per schema: the second finds everything applied. Without it both ran
    // `create schema if not exists`, which is not safe against itself (one failed with 23505 on pg_namespace), and
    // Kysely's own lock covers only applying migrations, not creating its tables first.
    const lockKey = sql`hashtextextended('listo migrations ' || coalesce(${schema ?? null}::text, current_schema()::text), 0)`;
    try {
      await sql.raw(unboundedSession).execute(connection);
      await sql`select pg_advisory_lock(${lockKey})`.execute(connection);
      try {
        if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(connection);
        return await runMigrator(connection, 'postgres', schema, target);
      } finally {
        await sql`select pg_advisory_unlock(${lockKey})`.execute(connection);
      }
    } finally {
      // Back to the pool's timeouts (the session's startup values) before the connection serves requests.
      await sql.raw(boundedSession).execute(connection);
      await sql`reset lock_timeout`.execute(connection);
    }
  });
}

async function runMigrator(kysely: Kysely<Database>, dialect: DialectName, schema: string | null | undefined, target: string): Promise<string[]> {
  await refuseNewerDatabase(kysely, dialect, schema);
  const migrator = new Migrator({ db: kysely, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = target === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * A database a newer Listo has migrated (a rollback, an old node in a rolling deploy) holds migrations this version
 * does not know. Serving it is not safe, so this version refuses, and says why: Kysely's own check called it
 * "corrupted migrations: previously executed migration … is missing", and old nodes crash-looped on that.
 */
async function refuseNewerDatabase(kysely: Kysely<Database>, dialect: DialectName, schema: string | null | undefined): Promise<void> {
  const table = schema ? `${schema}.kysely_migration` : 'kysely_migration';
  const exists =
    dialect === 'postgres'
      ? (await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(kysely)).rows[0]?.found
      : (await sql`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(kysely)).rows.length > 0;
  if (!exists) return; // a fresh database
  const executed = await sql<{ name: string }>`select name from ${sql.table(table)} order by name`.execute(kysely);
  const unknown = executed.rows.map((row) => row.name).filter((name) => !Object.hasOwn(migrations, name));
  if (unknown.length === 0) return;
  const known = Object.keys(migrations).sort().at(-1);
  throw new Error(
    `This database was migrated by a newer Listo (${unknown.join(', ')}); run that version or newer. This version knows the migrations up to ${known}.`,
  );
}
