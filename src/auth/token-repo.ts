/** Queries for API tokens. Rows hold the token's hash, never the token. */
import type { Kysely } from 'kysely';
import type { Database, TokenTable } from '../store/index.js';

type Db = Kysely<Database>;
export type TokenListing = Omit<TokenTable, 'token_hash'>;
/** What authentication needs of a token: who it is, and whether it is still good (revoked, expired). */
export type TokenCredential = Pick<TokenTable, 'token_id' | 'name' | 'role' | 'revoked_at' | 'expires_at' | 'deployment'>;

export async function anyToken(db: Db): Promise<boolean> {
  const row = await db.selectFrom('tokens').select('token_id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertToken(db: Db, row: TokenTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

/** Every token, revoked and expired ones included, oldest first. */
export async function listTokens(db: Db): Promise<TokenListing[]> {
  return db
    .selectFrom('tokens')
    .select(['token_id', 'name', 'role', 'created_at', 'created_by', 'revoked_at', 'expires_at', 'deployment'])
    .orderBy('created_at')
    .execute();
}

/** Marks an active token revoked; false when there was no such active token. */
export async function revokeToken(db: Db, tokenId: string, now: number): Promise<boolean> {
  const res = await db.updateTable('tokens').set({ revoked_at: now }).where('token_id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The token with this hash, revoked or expired ones included, so the caller can say which (an expired token's 401 says so). */
export async function findToken(db: Db, tokenHash: string): Promise<TokenCredential | undefined> {
  return db
    .selectFrom('tokens')
    .select(['token_id', 'name', 'role', 'revoked_at', 'expires_at', 'deployment'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
