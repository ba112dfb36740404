/** Queries for users (basic auth). Rows hold the password's hash, never the password. */
import type { Kysely } from 'kysely';
import type { Database, UserTable } from '../store/index.js';

type Db = Kysely<Database>;
export type UserListing = Omit<UserTable, 'password_hash'>;

export async function anyUser(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('username').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function userExists(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('username').where('username', '=', username).executeTakeFirst();
  return row !== undefined;
}

export async function findUser(db: Db, username: string): Promise<UserTable | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function insertUser(db: Db, row: UserTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Every user, by name. */
export async function listUsers(db: Db): Promise<UserListing[]> {
  return db.selectFrom('users').select(['username', 'role', 'created_at']).orderBy('username').execute();
}

/** False when there was no such user. */
export async function deleteUser(db: Db, username: string): Promise<boolean> {
  const res = await db.deleteFrom('users').where('username', '=', username).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
