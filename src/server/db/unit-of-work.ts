/**
 * A transaction plus the side effects to run once it has committed (real-time publish,
 * notifications): nothing is announced that could still roll back.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface UnitOfWork {
  tx: Transaction<Database>;
  afterCommit(effect: () => void | Promise<void>): void;
}

export type Effect = () => void | Promise<void>;

export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (uow: UnitOfWork) => Promise<T>,
  onEffectError: (error: unknown) => void = () => {},
): Promise<T> {
  const effects: Effect[] = [];
  const result = await db.transaction().execute((tx) => work({ tx, afterCommit: (effect) => effects.push(effect) }));
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      onEffectError(error);
    }
  }
  return result;
}
