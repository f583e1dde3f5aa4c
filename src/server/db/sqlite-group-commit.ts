/**
 * Group commit for the embedded SQLite database.
 *
 * A commit is the dearest part of a small write on SQLite: every index page the transaction touched is
 * appended to the WAL again, and now and then the commit pays for a checkpoint. Writers that arrive while
 * one is running are therefore gathered into one shared transaction, each in its own savepoint:
 * - a unit that fails is rolled back to its savepoint and rejected alone; the others are unaffected;
 * - no unit is answered before the shared COMMIT has succeeded, so nothing acknowledged can be lost, and
 *   if that COMMIT fails every unit of the batch fails with it;
 * - plain reads wait for the connection (Kysely's SQLite driver has one connection and a mutex), so they
 *   never see a batch that has not committed.
 * Units still run one at a time, in arrival order, exactly as separate transactions on one connection would.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export type TransactionWork<T> = (tx: Kysely<Database>) => Promise<T>;

interface Unit {
  work: TransactionWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Outcome {
  unit: Unit;
  ok: boolean;
  value: unknown;
}

/** Bounds how long the first writer of a busy batch waits for the ones behind it. */
const maxUnitsPerBatch = 64;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Compiled once: they run around every unit.
const statements = {
  begin: CompiledQuery.raw('begin immediate'),
  commit: CompiledQuery.raw('commit'),
  rollback: CompiledQuery.raw('rollback'),
  savepoint: CompiledQuery.raw('savepoint unit'),
  release: CompiledQuery.raw('release unit'),
  rollbackToSavepoint: CompiledQuery.raw('rollback to unit'),
};

export function createGroupCommit(db: Kysely<Database>) {
  const queue: Unit[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) await runBatch();
    } finally {
      draining = false;
    }
  }

  async function runBatch(): Promise<void> {
    const outcomes: Outcome[] = [];
    let running = null as Unit | null; // (set inside the callback: not narrowed to null)
    let batchError: unknown = null;
    try {
      await db.connection().execute(async (connection) => {
        await connection.executeQuery(statements.begin);
        try {
          while (outcomes.length < maxUnitsPerBatch) {
            let unit = queue.shift();
            if (!unit) {
              // Let the requests already read in this turn of the event loop join before committing.
              await nextTurn();
              unit = queue.shift();
              if (!unit) break;
            }
            running = unit;
            outcomes.push(await runUnit(connection, unit));
            running = null;
          }
          await connection.executeQuery(statements.commit);
        } catch (error) {
          await connection.executeQuery(statements.rollback).catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      batchError = error;
      if (running) outcomes.push({ unit: running, ok: false, value: error });
      // Not even BEGIN went through (a database that cannot be written): fail the first waiting unit, so
      // every caller gets an answer and the queue cannot spin on the same error.
      else if (outcomes.length === 0 && queue.length > 0) outcomes.push({ unit: queue.shift()!, ok: false, value: error });
    }
    for (const { unit, ok, value } of outcomes) {
      if (batchError !== null) unit.reject(ok ? batchError : value);
      else if (ok) unit.resolve(value);
      else unit.reject(value);
    }
  }

  async function runUnit(connection: Kysely<Database>, unit: Unit): Promise<Outcome> {
    await connection.executeQuery(statements.savepoint);
    try {
      const value = await unit.work(connection);
      await connection.executeQuery(statements.release);
      return { unit, ok: true, value };
    } catch (error) {
      // If SQLite already rolled the whole transaction back (disk full, I/O error), this throws and the
      // batch fails as a whole, which is the truth.
      await connection.executeQuery(statements.rollbackToSavepoint);
      await connection.executeQuery(statements.release);
      return { unit, ok: false, value: error };
    }
  }

  return {
    transaction<T>(work: TransactionWork<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) {
          draining = true;
          void drain();
        }
      });
    },
  };
}
