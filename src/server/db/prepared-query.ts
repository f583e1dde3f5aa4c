/**
 * Prepared queries for the hot write path.
 *
 * Kysely builds and compiles a query's SQL on every call; for the few statements every task write runs,
 * that costs as much as SQLite takes to execute them. A prepared query is built once per dialect with
 * placeholder arguments; each call then only fills in the parameters. It is still an ordinary Kysely
 * query (same types, same SQL, both dialects); only the building is skipped.
 *
 * Arguments must be scalar values that end up as bound parameters (`where(col, '=', p.x)`, `values`,
 * `set`); preparing throws if one does not, e.g. an array for `in`.
 */
import { PostgresAdapter, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

class Placeholder {
  constructor(readonly name: string) {}
}

interface Template {
  compiled: CompiledQuery;
  /** Only PostgreSQL's connection acts on `endsTransaction`; SQLite would just cache a second statement. */
  postgres: boolean;
  /** For each parameter: the argument's name, or the constant Kysely put there itself. */
  slots: ({ argument: string } | { constant: unknown })[];
}

/** What the PostgreSQL connection knows of a prepared query's SQL (see `database.ts`). */
export interface PreparedStatement {
  /** The connection prepares a named statement once and later only binds and executes it. */
  name: string;
  /** The last statement of its transaction: the connection sends the COMMIT right behind it. */
  endsTransaction: boolean;
}

/**
 * Every prepared query's SQL, named. On PostgreSQL the server then skips parsing and planning; SQLite's
 * statements are cached by their text anyway (`sqlite-statement-cache.ts`).
 */
const statements = new Map<string, PreparedStatement>();
export const preparedStatement = (sql: string): PreparedStatement | undefined => statements.get(sql);

/** Marks the variant of a statement that ends its transaction; the SQL is unchanged but for this comment. */
const endsTransactionMarker = ' /* ends its transaction */';

export interface RunOptions {
  /**
   * Nothing runs in this transaction after this statement, not even a read: on PostgreSQL the COMMIT goes
   * out with it, saving a round trip, and any later statement fails. Only for a statement inside
   * `Db.transaction`.
   */
  endsTransaction?: boolean;
}

export interface PreparedQuery<A, R> {
  execute(db: Kysely<Database>, args: A, options?: RunOptions): Promise<R[]>;
  executeTakeFirst(db: Kysely<Database>, args: A, options?: RunOptions): Promise<R | undefined>;
  /** For statements without RETURNING: the rows they changed. */
  run(db: Kysely<Database>, args: A, options?: RunOptions): Promise<QueryResult<R>>;
}

function register(sql: string): void {
  if (statements.has(sql)) return;
  const name = `listo_${statements.size / 2 + 1}`;
  statements.set(sql, { name, endsTransaction: false });
  statements.set(sql + endsTransactionMarker, { name: `${name}_last`, endsTransaction: true });
}

export function preparedQuery<A extends object, R>(build: (db: Kysely<Database>, args: A) => Compilable<R>): PreparedQuery<A, R> {
  // One template per dialect: the executor's adapter is shared by a database and its transactions.
  const templates = new WeakMap<object, Template>();

  function templateFor(db: Kysely<Database>): Template {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const used = new Set<string>();
      const placeholders = new Proxy({} as A, {
        get: (_target, name) => {
          used.add(String(name));
          return new Placeholder(String(name));
        },
        // `{...args}` or `Object.keys(args)` would silently see no arguments at all.
        ownKeys: () => {
          throw new Error('Prepared query: name each argument (`args.x`); arguments cannot be spread or listed');
        },
      });
      const compiled = build(db, placeholders).compile();
      const slots = compiled.parameters.map((value) => (value instanceof Placeholder ? { argument: value.name } : { constant: value }));
      const bound = new Set(slots.flatMap((slot) => ('argument' in slot ? [slot.argument] : [])));
      for (const name of used) {
        if (!bound.has(name)) throw new Error(`Prepared query: argument "${name}" is not a bound parameter`);
      }
      template = { compiled, postgres: adapter instanceof PostgresAdapter, slots };
      templates.set(adapter, template);
      register(compiled.sql);
    }
    return template;
  }

  function run(db: Kysely<Database>, args: A, options?: RunOptions): Promise<QueryResult<R>> {
    const { compiled, postgres, slots } = templateFor(db);
    const parameters = slots.map((slot) => ('argument' in slot ? (args as Record<string, unknown>)[slot.argument] : slot.constant));
    const sql = options?.endsTransaction && postgres ? compiled.sql + endsTransactionMarker : compiled.sql;
    return db.executeQuery<R>({ ...compiled, sql, parameters } as CompiledQuery<R>);
  }

  return {
    run,
    async execute(db, args, options) {
      return (await run(db, args, options)).rows;
    },
    async executeTakeFirst(db, args, options) {
      return (await run(db, args, options)).rows[0];
    },
  };
}
