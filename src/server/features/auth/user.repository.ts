import type { Kysely } from 'kysely';
import type { Database, UsersTable } from '../../db/schema.js';

export type UserRow = UsersTable;

export const findUserByEmail = (db: Kysely<Database>, email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserById = (db: Kysely<Database>, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const insertUser = (db: Kysely<Database>, user: UserRow) => db.insertInto('users').values(user).execute();
