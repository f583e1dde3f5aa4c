/**
 * A transaction plus the side effects to run once it has committed (real-time publish,
 * notifications): nothing is announced that could still roll back.
 */
import type { Kysely } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface UnitOfWork {
  /** Queries inside the transaction (on SQLite, a savepoint of a group commit). */
  tx: Kysely<Database>;
  afterCommit(effect: () => void | Promise<void>): void;
}

export type Effect = () => void | Promise<void>;

export async function inTransaction<T>(db: Db, work: (uow: UnitOfWork) => Promise<T>, onEffectError: (error: unknown) => void = () => {}): Promise<T> {
  // Effects of an attempt that rolled back are dropped with it.
  let effects: Effect[] = [];
  const result = await db.transaction((tx) => {
    effects = [];
    return work({ tx, afterCommit: (effect) => effects.push(effect) });
  });
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      onEffectError(error);
    }
  }
  return result;
}
