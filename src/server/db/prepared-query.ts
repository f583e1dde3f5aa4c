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
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

class Placeholder {
  constructor(readonly name: string) {}
}

interface Template {
  compiled: CompiledQuery;
  /** For each parameter: the argument's name, or the constant Kysely put there itself. */
  slots: ({ argument: string } | { constant: unknown })[];
}

/**
 * The SQL of every prepared query, each with a name: on PostgreSQL the connection prepares a named
 * statement once and later only binds and executes it, so the server skips parsing and planning
 * (see `database.ts`). SQLite's statements are cached by their text anyway (`sqlite-statement-cache.ts`).
 */
const statementNames = new Map<string, string>();
export const preparedStatementName = (sql: string): string | undefined => statementNames.get(sql);

export interface PreparedQuery<A, R> {
  execute(db: Kysely<Database>, args: A): Promise<R[]>;
  executeTakeFirst(db: Kysely<Database>, args: A): Promise<R | undefined>;
  /** For statements without RETURNING: the rows they changed. */
  run(db: Kysely<Database>, args: A): Promise<QueryResult<R>>;
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
      template = { compiled, slots };
      templates.set(adapter, template);
      if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `listo_${statementNames.size + 1}`);
    }
    return template;
  }

  function run(db: Kysely<Database>, args: A): Promise<QueryResult<R>> {
    const { compiled, slots } = templateFor(db);
    const parameters = slots.map((slot) => ('argument' in slot ? (args as Record<string, unknown>)[slot.argument] : slot.constant));
    return db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
  }

  return {
    run,
    async execute(db, args) {
      return (await run(db, args)).rows;
    },
    async executeTakeFirst(db, args) {
      return (await run(db, args)).rows[0];
    },
  };
}
