/** The ordered list of migrations. Append only; never edit a migration that has shipped. */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
};
